"""Property: whatever the registry and the records hold and however they change between two runs (through
the services, plus households entering and leaving monitoring), and however far the second run's date moves on in the
year, the facts kept and refreshed by the second run equal facts rebuilt from scratch for that date, and so
do its findings and tallies."""

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shouwang.areas.models import Area
from shouwang.benefits.facts import FACT_COLUMNS, FACT_TABLE, facts_invalidate
from shouwang.benefits.models import BenefitRecord, CoverageFactState
from shouwang.benefits.services import (
    benefit_record_create,
    benefit_record_end,
    coverage_parameters_save,
    coverage_run,
)
from shouwang.monitoring.models import Lead, MonitoringCase
from shouwang.monitoring.services import lead_open
from shouwang.registry import services as registry
from shouwang.registry.models import Person
from tests.benefits.conftest import DAY
from tests.conftest import COUNTY, make_household

pytestmark = pytest.mark.django_db

D = datetime.date
# days around the month boundaries the stop rules and record windows turn on
DAYS = [D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 14), DAY, D(2026, 3, 16), D(2026, 3, 31),
        D(2026, 4, 1), D(2026, 4, 2), D(2026, 5, 20)]
KINDS = ["living_subsidy", "care_subsidy", "family_doctor", "pension_contribution", "rehab_service",
         "vocational_training", "accessibility", "care_service", "tekun", "orphan_support", "elderly_care",
         "work_injury_care", "medical_contribution", "graduate_employment"]

member = st.fixed_dictionaries({
    "grade": st.sampled_from([None, 1, 2, 3, 4]),
    "category": st.sampled_from([1, 4, 5, 6]),
    "needs_long_term_care": st.booleans(),
    "needs_rehabilitation": st.booleans(),
    "age": st.sampled_from([4, 20, 45, 70]),
    "status": st.sampled_from([("alive", None), ("alive", None), ("deceased", D(2026, 3, 10)),
                               ("moved_out", D(2026, 4, 1)), ("deceased", D(2026, 2, 27))]),
    "cert": st.sampled_from([("valid", None), ("valid", None), ("expired", D(2026, 3, 31)),
                             ("cancelled", D(2026, 4, 1)), ("valid", D(2026, 3, 16))]),
})
household = st.fixed_dictionaries({
    "assistance_status": st.sampled_from(["none", "dibao", "tekun"]),
    "members": st.lists(member, min_size=1, max_size=3),
    "monitored": st.booleans(),
})
change = st.one_of(
    st.tuples(st.just("give"), st.integers(0, 9), st.sampled_from(KINDS), st.sampled_from(DAYS),
              st.sampled_from([None, *DAYS])),
    st.tuples(st.just("end"), st.integers(0, 9), st.sampled_from(DAYS)),
    st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from(["deceased", "moved_out", "alive"]),
              st.sampled_from(DAYS)),
    st.tuples(st.just("cert"), st.integers(0, 9), st.sampled_from(["valid", "expired", "cancelled"]),
              st.sampled_from([None, *DAYS])),
    st.tuples(st.just("uncertify"), st.integers(0, 9)),
    st.tuples(st.just("household"), st.integers(0, 9), st.sampled_from(["none", "dibao", "tekun"])),
    st.tuples(st.just("monitor"), st.integers(0, 9)),
    st.tuples(st.just("unmonitor"), st.integers(0, 9)),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 9)),
)
# records already there before the first run (some start or end between the two runs' dates)
early = st.lists(st.tuples(st.integers(0, 9), st.sampled_from(KINDS), st.sampled_from(DAYS),
                           st.sampled_from([None, *DAYS])), max_size=6)


def _build(spec):  # type: ignore[no-untyped-def]
    members = [{"birth": D(2026 - m["age"], 6, 1), "needs_long_term_care": m["needs_long_term_care"],
                "needs_rehabilitation": m["needs_rehabilitation"], "training_need": True,
                "training_willing": True, "training_able": True, "living_status": m["status"][0],
                "status_date": m["status"][1],
                **({"disability": {"category": m["category"], "grade": m["grade"], "status": m["cert"][0],
                                   "valid_until": m["cert"][1]}} if m["grade"] else {})}
               for m in spec["members"]]
    home = make_household(village="500243102200", members=members, assistance_status=spec["assistance_status"])
    if spec["monitored"]:
        _monitor(home)
    return home


def _monitor(home) -> None:  # type: ignore[no-untyped-def]
    if not MonitoringCase.objects.filter(household=home).exists():
        lead = lead_open(user=None, household=home, source="visit", evidence={})
        MonitoringCase.objects.create(household=home, lead=lead, stage="monitored", verified_on=D(2026, 1, 5),
                                      authorisation="x.pdf")


