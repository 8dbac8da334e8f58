"""Overdue visits reach their visitor once; the home page shows overdue visits and unread notifications."""

import pytest
from django.urls import reverse

from shouwang.areas.models import Area
from shouwang.visits import services
from shouwang.visits.models import Notification
from tests.conftest import YUSHAN
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 1, 5)):
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    Notification.objects.all().delete()  # the assignment notice is not what these tests look at
    return tongluo_household


def test_sweep_tells_the_visitor_of_an_overdue_visit_once(overdue, tongluo_specialist):
    with travel(D(2026, 4, 1)):
        assert services.notifications_sweep() == {"visits": 1, "referrals": 0}
        assert services.notifications_sweep() == {"visits": 0, "referrals": 0}
    note = Notification.objects.get(user=tongluo_specialist)
    assert note.kind == "visit_overdue" and "TL0001" in note.text and "2026-03-31" in note.text


def test_specialist_home_page_shows_overdue_visits_and_the_bell(overdue, client, tongluo_specialist):
    with travel(D(2026, 4, 1)):
        services.notifications_sweep()
        client.force_login(tongluo_specialist)
        page = client.get("/").content.decode()
    assert "我的访视：1 户访视逾期" in page
    assert "未读通知 1 条" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_visit(overdue, client, tongluo_specialist):
    with travel(D(2026, 4, 1)):
        services.notifications_sweep()
    note = Notification.objects.get(user=tongluo_specialist)
    client.force_login(tongluo_specialist)
    assert "TL0001" in client.get(reverse("visits:notifications")).content.decode()
    response = client.get(reverse("visits:notification_open", args=[note.pk]))
    assert response.status_code == 302 and "/record/" in response.url
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_users_notification_is_404(overdue, client, yushan_officer, tongluo_specialist):
    with travel(D(2026, 4, 1)):
        services.notifications_sweep()
    note = Notification.objects.get(user=tongluo_specialist)
    client.force_login(yushan_officer)
    assert client.get(reverse("visits:notification_open", args=[note.pk])).status_code == 404


def test_scheduling_tells_the_visitor_how_many_households_to_visit(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 1, 5)):
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    assert Notification.objects.get(user=tongluo_specialist).text == "新增 1 户待访视"
