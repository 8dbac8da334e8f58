"""`shouwang demo` builds a realistic, valid, deterministic synthetic county on the real villages."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.models import AuditEntry
from shouwang.core import demo as core_demo
from shouwang.registry import demo
from shouwang.registry.demo import demo_county_generate
from shouwang.registry.identity import check_certificate, parse_id_number
from shouwang.registry.models import Disability, Helper, Household, HouseholdEvent, IncomeRecord, Person
from shouwang.registry.services import INCOME_FIELDS, compute_income, household_refresh_counts

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)
HOUSEHOLDS = 400  # more than the 296 villages, so every village gets households


def build(county: Area, seed: int = 7, households: int = HOUSEHOLDS, **kwargs):  # type: ignore[no-untyped-def]
    return demo_county_generate(county=county, households=households, seed=seed, today=TODAY, **kwargs)


def stored(model, *order: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Every column of every row, ids and timestamps left out (relations read through the household number)."""
    natural = {Household: "number", Person: "id_number"}
    columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key
               and f.attname not in ("created_at", "updated_at") and f.related_model not in natural]
    links = [f"{f.name}__{natural[f.related_model]}" for f in model._meta.concrete_fields
             if f.related_model in natural]
    return list(model.objects.order_by(*order).values_list(*links, *columns))


def county_fingerprint() -> list[tuple]:
    """The whole county as stored: every household, member, certificate, income record, helper and event."""
    return [
        *stored(Household, "number"),
        *stored(Person, "id_number"),
        *stored(Disability, "certificate_number"),
        *stored(IncomeRecord, "household__number", "year"),
        *stored(Helper, "household__number", "kind", "name"),
        *stored(HouseholdEvent, "household__number", "occurred_on"),
    ]


def wipe_registry() -> None:
    HouseholdEvent.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()


def test_the_same_seed_builds_the_same_county_and_another_seed_another(pengshui):
    build(pengshui, seed=7)
    first = county_fingerprint()
    wipe_registry()
    build(pengshui, seed=7)
    assert county_fingerprint() == first
    wipe_registry()
    build(pengshui, seed=8)
    assert county_fingerprint() != first


def test_a_county_drawn_in_many_chunks_is_the_same_for_a_seed_with_unique_numbers_throughout(pengshui, monkeypatch):
    """Big counties are drawn chunk by chunk, the next chunk in a worker thread while one is written."""
    monkeypatch.setattr(demo, "CHUNK", 64)
    result = build(pengshui, seed=5)
    first = county_fingerprint()
    ids = list(Person.objects.values_list("id_number", flat=True))
    assert len(set(ids)) == len(ids) == result.persons
    numbers = list(Household.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) == HOUSEHOLDS
    assert Helper.objects.filter(kind="specialist").count() == HOUSEHOLDS
    wipe_registry()
    build(pengshui, seed=5)
    assert county_fingerprint() == first


def test_every_id_number_and_certificate_is_valid_unique_and_consistent(pengshui):
    build(pengshui)
    persons = list(Person.objects.select_related("disability"))
    assert len({p.id_number for p in persons}) == len(persons)
    for person in persons:
        parsed = parse_id_number(person.id_number, today=TODAY)
        assert (parsed.sex, parsed.birth_date) == (person.sex, person.birth_date)
        if hasattr(person, "disability"):
            d = person.disability
            assert check_certificate(d.certificate_number, id_number=person.id_number, category=d.category,
                                     grade=d.grade) == d.certificate_number


def test_older_people_partly_carry_sichuan_era_birthplace_codes_and_younger_never(pengshui):
    build(pengshui)
    codes_old = list(Person.objects.filter(birth_date__lt="1985-01-01").values_list("id_number", flat=True))
    codes_young = list(Person.objects.filter(birth_date__gte="1985-01-01").values_list("id_number", flat=True))
    sichuan = [n for n in codes_old if n[:6] in ("512327", "513525")]
    assert 0.25 < len(sichuan) / len(codes_old) < 0.65
    assert {n[:6] for n in sichuan} == {"512327", "513525"}
    assert {n[:6] for n in codes_young} == {"500243"}


def test_stored_counts_and_incomes_are_exactly_what_the_services_compute(pengshui):
    build(pengshui, households=150)
    stored = list(Household.objects.order_by("pk").values_list(
        "pk", "head_name", "member_count", "disabled_count", "severe_count", "disability_kinds"))
    household_refresh_counts([row[0] for row in stored])
    assert list(Household.objects.order_by("pk").values_list(
        "pk", "head_name", "member_count", "disabled_count", "severe_count", "disability_kinds")) == stored
    living = {h.pk: h.member_count for h in Household.objects.all()}
    for record in IncomeRecord.objects.all():
        values = {f: getattr(record, f) for f in INCOME_FIELDS}
        net, per_capita = compute_income(values, living[record.household_id])
        assert (record.net_income, record.per_capita_income) == (net, per_capita)
        assert record.member_count == living[record.household_id]


def test_households_cover_every_village_with_county_unique_numbers(pengshui):
    build(pengshui)
    villages = Area.objects.filter(county_code=pengshui.code, level=AreaLevel.VILLAGE)
    assert set(Household.objects.values_list("village_id", flat=True)) == set(villages.values_list("code", flat=True))
    numbers = list(Household.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) == HOUSEHOLDS
    assert all(h.township_id == h.village.township_code for h in Household.objects.select_related("village"))


def share(qs, total) -> float:  # type: ignore[no-untyped-def]
    return qs.count() / total


