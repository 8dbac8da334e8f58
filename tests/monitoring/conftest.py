"""Monitoring fixtures: uploads go to a temporary MEDIA_ROOT; `walk` moves a household through the steps.

Dates: tests travel to 2026-03-31 (Asia/Shanghai) unless they say otherwise, and steps are dated before it.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from shouwang.monitoring import services
from shouwang.monitoring.models import Lead, MonitoringCase

TODAY = datetime.date(2026, 3, 31)
D = datetime.date
MARCH_1 = D(2026, 3, 1)


@pytest.fixture(autouse=True)
def chinese() -> Any:
    """Messages are asserted in Chinese; a request in English elsewhere must not leak into the next test."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def frozen_today() -> Any:
    with time_machine.travel(
        datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC), tick=False
    ) as traveller:
        yield traveller


def authorisation_pdf(name: str = "授权承诺书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 signed authorisation", content_type="application/pdf")


def open_lead(household: Any, found_on: datetime.date = MARCH_1, source: str = "visit") -> Lead:
    return services.lead_open(
        user=None, household=household, source=source, evidence={"note": "test"}, found_on=found_on
    )


def walk(
    household: Any,
    *,
    to: str,
    specialist: Any,
    officer: Any = None,
    staff: Any = None,
    found_on: datetime.date = MARCH_1,
) -> MonitoringCase:
    """Run the identification steps up to `to` (a stage name), dated in order in March 2026."""
    lead = open_lead(household, found_on)
    case = services.monitoring_verify(
        user=specialist,
        lead=lead,
        verified_on=found_on + datetime.timedelta(days=1),
        authorisation=authorisation_pdf(),
        note="入户核实属实",
    )
    if to == "village_review":
        return case
    services.monitoring_review_village(
        user=specialist, case=case, result="agreed", reviewed_on=found_on + datetime.timedelta(days=2)
    )
    if to == "notice":
        return case
    services.monitoring_notice_start(
        user=specialist, case=case, started_on=found_on + datetime.timedelta(days=3)
    )
    if to == "noticing":
        return case
    services.monitoring_review_township(
        user=officer, case=case, reviewed_on=found_on + datetime.timedelta(days=9)
    )
    if to == "county_confirmation":
        return case
    services.monitoring_confirm(
        user=staff,
        case=case,
        confirmed_on=found_on + datetime.timedelta(days=10),
        household_type="sudden",
        risk_types=["illness", "disability"],
    )
    return case
