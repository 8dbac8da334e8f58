"""The person page shows benefits and today's findings; records are entered and ended by hand, audited."""

import datetime

import pytest
from django.urls import reverse

from shouwang.audit.models import AuditEntry
from shouwang.benefits.models import BenefitRecord
from tests.benefits.conftest import DIBAO, MILD, give, person

pytestmark = pytest.mark.django_db


def test_person_page_shows_records_and_missed_finding(client, tongluo_specialist):
    who = person(household=DIBAO, disability=MILD)
    give(who, "family_doctor", datetime.date(2026, 1, 1))
    client.force_login(tongluo_specialist)
    page = client.get(reverse("registry:person_detail", args=[who.pk])).content.decode()
    assert "家庭医生签约" in page
    assert "应享未享" in page and "困难残疾人生活补贴" in page


def test_hand_entry_creates_an_audited_record_and_clears_the_finding(client, tongluo_specialist):
    who = person(household=DIBAO, disability=MILD)
    client.force_login(tongluo_specialist)
    missed_line = "困难残疾人生活补贴：符合条件，未享受"
    assert missed_line in client.get(reverse("registry:person_detail", args=[who.pk])).content.decode()
    response = client.post(reverse("benefits:record_create", args=[who.pk]), {
        "kind": "living_subsidy", "start_on": "2026-01-01", "monthly_amount": "100"})
    assert response.status_code == 302
    record = BenefitRecord.objects.get(person=who)
    assert record.source == "hand" and record.monthly_amount == 100
    assert AuditEntry.objects.filter(action="benefits.record.created", object_id=str(record.pk)).exists()
    page = client.get(reverse("registry:person_detail", args=[who.pk])).content.decode()
    assert missed_line not in page


def test_hand_entry_rejects_end_before_start_in_chinese(client, tongluo_specialist):
    who = person(disability=MILD)
    client.force_login(tongluo_specialist)
    response = client.post(reverse("benefits:record_create", args=[who.pk]), {
        "kind": "living_subsidy", "start_on": "2026-03-01", "end_on": "2026-01-01"})
    assert response.status_code == 200
    assert "终止日期不能早于起始日期" in response.content.decode()


def test_ending_a_record_is_audited_with_its_reason(client, tongluo_specialist):
    who = person(disability=MILD)
    record = give(who, "living_subsidy")
    client.force_login(tongluo_specialist)
    client.post(reverse("benefits:record_end", args=[record.pk]), {"end_on": "2026-02-28", "reason": "迁出停发"})
    record.refresh_from_db()
    assert record.end_on == datetime.date(2026, 2, 28)
    assert AuditEntry.objects.get(action="benefits.record.ended").reason == "迁出停发"


def test_other_township_cannot_enter_or_end_records(client, baojia_officer):
    who = person(disability=MILD)
    record = give(who, "living_subsidy")
    client.force_login(baojia_officer)
    assert client.get(reverse("benefits:record_create", args=[who.pk])).status_code == 404
    response = client.post(reverse("benefits:record_end", args=[record.pk]), {"end_on": "2026-02-28", "reason": "x"})
    assert response.status_code == 404
