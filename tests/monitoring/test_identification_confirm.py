"""A household goes from lead to county confirmation and is then monitored with its type and risk types."""

import pytest

from shouwang.areas.models import Area
from shouwang.audit.models import AuditEntry
from shouwang.monitoring.selectors import monitored_households
from tests.monitoring.conftest import walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_confirmed_household_is_monitored_with_type_and_risk_types(
    tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    case = walk(
        tongluo_household,
        to="monitored",
        specialist=tongluo_specialist,
        officer=yushan_officer,
        staff=county_staff,
    )
    case.refresh_from_db()
    assert case.stage == "monitored"
    assert case.get_household_type_display() == "突发严重困难户"
    assert case.risk_type_labels == ["因病", "因残"]
    assert case.lead.status == "confirmed"
    assert case.notice_days == 5
    assert list(monitored_households(Area.objects.get(code="500243102200"))) == [tongluo_household]
    assert [s.step for s in case.lead.steps.all()] == [
        "lead",
        "verify",
        "village_review",
        "notice",
        "township_review",
        "confirm",
    ]
    actions = set(
        AuditEntry.objects.filter(household_id=tongluo_household.pk).values_list("action", flat=True)
    )
    assert {
        "monitoring.case.verified",
        "monitoring.case.village_reviewed",
        "monitoring.case.notice_started",
        "monitoring.case.township_reviewed",
        "monitoring.case.confirmed",
    } <= actions


def test_signed_authorisation_is_stored_under_media_root(tongluo_household, tongluo_specialist, media_root):
    case = walk(tongluo_household, to="village_review", specialist=tongluo_specialist)
    assert case.authorisation.name.startswith("monitoring/authorisations/")
    assert (media_root / case.authorisation.name).read_bytes().startswith(b"%PDF")


def test_confirmation_needs_one_to_five_risk_types(
    tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    from django.core.exceptions import ValidationError

    from shouwang.monitoring.services import monitoring_confirm

    case = walk(
        tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer
    )
    for risks in ([], ["illness", "disability", "schooling", "disaster", "accident", "water"]):
        with pytest.raises(ValidationError, match="请选择1至5项风险类型"):
            monitoring_confirm(
                user=county_staff,
                case=case,
                confirmed_on=case.township_reviewed_on,
                household_type="edge",
                risk_types=risks,
            )
