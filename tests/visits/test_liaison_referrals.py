"""A liaison sees and answers only their department's referrals, with the minimum of personal data."""

import pytest
from django.urls import reverse

from shouwang.visits import services
from shouwang.visits.models import ReferralTarget
from tests.visits.conftest import D, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(tongluo_household, tongluo_specialist):
    send = {code: services.referral_send(user=tongluo_specialist, household=tongluo_household,
                                         target=ReferralTarget.objects.get(code=code), subject=f"事由-{code}",
                                         facts="基本情况") for code in ("civil", "housing")}
    return send


def test_liaison_lists_only_their_departments_referrals(client, liaisons, referrals):
    client.force_login(liaisons["civil"])
    page = client.get(reverse("visits:referral_list")).content.decode()
    assert "事由-civil" in page
    assert "事由-housing" not in page


def test_another_departments_referral_is_404(client, liaisons, referrals):
    client.force_login(liaisons["civil"])
    assert client.get(reverse("visits:referral_detail", args=[referrals["housing"].pk])).status_code == 404
    url = reverse("visits:referral_action", args=[referrals["housing"].pk, "receive"])
    assert client.post(url).status_code == 404


def test_liaison_sees_no_id_number_and_a_masked_phone(client, liaisons, referrals, tongluo_household):
    client.force_login(liaisons["civil"])
    page = client.get(reverse("visits:referral_detail", args=[referrals["civil"].pk])).content.decode()
    id_number = tongluo_household.members.get(name="张大山").id_number
    assert "张大山" in page
    assert id_number not in page and id_number[-4:] + "<" not in page
    assert "138****5678" in page and "13812345678" not in page
    assert reverse("registry:household_detail", args=[tongluo_household.pk]) not in page


def test_liaison_answers_through_the_page(client, liaisons, referrals):
    client.force_login(liaisons["civil"])
    referral = referrals["civil"]
    client.post(reverse("visits:referral_action", args=[referral.pk, "receive"]))
    client.post(reverse("visits:referral_action", args=[referral.pk, "handle"]), {"answer": "已纳入低保"})
    referral.refresh_from_db()
    assert (referral.status, referral.answer) == ("handled", "已纳入低保")


def test_liaison_cannot_open_visits_or_households(client, liaisons, tongluo_household):
    client.force_login(liaisons["civil"])
    assert client.get(reverse("visits:list")).status_code == 404
    assert client.get(reverse("registry:household_detail", args=[tongluo_household.pk])).status_code == 404


def test_letter_for_a_department_without_account_prints_for_staff(client, yushan_officer, tongluo_household):
    with travel(D(2026, 3, 2)):
        referral = services.referral_send(user=yushan_officer, household=tongluo_household,
                                          target=ReferralTarget.objects.get(code="village"),
                                          subject="协调邻里照护", facts="独居重度残疾人")
    client.force_login(yushan_officer)
    page = client.get(reverse("visits:referral_letter", args=[referral.pk])).content.decode()
    assert "转介函" in page and "村两委" in page and "2026年3月5日" in page
