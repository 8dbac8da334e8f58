"""Kept facts: the counts the tallies take receiving persons from (fact rows per county, village and
`received` bits) stay equal to a count of the kept fact rows themselves, through a rebuild, a refresh of
changed households and the first run of another county that takes a person over."""

import pytest
from django.db import connection

from shouwang.areas.models import Area, AreaLevel
from shouwang.areas.services import areas_load_county
from shouwang.audit.models import AuditEntry
from shouwang.benefits.facts import COUNT_TABLE, FACT_TABLE, PATTERN_SPAN
from shouwang.benefits.services import coverage_run
from shouwang.registry import services as registry
from tests.benefits.conftest import DAY, DIBAO, SEVERE, give, person
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

OTHER_VILLAGE = "500243103200"


def _kept_counts() -> dict[tuple[str, str, int], int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT county_id, pattern, n FROM {COUNT_TABLE} WHERE n <> 0")  # noqa: S608
        return {(county, str(pattern // PATTERN_SPAN).zfill(12), pattern % PATTERN_SPAN): n
                for county, pattern, n in cursor.fetchall()}


def _fact_rows_counted() -> dict[tuple[str, str, int], int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT county_id, village_id, received, COUNT(*) FROM {FACT_TABLE}"  # noqa: S608
                       " GROUP BY county_id, village_id, received")
        return {(county, village, received): n for county, village, received, n in cursor.fetchall()}


def _facts_done(run) -> str:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.get(action="benefits.coverage.run", object_id=str(run.pk)).after["facts"]


def test_the_kept_counts_equal_the_fact_rows_after_a_rebuild_and_a_refresh(pengshui):
    first, second = person(disability=SEVERE, household=DIBAO), person(disability=SEVERE)
    give(first, "living_subsidy")
    give(second, "family_doctor", start=DAY.replace(month=1, day=1))
    assert _facts_done(coverage_run(county=pengshui, day=DAY)) == "rebuilt"
    assert _kept_counts() == _fact_rows_counted() != {}

    give(first, "family_doctor", start=DAY.replace(month=1, day=1))  # another pattern, same village
    registry.household_update(user=None, household=second.household, village=OTHER_VILLAGE)
    person(disability=SEVERE)
    run = coverage_run(county=pengshui, day=DAY)

    assert _facts_done(run).startswith("refreshed")
    assert _kept_counts() == _fact_rows_counted()
    receiving = {t.village_id: t.receiving for t in run.tallies.filter(rule="FAMILY_DOCTOR")}
    assert receiving[first.household.village_id] == 1 and receiving[OTHER_VILLAGE] == 1


def test_a_person_taken_over_by_another_countys_first_run_leaves_the_old_countys_counts(pengshui):
    who = person(disability=SEVERE, household=DIBAO)
    give(who, "living_subsidy")
    coverage_run(county=pengshui, day=DAY)
    youyang = areas_load_county(county_code="500242").county
    village = Area.objects.filter(level=AreaLevel.VILLAGE, county_code=youyang.code).order_by("code").first()
    there = make_household(village=village.code, members=[{"name": "户主"}])
    registry.person_move(user=None, person=who, household=there)

    assert _facts_done(coverage_run(county=youyang, day=DAY)) == "rebuilt"

    assert _kept_counts() == _fact_rows_counted()
    assert {county for county, _, _ in _kept_counts()} == {youyang.code}
