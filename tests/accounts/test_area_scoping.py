"""Every household and person URL answers 404 outside the user's area; lists are scoped."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _urls(household):
    person = household.members.first()
    return [
        reverse("registry:household_detail", args=[household.pk]),
        reverse("registry:household_edit", args=[household.pk]),
        reverse("registry:person_create", args=[household.pk]),
        reverse("registry:income_edit", args=[household.pk]),
        reverse("registry:person_detail", args=[person.pk]),
        reverse("registry:person_edit", args=[person.pk]),
    ]


def test_township_officer_cannot_open_other_township_household(client, baojia_officer, tongluo_household):
    client.force_login(baojia_officer)
    for url in _urls(tongluo_household):
        assert client.get(url).status_code == 404, url


def test_out_of_area_and_missing_answer_the_same_404(client, baojia_officer, tongluo_household):
    client.force_login(baojia_officer)
    missing = client.get(reverse("registry:household_detail", args=[999999]))
    other = client.get(reverse("registry:household_detail", args=[tongluo_household.pk]))
    assert missing.status_code == other.status_code == 404


def test_reveal_outside_area_is_404(client, baojia_officer, tongluo_household):
    client.force_login(baojia_officer)
    person = tongluo_household.members.first()
    url = reverse("registry:person_reveal", args=[person.pk, "id_number"])
    assert client.post(url, {"reason": "核实身份"}).status_code == 404


def test_own_area_users_open_the_household(client, yushan_officer, tongluo_specialist, county_admin,
                                           tongluo_household):
    for user in (yushan_officer, tongluo_specialist, county_admin):
        client.force_login(user)
        for url in _urls(tongluo_household):
            assert client.get(url).status_code == 200, (user, url)


def test_village_specialist_sees_only_own_village(client, tongluo_specialist, tongluo_household):
    from tests.conftest import make_household

    neighbour = make_household(number="YS-OTHER", village="500243102201")
    client.force_login(tongluo_specialist)
    page = client.get(reverse("registry:household_list")).content.decode()
    assert "TL0001" in page
    assert "YS-OTHER" not in page
    assert client.get(reverse("registry:household_detail", args=[neighbour.pk])).status_code == 404


def test_household_list_is_scoped_to_the_township(client, yushan_officer, tongluo_household, baojia_household):
    client.force_login(yushan_officer)
    page = client.get(reverse("registry:household_list")).content.decode()
    assert "TL0001" in page and "BJ0001" not in page


def test_county_admin_sees_every_township(client, county_admin, tongluo_household, baojia_household):
    client.force_login(county_admin)
    page = client.get(reverse("registry:household_list")).content.decode()
    assert "TL0001" in page and "BJ0001" in page


def test_leader_sees_no_names_or_id_numbers(client, leader, tongluo_household):
    client.force_login(leader)
    assert client.get(reverse("registry:household_list")).status_code == 404
    for url in _urls(tongluo_household):
        assert client.get(url).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "张大山" not in home
    assert tongluo_household.members.first().id_number not in home
    assert "一二级重度" in home  # aggregates only


def test_liaison_cannot_open_the_registry(client, liaison, tongluo_household):
    client.force_login(liaison)
    assert client.get(reverse("registry:household_list")).status_code == 404
    assert client.get(reverse("registry:household_detail", args=[tongluo_household.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, tongluo_household):
    response = client.get(reverse("registry:household_detail", args=[tongluo_household.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
