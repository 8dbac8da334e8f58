"""A lead not decided within the limit (15 days by default) is flagged on day 16: on the lead list, the
household page and the township officer's queue — and not on day 15."""

import datetime

import pytest
import time_machine

from tests.monitoring.conftest import D, open_lead

pytestmark = pytest.mark.django_db


def _at(day: datetime.date):  # type: ignore[no-untyped-def]
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC), tick=False
    )


def _pages(client, household):  # type: ignore[no-untyped-def]
    return {
        "list": client.get("/monitoring/leads/").content.decode(),
        "household": client.get(f"/registry/households/{household.pk}/").content.decode(),
        "queue": client.get("/monitoring/").content.decode(),
    }


def test_lead_is_not_late_on_day_15(client, tongluo_household, yushan_officer):
    with _at(D(2026, 3, 1)):
        open_lead(tongluo_household, found_on=D(2026, 3, 1))
    client.force_login(yushan_officer)
    with _at(D(2026, 3, 16)):
        pages = _pages(client, tongluo_household)
    for page in pages.values():
        assert "sw-late" not in page and "超期</span>" not in page
    assert "超期线索（0）" in pages["queue"]
    assert "已 15 天" in pages["household"]


def test_lead_is_flagged_late_on_day_16_everywhere(client, tongluo_household, yushan_officer):
    with _at(D(2026, 3, 1)):
        lead = open_lead(tongluo_household, found_on=D(2026, 3, 1))
    client.force_login(yushan_officer)
    with _at(D(2026, 3, 17)):
        pages = _pages(client, tongluo_household)
        only_late = client.get("/monitoring/leads/?late=1").content.decode()
    assert f'class="table-danger sw-late" data-lead="{lead.pk}"' in pages["list"]
    assert 'id="monitoring-lead"' in pages["household"] and "超期</span>" in pages["household"]
    late_queue = pages["queue"].split('id="queue-late"')[1].split("sw-section-title")[0]
    assert tongluo_household.number in late_queue
    assert "超期线索（1）" in pages["queue"]
    assert tongluo_household.number in only_late


def test_late_limit_is_a_county_parameter(client, tongluo_household, yushan_officer, county_admin):
    from shouwang.monitoring.services import monitoring_parameters_save

    monitoring_parameters_save(
        user=county_admin,
        county_code="500243000000",
        year=2026,
        notice_days=5,
        lead_limit_days=20,
        exit_min_months=6,
        income_line="6000",
    )
    with _at(D(2026, 3, 1)):
        open_lead(tongluo_household, found_on=D(2026, 3, 1))
    client.force_login(yushan_officer)
    with _at(D(2026, 3, 17)):
        assert "超期线索（0）" in client.get("/monitoring/").content.decode()
