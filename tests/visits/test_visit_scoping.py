"""A specialist sees only their village's visits; other areas answer 404."""

import pytest
from django.urls import reverse

from shouwang.areas.models import Area
from shouwang.visits import services
from shouwang.visits.models import Visit
from tests.conftest import COUNTY, make_household
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(tongluo_household, baojia_household, pengshui):
    other_village = make_household(number="YS-OTHER", village="500243102201")
    for h in (tongluo_household, baojia_household, other_village):
        monitor(h)
    with travel(D(2026, 2, 1)):
        services.visits_schedule(user=None, area=Area.objects.get(code=COUNTY))
    return {v.household.number: v for v in Visit.objects.select_related("household")}


def test_specialist_lists_only_their_village(client, tongluo_specialist, planned):
    client.force_login(tongluo_specialist)
    with travel(D(2026, 2, 2)):
        page = client.get(reverse("visits:list") + "?which=due").content.decode()
    assert "TL0001" in page
    assert "YS-OTHER" not in page and "BJ0001" not in page


def test_specialist_cannot_open_another_villages_visit(client, tongluo_specialist, planned):
    client.force_login(tongluo_specialist)
    for number in ("YS-OTHER", "BJ0001"):
        visit = planned[number]
        assert client.get(reverse("visits:visit_record", args=[visit.pk])).status_code == 404
        assert client.get(reverse("visits:visit_detail", args=[visit.pk])).status_code == 404


def test_other_townships_officer_gets_404_for_visits_and_referral_pages(client, baojia_officer, planned,
                                                                      tongluo_household):
    client.force_login(baojia_officer)
    visit = planned["TL0001"]
    assert client.get(reverse("visits:visit_record", args=[visit.pk])).status_code == 404
    assert client.get(reverse("visits:referral_create", args=[tongluo_household.pk])).status_code == 404
    assert client.post(reverse("visits:visit_plan", args=[tongluo_household.pk])).status_code == 404
    assert client.get(reverse("visits:visit_record", args=[999999])).status_code == 404


def test_township_officer_sees_counts_per_village(client, yushan_officer, planned):
    client.force_login(yushan_officer)
    with travel(D(2026, 4, 2)):
        page = client.get(reverse("visits:list") + "?which=overdue").content.decode()
    assert "铜锣村" in page and "TL0001" in page and "YS-OTHER" in page
    assert "BJ0001" not in page


def test_township_officer_lists_per_visitor_and_filters_one(client, yushan_officer, tongluo_specialist, planned):
    client.force_login(yushan_officer)
    with travel(D(2026, 4, 2)):
        page = client.get(reverse("visits:list") + "?which=overdue").content.decode()
        mine = client.get(reverse("visits:list") + f"?which=overdue&visitor={tongluo_specialist.pk}")
    assert "按访视人统计" in page and "未分配" in page  # 铜锣村 has a specialist, the other village none
    assert "TL0001" in mine.content.decode() and "YS-OTHER" not in mine.content.decode()
