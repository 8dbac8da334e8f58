"""Kept facts: a person or household that moved in from another county is counted by
the new county's run exactly as a from-scratch rebuild counts it, whichever county runs first."""

import datetime

import pytest
from django.db import connection

from shouwang.areas.models import Area, AreaLevel
from shouwang.areas.services import areas_load_county
from shouwang.benefits.facts import FACT_TABLE
from shouwang.benefits.services import benefit_record_create, coverage_run
from shouwang.registry import services as registry
from tests.benefits.conftest import DAY, SEVERE, person
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def _youyang() -> tuple[Area, str]:
    county = areas_load_county(county_code="500242").county
    village = Area.objects.filter(level=AreaLevel.VILLAGE, county_code=county.code).order_by("code").first()
    return county, village.code


def _living(run) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return dict(run.findings.filter(rule="LIVING_SUBSIDY").values_list("person_id", "reason"))


def _from_scratch(county: Area) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FACT_TABLE}")  # noqa: S608
    return _living(coverage_run(county=county, day=DAY))


def test_a_certified_person_moved_in_from_another_county_is_counted_by_the_new_countys_first_run(pengshui):
    youyang, village = _youyang()
    who = person(disability=SEVERE, household={"assistance_status": "dibao"})
    coverage_run(county=pengshui, day=DAY)  # Pengshui's facts now hold the person
    there = make_household(village=village, members=[{"name": "户主"}], assistance_status="dibao")
    registry.person_move(user=None, person=who, household=there)

    run = coverage_run(county=youyang, day=DAY)  # the county's first run: a rebuild

    assert _living(run) == {who.pk: "MISSED"}
    assert _living(run) == _from_scratch(youyang)


def test_a_household_moved_to_another_county_is_counted_by_that_countys_first_run(pengshui):
    youyang, village = _youyang()
    who = person(disability=SEVERE, household={"assistance_status": "dibao"})
    coverage_run(county=pengshui, day=DAY)
    registry.household_update(user=None, household=who.household, village=village)

    run = coverage_run(county=youyang, day=DAY)

    assert _living(run) == {who.pk: "MISSED"}


def test_an_uncertified_receiver_moved_in_from_another_county_is_leakage_of_the_new_county(pengshui):
    """No error here: the new county's rebuild silently skips the person, because a fact row of the old
    county still holds their id; and it clears the stale mark, so later runs miss them too."""
    youyang, village = _youyang()
    who = person(household={"assistance_status": "dibao"})  # no certificate
    benefit_record_create(user=None, person=who, kind="living_subsidy", start_on=datetime.date(2025, 1, 1))
    assert _living(coverage_run(county=pengshui, day=DAY)) == {who.pk: "NO_CERTIFICATE"}
    there = make_household(village=village, members=[{"name": "户主"}], assistance_status="dibao")
    registry.person_move(user=None, person=who, household=there)

    first = coverage_run(county=youyang, day=DAY)
    assert _living(coverage_run(county=pengshui, day=DAY)) == {}  # gone from Pengshui
    later = coverage_run(county=youyang, day=DAY)  # refreshed: nothing marked any more

    assert (_living(first), _living(later)) == ({who.pk: "NO_CERTIFICATE"}, {who.pk: "NO_CERTIFICATE"})


def test_a_household_moved_away_leaves_no_finding_behind_in_the_old_county(pengshui):
    """The new county's first run (a rebuild) takes the household's stale mark although the old county's
    facts still hold its members: the old county keeps reporting them as its own."""
    youyang, village = _youyang()
    who = person(household={"assistance_status": "dibao"})  # no certificate, paid anyway
    benefit_record_create(user=None, person=who, kind="living_subsidy", start_on=datetime.date(2025, 1, 1))
    assert _living(coverage_run(county=pengshui, day=DAY)) == {who.pk: "NO_CERTIFICATE"}
    registry.household_update(user=None, household=who.household, village=village)

    coverage_run(county=youyang, day=DAY)
    old = coverage_run(county=pengshui, day=DAY)

    assert _living(old) == {}
    assert sum(old.tallies.filter(rule="LIVING_SUBSIDY").values_list("receiving", flat=True)) == 0
