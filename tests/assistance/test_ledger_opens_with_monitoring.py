"""The ledger is created with the county confirmation and kept after the household exits."""

from __future__ import annotations

import pytest

from shouwang.assistance.models import Ledger
from tests.monitoring.conftest import walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_county_confirmation_opens_the_ledger(
    tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    walk(tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer)
    assert not Ledger.objects.filter(household=tongluo_household).exists()
    from shouwang.monitoring.models import MonitoringCase
    from shouwang.monitoring.services import monitoring_confirm

    case = MonitoringCase.objects.get(household=tongluo_household)
    monitoring_confirm(
        user=county_staff,
        case=case,
        confirmed_on=case.township_reviewed_on,
        household_type="unstable",
        risk_types=["disability"],
    )
    assert Ledger.objects.filter(household=tongluo_household).count() == 1


def test_the_ledger_page_opens_a_ledger_for_a_monitored_household_without_one(
    client, tongluo_household, yushan_officer
):
    from tests.assistance.conftest import monitor

    monitor(tongluo_household)
    client.force_login(yushan_officer)
    page = client.get(f"/assistance/households/{tongluo_household.pk}/ledger/")
    assert page.status_code == 200 and "因残" in page.content.decode()
    assert Ledger.objects.filter(household=tongluo_household).exists()


def test_the_ledger_is_kept_after_the_household_exits(client, tongluo_household, yushan_officer):
    from tests.assistance.conftest import add_measure, monitor

    case = monitor(tongluo_household)
    client.force_login(yushan_officer)
    client.get(f"/assistance/households/{tongluo_household.pk}/ledger/")
    ledger = Ledger.objects.get(household=tongluo_household)
    add_measure(ledger, yushan_officer, content="公益岗位")
    case.stage = "exited"
    case.save(update_fields=["stage"])
    page = client.get(f"/assistance/households/{tongluo_household.pk}/ledger/")
    body = page.content.decode()
    assert page.status_code == 200 and "公益岗位" in body and "已风险消除" in body
