"""An unsecured checklist item opens a problem, updates the household, and is referred at once."""

import pytest
from django.core.exceptions import ValidationError

from shouwang.assistance.models import Problem
from shouwang.monitoring.models import LeadEvidence
from shouwang.visits import services
from shouwang.visits.models import Notification, Referral
from tests.visits.conftest import D, monitor, secured, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(tongluo_household, tongluo_specialist, liaisons, county_staff):
    monitor(tongluo_household)
    with travel(D(2026, 3, 20)):
        return services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 3, 19),
                                     form="home", checks=secured(housing="屋顶漏雨，墙体开裂"))


def test_unsecured_housing_opens_a_housing_problem_from_the_visit(recorded, tongluo_household):
    problem = Problem.objects.get(household=tongluo_household)
    assert (problem.kind, problem.source, problem.visit_id) == ("housing", "visit", recorded.pk)
    assert "屋顶漏雨" in problem.description


def test_the_household_is_marked_unsafe_housing_as_of_the_visit(recorded, tongluo_household):
    tongluo_household.refresh_from_db()
    assert (tongluo_household.housing_safety, tongluo_household.housing_checked_on) == ("unsafe", D(2026, 3, 19))
    assert tongluo_household.water_safety == "safe"


def test_referred_to_village_committee_federation_rural_and_housing_department(recorded):
    targets = set(Referral.objects.filter(visit=recorded).values_list("target__code", flat=True))
    assert targets == {"village", "federation", "rural", "housing"}
    referral = Referral.objects.get(visit=recorded, target__code="housing")
    assert referral.subject == "走访发现风险：住房安全"
    assert referral.deadline == D(2026, 3, 29)  # 住建: 10 days by default


def test_the_risk_feeds_the_households_monitoring_lead(recorded, tongluo_household):
    evidence = LeadEvidence.objects.get(source="visit")
    assert evidence.lead.household == tongluo_household
    assert evidence.evidence["unsecured"] == ["housing"]


def test_housing_and_rural_liaisons_and_county_staff_are_notified_but_not_civil_affairs(recorded, liaisons,
                                                                                     county_staff):
    notified = set(Notification.objects.filter(kind="referral_new").values_list("user__username", flat=True))
    assert notified == {"liaison-housing", "liaison-rural", "staff"}


def test_a_second_visit_finding_the_same_problem_does_not_open_another(recorded, tongluo_household,
                                                                        tongluo_specialist):
    with travel(D(2026, 4, 20)):
        services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 4, 20),
                              form="phone", checks=secured(housing="仍未修缮"))
    assert Problem.objects.filter(household=tongluo_household, kind="housing").count() == 1


def test_an_unsecured_item_without_a_note_is_refused(tongluo_household, tongluo_specialist):
    with travel(D(2026, 3, 20)), pytest.raises(ValidationError, match="未保障的项目须说明情况"):
        services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 3, 19),
                              form="home", checks=secured(water=""))
    assert not Problem.objects.exists()


def test_a_checklist_with_an_item_missing_is_refused(tongluo_household, tongluo_specialist):
    checks = secured()
    del checks["education"]
    with travel(D(2026, 3, 20)), pytest.raises(ValidationError, match="义务教育"):
        services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 3, 19),
                              form="home", checks=checks)
