"""monitored_households(area): confirmed and not exited, inside the area only."""

import datetime

import pytest

from shouwang.areas.models import Area
from shouwang.monitoring.models import MonitoringCase
from shouwang.monitoring.selectors import monitored_households
from shouwang.monitoring.services import lead_open

pytestmark = pytest.mark.django_db


def _case(household, stage):  # type: ignore[no-untyped-def]
    lead = lead_open(user=None, household=household, source="visit", evidence={})
    return MonitoringCase.objects.create(
        household=household,
        lead=lead,
        stage=stage,
        verified_on=datetime.date(2026, 1, 5),
        authorisation="x.pdf",
    )


def test_only_confirmed_households_in_the_area_are_monitored(tongluo_household, baojia_household):
    _case(tongluo_household, "monitored")
    _case(baojia_household, "monitored")
    yushan = Area.objects.get(code="500243102000")
    assert list(monitored_households(yushan)) == [tongluo_household]


def test_household_in_identification_or_exited_is_not_monitored(tongluo_household):
    case = _case(tongluo_household, "county_confirmation")
    county = Area.objects.get(code="500243000000")
    assert not monitored_households(county).exists()
    case.stage = "exited"
    case.save()
    assert not monitored_households(county).exists()