def test_shares_of_the_county_are_roughly_as_in_a_real_one(pengshui):
    build(pengshui, households=600)
    households = Household.objects.all()
    n = households.count()
    sizes = {m.member_count for m in households}
    assert min(sizes) == 1 and max(sizes) == 7
    assert not households.filter(disabled_count=0).exists()  # a registry of disabled persons' households
    assert 0.06 < share(households.filter(disabled_count__gte=2), n) < 0.16
    assert 0.13 < share(households.filter(assistance_status="dibao"), n) < 0.28
    assert 0.02 < share(households.filter(assistance_status="tekun"), n) < 0.09
    lifted = households.filter(poverty_status="lifted")
    assert 0.32 < share(lifted, n) < 0.48
    assert set(lifted.values_list("lifted_year", flat=True)) <= set(range(2014, 2021))
    assert households.filter(housing_safety="unsafe").exists() and households.filter(water_safety="unsafe").exists()

    certificates = Disability.objects.all()
    total = certificates.count()
    assert 0.38 < share(certificates.filter(category=4), total) < 0.52  # physical
    assert 0.06 < share(certificates.filter(category=7), total) < 0.19  # multiple
    assert 0.27 < share(certificates.filter(grade__lte=2), total) < 0.43  # severe
    assert 0.85 < share(certificates.filter(status="valid"), total) < 0.97
    assert certificates.filter(status="expired", valid_until__lt=TODAY).exists()

    persons = Person.objects.all()
    assert 0.2 < share(persons.filter(birth_date__lte=datetime.date(1966, 6, 30)), persons.count()) < 0.5
    assert share(persons.filter(medical_insurance=False), persons.count()) < 0.05
    assert persons.filter(schooling="dropout").exists() and persons.filter(schooling="compulsory").exists()
    gone = persons.exclude(living_status="alive")
    assert gone.exists() and not gone.filter(status_date__isnull=True).exists()


def test_incomes_put_some_households_below_and_near_the_monitoring_line(pengshui):
    build(pengshui, households=600)
    latest = IncomeRecord.objects.filter(year=TODAY.year - 1)
    assert latest.count() == IncomeRecord.objects.filter(year=TODAY.year - 2).count() == 600
    assert 0.02 < share(latest.filter(per_capita_income__lt=7000), 600) < 0.09
    assert 0.05 < share(latest.filter(per_capita_income__gte=7000, per_capita_income__lt=9000), 600) < 0.16
    before = dict(IncomeRecord.objects.filter(year=TODAY.year - 2).values_list("household_id", "per_capita_income"))
    drops = [r for r in latest if r.per_capita_income < before[r.household_id] * Decimal("0.7")]
    assert 3 <= len(drops) <= 40


def test_helpers_have_names_and_phones_and_events_are_recent(pengshui):
    build(pengshui)
    assert Helper.objects.filter(kind="specialist").count() == HOUSEHOLDS
    assert set(Helper.objects.values_list("kind", flat=True)) == {"specialist", "paired", "work_team",
                                                                  "first_secretary"}
    assert not Helper.objects.filter(name="").exists() and not Helper.objects.filter(phone="").exists()
    events = HouseholdEvent.objects.all()
    assert events.exists()
    assert all(TODAY - datetime.timedelta(days=183) <= e.occurred_on < TODAY for e in events)


def test_a_load_keeps_every_index_of_the_schema_and_the_connection_settings(pengshui):
    tables = [m._meta.db_table for m in (Household, Person, Disability, IncomeRecord, Helper, HouseholdEvent)]
    with connection.cursor() as cursor:
        indexes = {t: connection.introspection.get_constraints(cursor, t) for t in tables}
        cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SHOW work_mem")
        setting = cursor.fetchone()
        build(pengshui, households=50)
        assert {t: connection.introspection.get_constraints(cursor, t) for t in tables} == indexes
        cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SHOW work_mem")
        assert cursor.fetchone() == setting
    assert Household.objects.count() == 50


def test_cli_builds_the_county_logs_one_audit_entry_and_runs_the_demo_steps(pengshui, monkeypatch):
    seen = []
    monkeypatch.setattr(core_demo, "DEMO_STEPS", [lambda county, seed, stdout: seen.append((county.code, seed))])
    out = io.StringIO()
    call_command("demo", households=120, seed=3, county="500243", stdout=out, stderr=io.StringIO())
    assert Household.objects.count() == 120
    assert "120 户" in out.getvalue()
    entry = AuditEntry.objects.get(action="registry.demo.generated")
    assert entry.after["households"] == 120 and entry.after["seed"] == 3
    assert AuditEntry.objects.count() == 1  # no audit rows per person
    assert seen == [(pengshui.code, 3)]


def test_if_empty_leaves_a_county_with_households_alone(pengshui, tongluo_household):
    out = io.StringIO()
    call_command("demo", "--households", "50", "--seed", "1", "--if-empty", stdout=out, stderr=io.StringIO())
    assert Household.objects.count() == 1
    assert "未生成" in out.getvalue()


def test_without_if_empty_demo_households_are_added_next_to_existing_ones(pengshui, tongluo_household):
    call_command("demo", "--households", "30", "--seed", "1", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("demo", "--households", "30", "--seed", "1", stdout=io.StringIO(), stderr=io.StringIO())
    assert Household.objects.count() == 61
    ids = list(Person.objects.values_list("id_number", flat=True))
    assert len(set(ids)) == len(ids)


def test_a_demo_load_leaves_fresh_planner_statistics(pengshui):
    """Without statistics SQLite may probe each household's certificates through the category index."""
    build(pengshui, households=50)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'registry_person'")
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_person'")
        assert cursor.fetchone()[0] > 0
