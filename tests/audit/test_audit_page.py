"""County administrators browse and filter the audit log; nobody else can open it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from shouwang.registry import services
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(pengshui, yushan_officer, county_staff):
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)):
        household = make_household(user=yushan_officer, number="TL0001",
                                   members=[{"name": "张大山", "relation": "head"}])
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC)):
        services.household_update(user=county_staff, household=household, assistance_status="dibao")
    return household


def entries(client, **params) -> list[str]:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return [e.action for e in response.context["page"].object_list]


def test_county_admin_sees_every_change_newest_first(client, county_admin, history):
    client.force_login(county_admin)
    assert entries(client) == ["registry.household.updated", "registry.person.created",
                               "registry.household.created"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"action": "registry.person"}, ["registry.person.created"]),
    ({"user": "staff"}, ["registry.household.updated"]),
    ({"object": "TL0001"}, ["registry.household.updated", "registry.household.created"]),
    ({"since": "2025-05-01"}, ["registry.household.updated"]),
    ({"until": "2025-03-31"}, ["registry.person.created", "registry.household.created"]),
    ({"since": "not-a-date", "user": "nobody"}, []),
])
def test_county_admin_filters_the_log(client, county_admin, history, params, expected):
    client.force_login(county_admin)
    assert entries(client, **params) == expected


def test_the_page_shows_field_labels_not_column_names(client, county_admin, history):
    client.force_login(county_admin)
    page = client.get(reverse("audit:list"), {"action": "registry.household.updated"}).content.decode()
    assert "社会救助" in page and "低保" in page
    assert "assistance_status" not in page


@pytest.mark.parametrize("persona", ["county_staff", "yushan_officer", "tongluo_specialist", "leader", "liaison"])
def test_nobody_but_the_county_admin_opens_the_audit_log(client, request, history, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code in (403, 404)


def test_audit_log_is_not_in_the_menu_of_a_township_officer(client, yushan_officer, county_admin, history):
    client.force_login(yushan_officer)
    assert reverse("audit:list") not in client.get(reverse("home")).content.decode()
    client.force_login(county_admin)
    assert reverse("audit:list") in client.get(reverse("home")).content.decode()
