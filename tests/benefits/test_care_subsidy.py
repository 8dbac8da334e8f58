"""CARE_SUBSIDY: grade 1-2 needing long-term care; not 特困, not with 工伤护理费; 择高 with elderly/retiree care."""

import pytest

from tests.benefits.conftest import MILD, SEVERE, TEKUN, evaluate, give, person, set_parameters

pytestmark = pytest.mark.django_db
CARE = {"needs_long_term_care": True}


def test_severe_needing_care_is_covered_when_paid_and_missed_when_not():
    paid = person(disability=SEVERE, **CARE)
    give(paid, "care_subsidy")
    unpaid = person(disability={"category": 1, "grade": 2}, **CARE)
    result = evaluate("CARE_SUBSIDY")
    assert result.missed == {unpaid.pk: "MISSED"}
    assert result.leak == {}
    assert result.tally["covered"] == 1


def test_severe_without_long_term_care_need_is_not_owed_and_paying_is_leak():
    no_need = person(disability=SEVERE)
    assert evaluate("CARE_SUBSIDY").missed == {}
    give(no_need, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {no_need.pk: "NO_LONG_TERM_CARE"}


def test_grade_four_paid_is_leak():
    mild = person(disability=MILD, **CARE)
    give(mild, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {mild.pk: "GRADE"}


def test_tekun_is_excluded():
    tekun = person(household=TEKUN, disability=SEVERE, **CARE)
    assert evaluate("CARE_SUBSIDY").missed == {}
    give(tekun, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {tekun.pk: "TEKUN"}


def test_work_injury_nursing_pay_excludes_the_care_subsidy():
    injured = person(disability=SEVERE, **CARE)
    give(injured, "work_injury_care")
    assert evaluate("CARE_SUBSIDY").missed == {}
    give(injured, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {injured.pk: "WORK_INJURY_CARE"}


def test_choose_higher_elderly_care_alone_is_fine_both_is_leak():
    elder = person(disability=SEVERE, **CARE)
    give(elder, "elderly_care")
    assert evaluate("CARE_SUBSIDY").missed == {}
    give(elder, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {elder.pk: "CHOOSE_HIGHER"}


def test_retiree_care_allowance_also_takes_the_higher_one():
    retiree = person(disability=SEVERE, **CARE)
    give(retiree, "retiree_care")
    give(retiree, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {retiree.pk: "CHOOSE_HIGHER"}


def test_elderly_longevity_allowance_is_compatible():
    elder = person(disability=SEVERE, **CARE)
    give(elder, "elderly_longevity")
    give(elder, "care_subsidy")
    result = evaluate("CARE_SUBSIDY")
    assert result.leak == {} and result.missed == {}


def test_extension_to_grade_three_intellectual_follows_the_parameter(county_admin):
    intellectual = person(disability={"category": 5, "grade": 3}, **CARE)
    physical = person(disability={"category": 4, "grade": 3}, **CARE)
    assert evaluate("CARE_SUBSIDY").missed == {}
    set_parameters(county_admin, care_extend_grade3_4=True)
    assert evaluate("CARE_SUBSIDY").missed == {intellectual.pk: "MISSED_EXTENDED"}
    give(intellectual, "care_subsidy")
    give(physical, "care_subsidy")
    assert evaluate("CARE_SUBSIDY").leak == {physical.pk: "GRADE"}
    set_parameters(county_admin, care_extend_grade3_4=False)
    assert evaluate("CARE_SUBSIDY").leak == {intellectual.pk: "GRADE", physical.pk: "GRADE"}
