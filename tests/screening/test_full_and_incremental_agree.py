"""Property: whatever the registry and however it changes, the hits kept up to date by the change
listener equal a full run's, and both equal the rules evaluated one household at a time in Python."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shouwang.areas.models import Area
from shouwang.registry import services as registry
from shouwang.registry.models import Household, Person
from shouwang.screening import reference
from shouwang.screening.models import Hit
from shouwang.screening.rules import Scope
from shouwang.screening.services import run_context, screening_run
from tests.conftest import make_household
from tests.screening.helpers import TODAY

pytestmark = pytest.mark.django_db

VILLAGES = ("500243102200", "500243102201", "500243103200")
TODAY_DATE = TODAY.date()

member = st.fixed_dictionaries({
    "age": st.sampled_from([3, 6, 10, 15, 16, 30, 45, 59, 60, 61, 80]),
    "labour_capacity": st.sampled_from(["normal", "weak", "lost", "none"]),
    "schooling": st.sampled_from(["compulsory", "dropout", "not_in_school"]),
    "medical_insurance": st.booleans(),
    "grade": st.sampled_from([None, None, 1, 2, 3, 4]),
    "living_status": st.sampled_from(["alive", "alive", "alive", "deceased", "moved_out"]),
})
money = st.sampled_from([Decimal(v) for v in ("0", "2000", "5000", "7000", "7499.99", "7500", "10000", "12000")])
income = st.fixed_dictionaries({"year": st.sampled_from([2024, 2025]), "wage_income": money,
                                "transfer_income": money, "medical_spending": money})
household = st.fixed_dictionaries({
    "village": st.sampled_from(VILLAGES),
    "housing_safety": st.sampled_from(["unchecked", "safe", "unsafe"]),
    "water_safety": st.sampled_from(["unchecked", "safe", "unsafe"]),
    "members": st.lists(member, min_size=1, max_size=4),
    "incomes": st.lists(income, max_size=2),
    "event_days_ago": st.sampled_from([None, 10, 180, 181]),
})
change = st.one_of(
    st.tuples(st.just("housing"), st.integers(0, 9), st.sampled_from(["safe", "unsafe"])),
    st.tuples(st.just("income"), st.integers(0, 9), income),
    st.tuples(st.just("person"), st.integers(0, 9), member),
    st.tuples(st.just("event"), st.integers(0, 9), st.sampled_from([0, 100, 200])),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 9)),
)


def _build(spec):
    members = []
    for i, m in enumerate(spec["members"]):
        data = {
            "birth": TODAY_DATE.replace(year=TODAY_DATE.year - m["age"]), "relation": "head" if i == 0 else "other",
            "labour_capacity": m["labour_capacity"], "schooling": m["schooling"],
            "medical_insurance": m["medical_insurance"], "living_status": m["living_status"],
        }
        if m["living_status"] != "alive":
            data["status_date"] = datetime.date(2026, 1, 1)
        if m["grade"]:
            data["disability"] = {"category": 4, "grade": m["grade"]}
        members.append(data)
    h = make_household(village=spec["village"], housing_safety=spec["housing_safety"],
                       water_safety=spec["water_safety"], members=members)
    for record in spec["incomes"]:
        registry.income_record_save(user=None, household=h, **record)
    if spec["event_days_ago"] is not None:
        registry.household_event_record(user=None, household=h, kind="illness",
                                        occurred_on=TODAY_DATE - datetime.timedelta(days=spec["event_days_ago"]))
    return h


def _apply(kind, index, value, households):
    h = households[index % len(households)]
    h.refresh_from_db()
    if kind == "housing":
        registry.household_update(user=None, household=h, housing_safety=value)
    elif kind == "income":
        registry.income_record_save(user=None, household=h, **value)
    elif kind == "event":
        registry.household_event_record(user=None, household=h, kind="accident",
                                        occurred_on=TODAY_DATE - datetime.timedelta(days=value))
    elif kind == "person":
        person = Person.objects.filter(household=h).order_by("pk").first()
        if person is None:  # every member moved away by an earlier change
            return
        status = value["living_status"]
        registry.person_update(user=None, person=person, labour_capacity=value["labour_capacity"],
                               schooling=value["schooling"], medical_insurance=value["medical_insurance"],
                               living_status=status, status_date=None if status == "alive" else datetime.date(2026, 1, 1))
    elif kind == "move":
        person = Person.objects.filter(household=h).order_by("-pk").first()
        if person is None:
            return
        target = households[value % len(households)]
        registry.person_move(user=None, person=person, household=target)


def _current():
    return set(Hit.objects.current().values_list("rule_code", "household_id", "person_id", "rule_version",
                                                 "parameter_year"))


def _current_with_evidence():
    return {(*key, repr(sorted(evidence.items()))) for *key, evidence in Hit.objects.current().values_list(
        "rule_code", "household_id", "person_id", "evidence")}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(household, min_size=1, max_size=4), changes=st.lists(change, max_size=5))
def test_incremental_hits_equal_a_full_run_and_the_python_reference(pengshui, specs, changes):
    with transaction.atomic():
        households = [_build(spec) for spec in specs]
        for kind, index, value in changes:
            _apply(kind, index, value, households)
        incremental, incremental_evidence = _current(), _current_with_evidence()
        county = Area.objects.get(code="500243000000")
        run = screening_run(area=county)
        assert (run.new_count, run.resolved_count, run.changed_count) == (0, 0, 0)
        assert _current() == incremental and _current_with_evidence() == incremental_evidence
        # A first run (no current hits: the rules write straight into the hit table) finds the same.
        Hit.objects.all().delete()
        first = screening_run(area=county)
        assert _current_with_evidence() == incremental_evidence
        assert first.new_count == first.total_hits == len(incremental) and first.hit_counts == run.hit_counts
        ctx = run_context("500243", None, Scope(everything=True))
        expected = reference.evaluate(Household.objects.order_by("pk"), ctx.params, ctx.as_of)
        assert {(code, h, p) for code, h, p, *_ in incremental} == expected
        transaction.set_rollback(True)
