"""Visits fixtures: monitored households, a frozen clock, a checklist helper, liaisons per department.

Dates: unless a test travels elsewhere, today is 2026-03-20 (Asia/Shanghai), in the first quarter of 2026.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from shouwang.accounts.models import Role, User
from shouwang.monitoring.models import Lead, MonitoringCase
from shouwang.visits.choices import CheckItem
from shouwang.visits.defaults import referral_targets_ensure
from tests.conftest import COUNTY, TONGLUO, _user

D = datetime.date
JAN_10 = D(2026, 1, 10)


def travel(day: datetime.date) -> Any:
    """Freeze the clock at 10:00 in Asia/Shanghai on `day`."""
    moment = datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def referral_targets(db: Any) -> None:
    """The migration seeds them, but a transactional test run earlier flushes every table."""
    referral_targets_ensure()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def march_20() -> Iterator[None]:
    with travel(D(2026, 3, 20)):
        yield


def monitor(household: Any, since: datetime.date = JAN_10) -> Any:
    """Put a household under monitoring as if identification had been confirmed on `since`."""
    lead = Lead.objects.create(household=household, source="screening", found_on=since, status="confirmed",
                               decided_on=since)
    MonitoringCase.objects.create(household=household, lead=lead, stage="monitored", verified_on=since,
                                  confirmed_on=since)
    return household


def secured(**failed: str) -> dict[str, tuple[bool, str]]:
    """All six checklist items secured, except those given as item=note."""
    return {code: (code not in failed, failed.get(code, "")) for code in CheckItem.values}


@pytest.fixture
def liaisons(pengshui: Any) -> dict[str, User]:
    return {dept: _user(f"liaison-{dept}", Role.LIAISON, COUNTY, department=dept)
            for dept in ("civil", "housing", "rural")}


@pytest.fixture
def tongluo_specialist_b(pengshui: Any) -> User:
    return _user("tongluo-b", Role.VILLAGE_SPECIALIST, TONGLUO)
