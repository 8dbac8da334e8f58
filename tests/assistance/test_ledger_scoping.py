"""Ledger pages answer 404 outside the user's area, as for a household that does not exist."""

from __future__ import annotations

import pytest

from shouwang.assistance import services
from tests.assistance.conftest import add_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def tongluo_things(ledger, tongluo_specialist):  # type: ignore[no-untyped-def]
    problem = services.problem_open(
        user=tongluo_specialist, household=ledger.household, kind="water", description="水源浑浊"
    )
    return ledger, add_measure(ledger, tongluo_specialist), problem


def test_the_officer_of_the_township_sees_the_ledger(client, tongluo_things, yushan_officer):
    ledger, _, _ = tongluo_things
    client.force_login(yushan_officer)
    page = client.get(f"/assistance/households/{ledger.household_id}/ledger/")
    assert page.status_code == 200 and "水源浑浊" in page.content.decode()


def test_another_townships_officer_gets_404_everywhere(client, tongluo_things, baojia_officer):
    ledger, measure, problem = tongluo_things
    client.force_login(baojia_officer)
    hid = ledger.household_id
    for url in (
        f"/assistance/households/{hid}/ledger/",
        f"/assistance/households/{hid}/ledger/print/",
        f"/assistance/measures/{measure.pk}/edit/",
        f"/assistance/problems/{problem.pk}/clear/",
        "/assistance/problems/?area=500243102000",
        "/assistance/ledgers/?area=500243102000",
        "/assistance/ledgers/export.xlsx?area=500243102000",
        f"/assistance/households/{hid}/measures/new/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/assistance/measures/{measure.pk}/status/",
        f"/assistance/problems/{problem.pk}/clear/",
        f"/assistance/households/{hid}/problems/new/",
    ):
        assert (
            client.post(
                url,
                {
                    "status": "done",
                    "effect": "x",
                    "kind": "food",
                    "description": "x",
                    "cleared_on": "2026-01-01",
                    "evidence": "x",
                },
            ).status_code
            == 404
        ), url
    measure.refresh_from_db()
    problem.refresh_from_db()
    assert measure.status == "planned" and problem.status == "open"


def test_a_missing_ledger_object_is_also_404(client, county_admin, pengshui):
    client.force_login(county_admin)
    assert client.get("/assistance/measures/999999/edit/").status_code == 404
    assert client.get("/assistance/problems/999999/clear/").status_code == 404


def test_the_baojia_officer_sees_only_baojia_ledgers_in_the_list(
    client, tongluo_things, baojia_household, baojia_officer
):
    services.ledger_ensure(user=baojia_officer, household=baojia_household)
    client.force_login(baojia_officer)
    body = client.get("/assistance/ledgers/").content.decode()
    assert "BJ0001" in body and "TL0001" not in body


def test_a_leader_sees_problem_counts_but_no_household(client, tongluo_things, leader):
    client.force_login(leader)
    page = client.get("/assistance/problems/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="open-total">1<' in body
    assert "TL0001" not in body and "水源浑浊" not in body
    assert client.get(f"/assistance/households/{tongluo_things[0].household_id}/ledger/").status_code == 404