def _give(who: Person, kind: str, start: D, end: D | None) -> None:
    if end is not None and end < start:
        start, end = end, start
    benefit_record_create(user=None, person=who, kind=kind, start_on=start, end_on=end)


def _apply(change: tuple, people: list[Person], households: list) -> None:  # type: ignore[type-arg]
    kind, index, *rest = change
    who = Person.objects.get(pk=people[index % len(people)].pk)
    if kind == "give":
        _give(who, *rest)
    elif kind == "end":
        record = BenefitRecord.objects.filter(person=who, end_on__isnull=True).order_by("pk").first()
        if record is not None and rest[0] >= record.start_on:
            benefit_record_end(user=None, record=record, end_on=rest[0])
    elif kind == "status":
        status, day = rest
        registry.person_update(user=None, person=who, living_status=status,
                               status_date=None if status == "alive" else day)
    elif kind == "cert":
        status, valid_until = rest
        current = getattr(who, "disability", None)
        category, grade = (current.category, current.grade) if current else (4, 2)
        registry.disability_set(user=None, person=who, category=category, grade=grade, status=status,
                                valid_until=valid_until, certificate_number=f"{who.id_number}{category}{grade}")
    elif kind == "uncertify":
        registry.disability_remove(user=None, person=who)
    elif kind == "household":
        registry.household_update(user=None, household=who.household, assistance_status=rest[0])
    elif kind == "monitor":  # the monitoring app writes past the registry's listeners: the run compares
        _monitor(who.household)
    elif kind == "unmonitor":
        MonitoringCase.objects.filter(household=who.household).update(stage="exited")
    elif kind == "move":
        target = households[rest[0] % len(households)]
        registry.person_move(user=None, person=who, household=target)


def _facts() -> list[tuple]:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(FACT_COLUMNS)} FROM {FACT_TABLE} WHERE county_id = %s"  # noqa: S608
                       " ORDER BY person_id", [COUNTY])
        return [tuple(str(v) if isinstance(v, datetime.date) else v for v in row) for row in cursor.fetchall()]


def _outcome(run) -> tuple[set, set]:  # type: ignore[no-untyped-def, type-arg]
    findings = set(run.findings.values_list("rule", "kind", "person_id", "reason", "record_id"))
    tallies = set(run.tallies.values_list("rule", "village_id", "eligible", "receiving", "covered", "missed",
                                          "leak"))
    return findings, tallies


# parameters changed between the runs (the training period shapes the facts; the others only the rule scans)
PARAMETERS = [{}, {"living_extend_low_income": True}, {"care_extend_grade3_4": True},
              {"training_period_start": D(2023, 6, 1)}, {"working_age_max": 44, "child_rehab_age_max": 3}]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(household, min_size=1, max_size=3), records=early, changes=st.lists(change, max_size=6),
       first=st.sampled_from(DAYS[:5]), later=st.sampled_from([0, 1, 3, 17, 18, 34, 60]),
       parameters=st.sampled_from(PARAMETERS))
def test_refreshed_facts_equal_facts_rebuilt_for_the_day(pengshui, county_admin, specs, records, changes, first,
                                                         later, parameters):
    county = Area.objects.get(code=COUNTY)
    second = first + datetime.timedelta(days=later)
    with transaction.atomic():
        households = [_build(spec) for spec in specs]
        people = list(Person.objects.filter(household__in=households).order_by("pk"))
        for index, kind, start, end in records:
            _give(people[index % len(people)], kind, start, end)
        coverage_run(county=county, day=first)
        for one in changes:
            _apply(one, people, households)
        if parameters:
            coverage_parameters_save(user=county_admin, county=county, year=2026, **parameters)
        upkept = coverage_run(county=county, day=second)
        assert CoverageFactState.objects.get(county=county).day == second
        kept, outcome = _facts(), _outcome(upkept)
        facts_invalidate()
        rebuilt = coverage_run(county=county, day=second)
        assert _facts() == kept
        assert _outcome(rebuilt) == outcome
        transaction.set_rollback(True)


