"""LIVING_SUBSIDY: certified disabled in a 低保 household; not 特困, not on orphan support."""

import pytest

from tests.benefits.conftest import DIBAO, LIFTED, MILD, TEKUN, evaluate, give, person, set_parameters

pytestmark = pytest.mark.django_db


def test_dibao_disabled_receiving_is_covered_and_not_receiving_is_missed():
    paid = person(household=DIBAO, disability=MILD)
    give(paid, "living_subsidy")
    unpaid = person(household=DIBAO, disability=MILD)
    result = evaluate("LIVING_SUBSIDY")
    assert result.missed == {unpaid.pk: "MISSED"}
    assert result.leak == {}
    assert result.tally == {"eligible": 2, "receiving": 1, "covered": 1, "missed": 1, "leak": 0}


def test_subsidy_outside_dibao_is_leak():
    general = person(disability=MILD)
    give(general, "living_subsidy")
    assert evaluate("LIVING_SUBSIDY").leak == {general.pk: "NOT_DIBAO"}


def test_tekun_household_is_excluded_and_paying_it_is_leak():
    tekun = person(household=TEKUN, disability=MILD)
    give(tekun, "living_subsidy")
    result = evaluate("LIVING_SUBSIDY")
    assert result.leak == {tekun.pk: "TEKUN"}
    assert result.missed == {}


def test_tekun_record_in_dibao_household_excludes_the_person():
    tekun = person(household=DIBAO, disability=MILD)
    give(tekun, "tekun")
    result = evaluate("LIVING_SUBSIDY")
    assert result.missed == {}
    give(tekun, "living_subsidy")
    assert evaluate("LIVING_SUBSIDY").leak == {tekun.pk: "TEKUN"}


def test_orphan_support_excludes_the_child():
    orphan = person(household=DIBAO, disability=MILD)
    give(orphan, "orphan_support")
    assert evaluate("LIVING_SUBSIDY").missed == {}
    give(orphan, "living_subsidy")
    assert evaluate("LIVING_SUBSIDY").leak == {orphan.pk: "ORPHAN"}


def test_person_without_certificate_is_not_eligible():
    uncertified = person(household=DIBAO)
    assert evaluate("LIVING_SUBSIDY").missed == {}
    give(uncertified, "living_subsidy")
    assert evaluate("LIVING_SUBSIDY").leak == {uncertified.pk: "NO_CERTIFICATE"}


def test_two_running_records_are_leak_as_paid_twice():
    twice = person(household=DIBAO, disability=MILD)
    give(twice, "living_subsidy")
    give(twice, "living_subsidy")
    assert evaluate("LIVING_SUBSIDY").leak == {twice.pk: "DUPLICATE"}


def test_extension_to_other_low_income_households_follows_the_parameter(county_admin):
    lifted = person(household=LIFTED, disability=MILD)
    assert evaluate("LIVING_SUBSIDY").missed == {}
    set_parameters(county_admin, living_extend_low_income=True)
    assert evaluate("LIVING_SUBSIDY").missed == {lifted.pk: "MISSED_EXTENDED"}
    give(lifted, "living_subsidy")
    set_parameters(county_admin, living_extend_low_income=False)
    assert evaluate("LIVING_SUBSIDY").leak == {lifted.pk: "NOT_DIBAO"}
