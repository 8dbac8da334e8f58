"""Rules on the household: housing and drinking-water safety, recent sudden events."""

import datetime

import pytest

from shouwang.registry import services as registry
from tests.conftest import make_household
from tests.screening.helpers import TODAY, screened_codes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("state", "fires"), [("unsafe", True), ("safe", False), ("unchecked", False)])
def test_housing_unsafe_fires_only_on_a_checked_unsafe_house(pengshui, state, fires):
    h = make_household(housing_safety=state)
    assert ("HOUSING_UNSAFE" in screened_codes(h)) is fires


@pytest.mark.parametrize(("state", "fires"), [("unsafe", True), ("safe", False), ("unchecked", False)])
def test_water_unsafe_fires_only_on_checked_unsafe_water(pengshui, state, fires):
    h = make_household(water_safety=state)
    assert ("WATER_UNSAFE" in screened_codes(h)) is fires


@pytest.mark.parametrize(("days_ago", "fires"), [(0, True), (180, True), (181, False)])
def test_sudden_event_fires_within_the_window(pengshui, days_ago, fires):
    h = make_household()
    registry.household_event_record(user=None, household=h, kind="disaster",
                                    occurred_on=TODAY.date() - datetime.timedelta(days=days_ago))
    assert ("SUDDEN_EVENT" in screened_codes(h)) is fires


def test_sudden_event_evidence_is_the_latest_event(pengshui):
    from shouwang.screening.models import Hit
    from shouwang.screening.rules import explain

    h = make_household()
    registry.household_event_record(user=None, household=h, kind="illness", occurred_on=datetime.date(2026, 3, 1))
    registry.household_event_record(user=None, household=h, kind="accident", occurred_on=datetime.date(2026, 5, 1))
    screened_codes(h)
    hit = Hit.objects.current().get(household=h, rule_code="SUDDEN_EVENT")
    assert explain(hit.rule_code, hit.evidence) == "近 180 天内登记突发变故 2 次，最近一次 2026-05-01 因意外"