def test_a_second_run_refreshes_only_what_changed_and_a_new_year_rebuilds(pengshui):
    county = Area.objects.get(code=COUNTY)
    home = make_household(village="500243102200", members=[{"disability": {"category": 4, "grade": 1}}])
    other = make_household(village="500243102200", members=[{"disability": {"category": 4, "grade": 3}}])
    coverage_run(county=county, day=DAY)
    benefit_record_create(user=None, person=home.members.get(), kind="family_doctor", start_on=D(2026, 1, 1))
    run = coverage_run(county=county, day=DAY)
    assert run.new_count == 0 and run.resolved_count == 1  # FAMILY_DOCTOR no longer missed
    from shouwang.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="benefits.coverage.run").order_by("-pk").first()
    assert entry.after["facts"] == "refreshed 1 households"
    assert other.members.get().pk in {row[0] for row in _facts()}
    coverage_run(county=county, day=D(2027, 1, 5))
    entry = AuditEntry.objects.filter(action="benefits.coverage.run").order_by("-pk").first()
    assert entry.after["facts"] == "rebuilt"


def test_a_later_day_refreshes_the_persons_whose_dates_it_passed(pengshui):
    """No write between the runs: a record ending, a record starting, a death and a certificate lapsing
    between the two days change the facts all the same."""
    county = Area.objects.get(code=COUNTY)
    severe = {"disability": {"category": 4, "grade": 1}}
    ending, starting, dying, lapsing = (
        make_household(village="500243102200", members=[severe], assistance_status="dibao").members.get()
        for _ in range(4))
    benefit_record_create(user=None, person=ending, kind="living_subsidy", start_on=D(2025, 1, 1),
                          end_on=D(2026, 3, 20))
    benefit_record_create(user=None, person=starting, kind="living_subsidy", start_on=D(2026, 3, 25))
    registry.person_update(user=None, person=dying, living_status="deceased", status_date=D(2026, 3, 10))
    benefit_record_create(user=None, person=dying, kind="living_subsidy", start_on=D(2025, 1, 1))
    registry.disability_set(user=None, person=lapsing, category=4, grade=1, status="expired",
                            valid_until=D(2026, 3, 31), certificate_number=f"{lapsing.id_number}41")
    benefit_record_create(user=None, person=lapsing, kind="living_subsidy", start_on=D(2025, 1, 1))
    coverage_run(county=county, day=DAY)
    later = coverage_run(county=county, day=D(2026, 4, 1))
    kept, outcome = _facts(), _outcome(later)
    facts_invalidate()
    assert _outcome(coverage_run(county=county, day=D(2026, 4, 1))) == outcome
    assert _facts() == kept
    living = {(kind, pk): reason for rule, kind, pk, reason, _ in outcome[0] if rule == "LIVING_SUBSIDY"}
    assert living == {("missed", ending.pk): "MISSED", ("leak", dying.pk): "DECEASED",
                      ("leak", lapsing.pk): "CERT_EXPIRED"}


def test_a_household_entering_or_leaving_monitoring_is_refreshed_without_a_write_to_mark_it(pengshui):
    county = Area.objects.get(code=COUNTY)
    home = make_household(village="500243102200", members=[{"disability": {"category": 4, "grade": 3}}])
    who = home.members.get()
    coverage_run(county=county, day=DAY)
    lead = Lead.objects.create(household=home, source="visit", found_on=D(2026, 1, 2))
    MonitoringCase.objects.create(household=home, lead=lead, stage="monitored", verified_on=D(2026, 1, 5))
    run = coverage_run(county=county, day=DAY)
    assert ("MEDICAL_CONTRIBUTION", "missed", who.pk, "MISSED", None) in _outcome(run)[0]
    MonitoringCase.objects.filter(household=home).update(stage="exited")
    run = coverage_run(county=county, day=DAY)
    assert "MEDICAL_CONTRIBUTION" not in {rule for rule, *_ in _outcome(run)[0]}


def test_a_parameter_change_is_read_by_the_rules_and_only_a_new_training_period_rebuilds(pengshui, county_admin):
    county = Area.objects.get(code=COUNTY)
    lifted = make_household(village="500243102200", members=[{"disability": {"category": 4, "grade": 3}}],
                            poverty_status="lifted", lifted_year=2019).members.get()
    coverage_run(county=county, day=DAY)
    coverage_parameters_save(user=county_admin, county=county, year=2026, living_extend_low_income=True)
    run = coverage_run(county=county, day=DAY)
    assert _facts_done() == "refreshed 0 households"
    assert ("LIVING_SUBSIDY", "missed", lifted.pk, "MISSED_EXTENDED", None) in _outcome(run)[0]
    coverage_parameters_save(user=county_admin, county=county, year=2026, training_period_start=D(2022, 1, 1))
    coverage_run(county=county, day=DAY)
    assert _facts_done() == "rebuilt"


def _facts_done() -> str:
    from shouwang.audit.models import AuditEntry

    return AuditEntry.objects.filter(action="benefits.coverage.run").order_by("-pk").first().after["facts"]
