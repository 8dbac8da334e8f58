"""A referral goes sent → received → handled → closed, each step audited; overdue ones escalate once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.audit.models import AuditEntry
from shouwang.visits import services
from shouwang.visits.models import Notification, Referral, ReferralTarget
from tests.visits.conftest import D, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(tongluo_household, tongluo_specialist, liaisons):
    with travel(D(2026, 3, 2)):
        return services.referral_send(user=tongluo_specialist, household=tongluo_household,
                                      target=ReferralTarget.objects.get(code="civil"),
                                      subject="申请临时救助", facts="户主住院，家庭无收入来源")


def test_deadline_defaults_to_the_departments_days(referral):
    assert (referral.status, referral.sent_on, referral.deadline) == ("sent", D(2026, 3, 2), D(2026, 3, 9))


def test_full_lifecycle_with_the_departments_answer(referral, liaisons, tongluo_specialist):
    civil = liaisons["civil"]
    services.referral_receive(user=civil, referral=referral)
    services.referral_handle(user=civil, referral=referral, answer="已纳入临时救助，发放2000元")
    services.referral_close(user=tongluo_specialist, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.answer == "已纳入临时救助，发放2000元"
    assert referral.answered_by == civil
    actions = list(AuditEntry.objects.filter(object_type="visits.referral").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["visits.referral.sent", "visits.referral.received", "visits.referral.handled",
                       "visits.referral.closed"]


def test_closing_before_the_answer_is_refused(referral, tongluo_specialist):
    with pytest.raises(ValidationError, match="不能改为"):
        services.referral_close(user=tongluo_specialist, referral=referral)


def test_handling_without_an_answer_is_refused(referral, liaisons):
    with pytest.raises(ValidationError, match="请填写办理结果"):
        services.referral_handle(user=liaisons["civil"], referral=referral, answer="  ")


def test_another_departments_liaison_cannot_answer(referral, liaisons):
    with pytest.raises(PermissionDenied):
        services.referral_handle(user=liaisons["housing"], referral=referral, answer="不归我管")


def test_staff_record_the_answer_of_a_department_without_an_account(tongluo_household, yushan_officer):
    village = ReferralTarget.objects.get(code="village")
    referral = services.referral_send(user=yushan_officer, household=tongluo_household, target=village,
                                      subject="协调邻里照护", facts="独居重度残疾人")
    services.referral_handle(user=yushan_officer, referral=referral, answer="村两委已安排邻里照护")
    referral.refresh_from_db()
    assert referral.status == "handled"


def test_overdue_referral_escalates_to_county_staff_once(referral, county_staff, county_admin):
    with travel(D(2026, 3, 9)):
        assert services.notifications_sweep()["referrals"] == 0  # due today: not late yet
    with travel(D(2026, 3, 10)):
        assert services.notifications_sweep()["referrals"] == 1
        assert services.notifications_sweep()["referrals"] == 0
    referral.refresh_from_db()
    assert referral.escalated_at is not None
    notified = set(Notification.objects.filter(kind="referral_overdue").values_list("user__username", flat=True))
    assert notified == {"staff", "admin"}
    assert AuditEntry.objects.filter(action="visits.referral.escalated", object_id=str(referral.pk)).count() == 1


def test_answered_referral_does_not_escalate(referral, liaisons, county_staff):
    services.referral_handle(user=liaisons["civil"], referral=referral, answer="已办理")
    with travel(D(2026, 3, 20)):
        assert services.notifications_sweep()["referrals"] == 0
    assert not Referral.objects.escalated().exists()


def test_escalated_referrals_are_on_the_countys_list(referral, client, county_staff):
    with travel(D(2026, 3, 10)):
        services.notifications_sweep()
        client.force_login(county_staff)
        page = client.get("/visits/referrals/?show=escalated").content.decode()
    assert "申请临时救助" in page
    assert "已上报" in page
