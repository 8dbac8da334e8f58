"""Rules on members: disability, labour, schooling, insurance. Ages are taken on the screening day."""

import pytest

from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import born, screened_codes

pytestmark = pytest.mark.django_db

LOST = {"labour_capacity": "lost"}


def test_severe_disability_fires_per_grade_one_or_two_member(pengshui):
    h = make_household(members=[{"disability": {"category": 4, "grade": 2}}, {"disability": {"category": 5, "grade": 1}}])
    assert "SEVERE_DISABILITY" in screened_codes(h)
    assert Hit.objects.current().filter(household=h, rule_code="SEVERE_DISABILITY", person__isnull=False).count() == 2


def test_grade_three_is_not_severe(pengshui):
    h = make_household(members=[{"disability": {"category": 4, "grade": 3}}])
    assert "SEVERE_DISABILITY" not in screened_codes(h)


def test_multi_disabled_needs_two_disabled_members(pengshui):
    two = make_household(members=[{"disability": {"category": 4, "grade": 3}}, {"disability": {"category": 1, "grade": 4}}])
    one = make_household(members=[{"disability": {"category": 4, "grade": 3}}, {}])
    assert "MULTI_DISABLED" in screened_codes(two)
    assert "MULTI_DISABLED" not in screened_codes(one)


@pytest.mark.parametrize(("elderly_age", "days_after", "fires"), [(60, 0, True), (59, 364, False), (75, 0, True)])
def test_elderly_no_labour_fires_from_the_sixtieth_birthday(pengshui, elderly_age, days_after, fires):
    h = make_household(members=[
        {"birth": born(40), "disability": {"category": 4, "grade": 3}, **LOST},
        {"birth": born(elderly_age, days_after=days_after), "labour_capacity": "weak"},
    ])
    assert ("ELDERLY_NO_LABOUR" in screened_codes(h)) is fires


def test_elderly_no_labour_does_not_fire_with_an_able_working_age_member(pengshui):
    h = make_household(members=[
        {"birth": born(40), "disability": {"category": 4, "grade": 3}, **LOST},
        {"birth": born(70), **LOST},
        {"birth": born(59), "labour_capacity": "weak"},
    ])
    assert "ELDERLY_NO_LABOUR" not in screened_codes(h)


def test_elderly_no_labour_needs_someone_else_to_be_elderly(pengshui):
    alone = make_household(members=[{"birth": born(70), "disability": {"category": 4, "grade": 3}, **LOST}])
    assert "ELDERLY_NO_LABOUR" not in screened_codes(alone)


@pytest.mark.parametrize(("capacities", "fires"), [(["lost", "none"], True), (["lost", "weak"], False), (["normal"], False)])
def test_no_labour_fires_when_no_member_can_work(pengshui, capacities, fires):
    h = make_household(members=[{"labour_capacity": c} for c in capacities])
    assert ("NO_LABOUR" in screened_codes(h)) is fires


@pytest.mark.parametrize(("age", "days_after", "schooling", "fires"), [
    (15, 1, "dropout", True),  # 15 until tomorrow
    (16, 0, "dropout", False),  # sixteenth birthday today
    (6, 0, "not_in_school", True),
    (5, 364, "not_in_school", False),
    (12, 0, "compulsory", False),
])
def test_school_dropout_covers_compulsory_ages_six_to_fifteen(pengshui, age, days_after, schooling, fires):
    h = make_household(members=[{}, {"birth": born(age, days_after=days_after), "schooling": schooling}])
    assert ("SCHOOL_DROPOUT" in screened_codes(h)) is fires


def test_no_medical_insurance_fires_for_the_uninsured_member(pengshui):
    h = make_household(members=[{}, {"name": "未参保", "medical_insurance": False}])
    insured = make_household(members=[{}])
    assert "NO_MEDICAL_INSURANCE" in screened_codes(h)
    assert Hit.objects.current().get(household=h, rule_code="NO_MEDICAL_INSURANCE").person.name == "未参保"
    assert "NO_MEDICAL_INSURANCE" not in screened_codes(insured)
