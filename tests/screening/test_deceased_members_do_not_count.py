"""Deceased and moved-out members keep their history but never make a rule fire."""

import datetime

import pytest

from shouwang.registry import services as registry
from tests.conftest import make_household
from tests.screening.helpers import born, codes, screened_codes

pytestmark = pytest.mark.django_db


def _leave(person, status="deceased"):
    registry.person_update(user=None, person=person, living_status=status, status_date=datetime.date(2026, 1, 2))


@pytest.mark.parametrize("status", ["deceased", "moved_out"])
def test_member_who_left_resolves_their_person_hits(pengshui, status):
    h = make_household(members=[{}, {"name": "逝者", "medical_insurance": False, "disability": {"category": 4, "grade": 1}}])
    assert {"SEVERE_DISABILITY", "NO_MEDICAL_INSURANCE"} <= codes(h)
    _leave(h.members.get(name="逝者"), status)
    assert not {"SEVERE_DISABILITY", "NO_MEDICAL_INSURANCE"} & screened_codes(h)


def test_deceased_disabled_member_does_not_make_a_multi_disabled_household(pengshui):
    h = make_household(members=[{"disability": {"category": 4, "grade": 3}}, {"name": "逝者", "disability": {"category": 1, "grade": 3}}])
    assert "MULTI_DISABLED" in codes(h)
    _leave(h.members.get(name="逝者"))
    assert "MULTI_DISABLED" not in screened_codes(h)


def test_deceased_able_member_no_longer_protects_the_household(pengshui):
    h = make_household(members=[
        {"birth": born(40), "labour_capacity": "lost", "disability": {"category": 4, "grade": 3}},
        {"birth": born(70), "labour_capacity": "lost"},
        {"name": "壮劳力", "birth": born(35)},
    ])
    assert not {"ELDERLY_NO_LABOUR", "NO_LABOUR"} & codes(h)
    _leave(h.members.get(name="壮劳力"))
    assert {"ELDERLY_NO_LABOUR", "NO_LABOUR"} <= screened_codes(h)


def test_deceased_elderly_member_does_not_count(pengshui):
    h = make_household(members=[
        {"birth": born(40), "labour_capacity": "lost", "disability": {"category": 4, "grade": 3}},
        {"name": "老人", "birth": born(80), "labour_capacity": "lost"},
    ])
    assert "ELDERLY_NO_LABOUR" in codes(h)
    _leave(h.members.get(name="老人"))
    assert "ELDERLY_NO_LABOUR" not in screened_codes(h)


def test_rules_agree_with_the_household_counts(pengshui):
    """The denormalised counts and the rules both ignore members who left."""
    h = make_household(members=[{"disability": {"category": 4, "grade": 1}}, {"name": "逝者", "disability": {"category": 4, "grade": 2}}])
    _leave(h.members.get(name="逝者"))
    h.refresh_from_db()
    assert (h.disabled_count, h.severe_count) == (1, 1)
    from shouwang.screening.models import Hit

    assert Hit.objects.current().filter(household=h, rule_code="SEVERE_DISABILITY").count() == h.severe_count
