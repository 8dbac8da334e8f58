"""The remaining rules: each has an eligible-and-receiving case, a missed case and a leak case."""

import datetime

import pytest

from shouwang.monitoring.models import MonitoringCase
from shouwang.monitoring.services import lead_open
from tests.benefits.conftest import DIBAO, LIFTED, MILD, SEVERE, evaluate, give, person

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date(2026, 1, 1)


def _monitor(household):  # type: ignore[no-untyped-def]
    lead = lead_open(user=None, household=household, source="visit", evidence={})
    MonitoringCase.objects.create(household=household, lead=lead, stage="monitored",
                                  verified_on=datetime.date(2026, 1, 5), authorisation="x.pdf")


def test_medical_contribution_for_disabled_in_monitored_households():
    paid = person(disability=MILD)
    _monitor(paid.household)
    give(paid, "medical_contribution", THIS_YEAR)
    unpaid = person(disability=MILD)
    _monitor(unpaid.household)
    not_monitored = person(disability=MILD)
    give(not_monitored, "medical_contribution", THIS_YEAR)
    result = evaluate("MEDICAL_CONTRIBUTION")
    assert result.missed == {unpaid.pk: "MISSED"}
    assert result.leak == {not_monitored.pk: "NOT_MONITORED"}


def test_medical_contribution_paid_last_year_does_not_count_this_year():
    who = person(disability=MILD)
    _monitor(who.household)
    give(who, "medical_contribution", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert evaluate("MEDICAL_CONTRIBUTION").missed == {who.pk: "MISSED"}


def test_pension_contribution_for_working_age_severe_or_low_income():
    paid = person(disability=SEVERE, birth=datetime.date(1980, 1, 1))
    give(paid, "pension_contribution", THIS_YEAR)
    unpaid = person(household=DIBAO, disability=MILD, birth=datetime.date(1985, 1, 1))
    mild_general = person(disability=MILD, birth=datetime.date(1985, 1, 1))
    elder = person(disability=SEVERE, birth=datetime.date(1950, 1, 1))
    give(elder, "pension_contribution", THIS_YEAR)
    result = evaluate("PENSION_CONTRIBUTION")
    assert result.missed == {unpaid.pk: "MISSED"}
    assert result.leak == {elder.pk: "AGE_OUT_OF_RANGE"}
    assert mild_general.pk not in result.missed


def test_education_aid_for_students_and_dropouts():
    student = person(disability=MILD, birth=datetime.date(2014, 5, 1), schooling="compulsory")
    give(student, "education_aid", THIS_YEAR)
    dropout = person(disability=MILD, birth=datetime.date(2013, 5, 1), schooling="dropout")
    missed_student = person(disability=MILD, birth=datetime.date(2008, 5, 1), schooling="high_school")
    adult = person(disability=MILD, schooling="not_in_school")
    give(adult, "education_aid", THIS_YEAR)
    result = evaluate("EDUCATION_AID")
    assert result.missed == {dropout.pk: "MISSED_DROPOUT", missed_student.pk: "MISSED"}
    assert result.leak == {adult.pk: "NOT_STUDENT"}


def test_training_once_in_the_transition_period_either_kind():
    willing = {"training_need": True, "training_willing": True, "training_able": True}
    trained = person(disability=MILD, **willing)
    give(trained, "practical_training", datetime.date(2023, 4, 1))
    before_period = person(disability=MILD, **willing)
    give(before_period, "vocational_training", datetime.date(2020, 4, 1))
    unwilling = person(disability=MILD, training_need=True)
    give(unwilling, "vocational_training", datetime.date(2022, 4, 1))
    uncertified = person(**willing)
    give(uncertified, "vocational_training", datetime.date(2022, 4, 1))
    result = evaluate("TRAINING")
    assert result.missed == {before_period.pk: "MISSED"}
    assert result.leak == {uncertified.pk: "NO_CERTIFICATE"}
    assert result.tally["receiving"] == 3


def test_training_is_owed_only_with_need_willingness_and_ability_together():
    owed = person(disability=MILD, training_need=True, training_willing=True, training_able=True)
    unable = person(disability=MILD, training_need=True, training_willing=True)
    unwilling = person(disability=MILD, training_need=True, training_able=True)
    no_need = person(disability=MILD, training_willing=True, training_able=True)
    result = evaluate("TRAINING")
    assert result.missed == {owed.pk: "MISSED"}
    assert {unable.pk, unwilling.pk, no_need.pk}.isdisjoint(result.missed)


def test_training_after_death_is_leak():
    from shouwang.registry.services import person_update

    who = person(disability=MILD, training_need=True, training_willing=True, training_able=True)
    person_update(user=None, person=who, living_status="deceased", status_date=datetime.date(2022, 1, 1))
    give(who, "vocational_training", datetime.date(2023, 4, 1))
    assert evaluate("TRAINING").leak == {who.pk: "RECORD_AFTER_STOP"}


def test_graduate_employment_rate_counts_graduates_with_a_first_job():
    employed = person(disability=MILD, schooling="not_in_school", birth=datetime.date(2003, 1, 1))
    give(employed, "graduate_employment", datetime.date(2025, 9, 1))
    jobless = person(disability=MILD, schooling="graduate", birth=datetime.date(2003, 1, 1))
    result = evaluate("GRADUATE_EMPLOYMENT")
    assert result.missed == {jobless.pk: "MISSED"}
    assert result.tally["eligible"] == 2 and result.tally["covered"] == 1


def test_child_rehabilitation_for_low_income_children_up_to_six():
    child = person(household=DIBAO, disability={"category": 5, "grade": 2}, birth=datetime.date(2022, 6, 1))
    give(child, "child_rehab", THIS_YEAR)
    missed = person(household=LIFTED, disability={"category": 2, "grade": 1}, birth=datetime.date(2021, 6, 1))
    general = person(disability={"category": 2, "grade": 1}, birth=datetime.date(2021, 6, 1))
    too_old = person(household=DIBAO, disability={"category": 4, "grade": 2}, birth=datetime.date(2017, 6, 1))
    give(too_old, "child_rehab", THIS_YEAR)
    result = evaluate("CHILD_REHAB")
    assert result.missed == {missed.pk: "MISSED"}
    assert result.leak == {too_old.pk: "AGE_OUT_OF_RANGE"}
    assert general.pk not in result.missed


def test_rehab_service_priority_for_low_income_severe():
    served = person(disability=MILD, needs_rehabilitation=True)
    give(served, "rehab_service", THIS_YEAR)
    priority = person(household=DIBAO, disability=SEVERE, needs_rehabilitation=True)
    ordinary = person(disability=MILD, needs_rehabilitation=True)
    no_need = person(disability=MILD)
    give(no_need, "rehab_service", THIS_YEAR)
    result = evaluate("REHAB_SERVICE")
    assert result.missed == {priority.pk: "MISSED_PRIORITY", ordinary.pk: "MISSED"}
    assert result.leak == {}


def test_family_doctor_contract_needs_a_record_not_just_the_flag():
    signed = person(disability=MILD)
    give(signed, "family_doctor", THIS_YEAR)
    flag_only = person(disability=MILD, family_doctor=True)
    uncertified = person()
    give(uncertified, "family_doctor", THIS_YEAR)
    result = evaluate("FAMILY_DOCTOR")
    assert result.missed == {flag_only.pk: "MISSED_FLAG_ONLY"}
    assert result.leak == {uncertified.pk: "NO_CERTIFICATE"}


def test_accessibility_once_for_severe_low_income_with_need():
    done = person(household=DIBAO, disability=SEVERE, needs_accessibility=True)
    give(done, "accessibility", datetime.date(2021, 6, 1))
    waiting = person(household=LIFTED, disability=SEVERE, needs_accessibility=True)
    mild = person(household=DIBAO, disability=MILD, needs_accessibility=True)
    uncertified = person(household=DIBAO)
    give(uncertified, "accessibility", datetime.date(2021, 6, 1))
    result = evaluate("ACCESSIBILITY")
    assert result.missed == {waiting.pk: "MISSED"}
    assert result.leak == {uncertified.pk: "NO_CERTIFICATE"}
    assert mild.pk not in result.missed


def test_care_service_for_low_income_severe_who_cannot_care_for_themselves():
    placed = person(household=DIBAO, disability=SEVERE, needs_custodial_care=True)
    give(placed, "care_service")
    waiting = person(household=DIBAO, disability=SEVERE, needs_custodial_care=True)
    not_poor = person(disability=SEVERE, needs_custodial_care=True)
    give(not_poor, "care_service")
    result = evaluate("CARE_SERVICE")
    assert result.missed == {waiting.pk: "MISSED"}
    assert result.leak == {not_poor.pk: "NOT_LOW_INCOME"}
