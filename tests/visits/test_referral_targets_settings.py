"""The county administrator configures referral targets (deadline days, account) and the shorter period."""

import pytest
from django.urls import reverse

from shouwang.visits import services
from shouwang.visits.models import ReferralTarget, VisitParameters
from tests.visits.conftest import D, travel

pytestmark = pytest.mark.django_db


def test_administrator_changes_a_departments_deadline_and_new_referrals_use_it(client, county_admin,
                                                                               tongluo_household):
    water = ReferralTarget.objects.get(code="water")
    client.force_login(county_admin)
    response = client.post(reverse("visits:referral_target_edit", args=[water.pk]), {
        f"t{water.pk}-name": "水利局", f"t{water.pk}-default_deadline_days": "3", f"t{water.pk}-active": "on",
        f"t{water.pk}-checklist_items": ["water"]})
    assert response.status_code == 302
    water.refresh_from_db()
    assert (water.default_deadline_days, water.has_account) == (3, False)
    with travel(D(2026, 3, 2)):
        referral = services.referral_send(user=county_admin, household=tongluo_household, target=water,
                                          subject="饮水", facts="停水")
    assert referral.deadline == D(2026, 3, 5)


def test_administrator_sets_the_shorter_visit_period(client, county_admin):
    client.force_login(county_admin)
    with travel(D(2026, 3, 2)):
        assert "一般访视周期：每3个月" in client.get(reverse("visits:settings")).content.decode()
        client.post(reverse("visits:settings"), {"form": "period", "year": "2026", "intensive_period_months": "2",
                                                   "intensive_hit_count": "4"})
    row = VisitParameters.objects.get(year=2026)
    assert (row.intensive_period_months, row.intensive_hit_count) == (2, 4)


def test_only_the_administrator_sees_the_settings(client, county_staff, tongluo_specialist):
    for user in (county_staff, tongluo_specialist):
        client.force_login(user)
        assert client.get(reverse("visits:settings")).status_code == 404
