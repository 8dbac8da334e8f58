"""Any step may end the identification with a reason; the household is then not monitored and can get a new lead."""

import pytest
from django.core.exceptions import ValidationError

from shouwang.monitoring import services
from shouwang.monitoring.models import Lead
from tests.monitoring.conftest import D, open_lead, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# stage reached -> the persona who may reject there
REJECTERS = {
    "open": "tongluo_specialist",
    "village_review": "tongluo_specialist",
    "notice": "yushan_officer",
    "noticing": "yushan_officer",
    "county_confirmation": "county_staff",
}


@pytest.mark.parametrize("stage", list(REJECTERS))
def test_identification_can_be_rejected_at_each_step(
    stage, request, tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    if stage == "open":
        lead = open_lead(tongluo_household)
    else:
        lead = walk(tongluo_household, to=stage, specialist=tongluo_specialist, officer=yushan_officer).lead
    rejecter = request.getfixturevalue(REJECTERS[stage])
    services.monitoring_reject(
        user=rejecter, lead=lead, reason="收入核实高于标准", rejected_on=D(2026, 3, 20)
    )
    lead.refresh_from_db()
    assert lead.status == "rejected"
    assert lead.close_reason == "收入核实高于标准"
    if stage != "open":
        assert lead.case.stage == "rejected"
        assert lead.case.reject_reason == "收入核实高于标准"
    assert lead.steps.last().step == "reject"
    # the household can be flagged again later: a fresh lead, history kept
    again = open_lead(tongluo_household, found_on=D(2026, 3, 25))
    assert again.pk != lead.pk
    assert Lead.objects.filter(household=tongluo_household).count() == 2


def test_village_review_disagreed_ends_identification(tongluo_household, tongluo_specialist):
    case = walk(tongluo_household, to="village_review", specialist=tongluo_specialist)
    services.monitoring_review_village(
        user=tongluo_specialist,
        case=case,
        result="disagreed",
        reviewed_on=D(2026, 3, 5),
        note="群众评议认为不符合",
    )
    case.refresh_from_db()
    assert case.stage == "rejected"
    assert case.lead.status == "rejected"
    assert "民主评议未通过" in case.reject_reason


def test_reject_needs_a_reason(tongluo_household, tongluo_specialist):
    lead = open_lead(tongluo_household)
    with pytest.raises(ValidationError, match="请填写不予纳入的理由"):
        services.monitoring_reject(user=tongluo_specialist, lead=lead, reason=" ")


def test_decided_lead_cannot_be_rejected_again(tongluo_household, tongluo_specialist):
    lead = open_lead(tongluo_household)
    services.monitoring_reject(user=tongluo_specialist, lead=lead, reason="不属实")
    with pytest.raises(ValidationError, match="已办结"):
        services.monitoring_reject(user=tongluo_specialist, lead=lead, reason="不属实")
