"""Each role acts only at its own step, only in its own area, and steps go in order — with Chinese errors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.monitoring import services
from tests.monitoring.conftest import D, authorisation_pdf, open_lead, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_county_staff_cannot_do_the_home_verification(tongluo_household, county_staff):
    lead = open_lead(tongluo_household)
    with pytest.raises(
        PermissionDenied, match="入户核实”须由村（社区）残协专职委员、乡镇（街道）残联专干办理"
    ):
        services.monitoring_verify(
            user=county_staff, lead=lead, verified_on=D(2026, 3, 2), authorisation=authorisation_pdf()
        )


def test_township_officer_of_another_township_cannot_verify(tongluo_household, baojia_officer):
    lead = open_lead(tongluo_household)
    with pytest.raises(PermissionDenied, match="不在您的管辖区域内"):
        services.monitoring_verify(
            user=baojia_officer, lead=lead, verified_on=D(2026, 3, 2), authorisation=authorisation_pdf()
        )


def test_township_officer_may_verify_in_own_township(tongluo_household, yushan_officer):
    lead = open_lead(tongluo_household)
    case = services.monitoring_verify(
        user=yushan_officer, lead=lead, verified_on=D(2026, 3, 2), authorisation=authorisation_pdf()
    )
    assert case.stage == "village_review"


def test_verification_needs_the_signed_authorisation(tongluo_household, tongluo_specialist):
    lead = open_lead(tongluo_household)
    with pytest.raises(ValidationError, match="请上传农户签字的授权承诺书"):
        services.monitoring_verify(
            user=tongluo_specialist, lead=lead, verified_on=D(2026, 3, 2), authorisation=None
        )
    with pytest.raises(ValidationError, match="须为PDF或JPG、PNG图片"):
        services.monitoring_verify(
            user=tongluo_specialist,
            lead=lead,
            verified_on=D(2026, 3, 2),
            authorisation=authorisation_pdf("x.exe"),
        )


def test_village_specialist_cannot_do_the_township_review(tongluo_household, tongluo_specialist):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    with pytest.raises(PermissionDenied, match="乡镇审核”须由乡镇（街道）残联专干办理"):
        services.monitoring_review_township(user=tongluo_specialist, case=case, reviewed_on=D(2026, 3, 20))


def test_other_township_officer_cannot_review(tongluo_household, tongluo_specialist, baojia_officer):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    with pytest.raises(PermissionDenied, match="不在您的管辖区域内"):
        services.monitoring_review_township(user=baojia_officer, case=case, reviewed_on=D(2026, 3, 20))


def test_township_officer_cannot_confirm(tongluo_household, tongluo_specialist, yushan_officer):
    case = walk(
        tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer
    )
    with pytest.raises(PermissionDenied, match="县级审定”须由"):
        services.monitoring_confirm(
            user=yushan_officer,
            case=case,
            confirmed_on=D(2026, 3, 20),
            household_type="edge",
            risk_types=["illness"],
        )


def test_leader_cannot_confirm(tongluo_household, tongluo_specialist, yushan_officer, leader):
    case = walk(
        tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer
    )
    with pytest.raises(PermissionDenied):
        services.monitoring_confirm(
            user=leader, case=case, confirmed_on=D(2026, 3, 20), household_type="edge", risk_types=["illness"]
        )


def test_steps_out_of_order_are_refused(tongluo_household, tongluo_specialist, county_staff):
    case = walk(tongluo_household, to="village_review", specialist=tongluo_specialist)
    with pytest.raises(ValidationError, match="当前环节为“待民主评议”，不能办理“村内公示”"):
        services.monitoring_notice_start(user=tongluo_specialist, case=case, started_on=D(2026, 3, 5))
    with pytest.raises(ValidationError, match="不能办理“县级审定”"):
        services.monitoring_confirm(
            user=county_staff,
            case=case,
            confirmed_on=D(2026, 3, 20),
            household_type="edge",
            risk_types=["illness"],
        )


def test_township_review_waits_for_the_notice_period(tongluo_household, tongluo_specialist, yushan_officer):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)  # notice starts 03-04
    with pytest.raises(ValidationError, match="公示期未满5天（公示至2026-03-08）"):
        services.monitoring_review_township(user=yushan_officer, case=case, reviewed_on=D(2026, 3, 8))
    services.monitoring_review_township(user=yushan_officer, case=case, reviewed_on=D(2026, 3, 9))
    assert case.stage == "county_confirmation"


def test_notice_days_follow_the_county_parameter_of_the_year(
    tongluo_household, tongluo_specialist, county_admin
):
    services.monitoring_parameters_save(
        user=county_admin,
        county_code="500243000000",
        year=2026,
        notice_days=7,
        lead_limit_days=15,
        exit_min_months=6,
        income_line="7000",
    )
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    assert case.notice_days == 7
