from __future__ import annotations

import datetime
from typing import Any

import pytest

from shouwang.assistance import services
from shouwang.assistance.models import Ledger, MeasureKind


@pytest.fixture
def ledger(tongluo_household: Any, yushan_officer: Any) -> Ledger:
    return services.ledger_ensure(user=yushan_officer, household=tongluo_household)


def add_measure(ledger: Ledger, user: Any, code: str = "employment", **extra: Any):  # type: ignore[no-untyped-def]
    fields = {
        "responsible_unit": "县人社局",
        "responsible_person": "刘干事",
        "start_on": datetime.date.today() - datetime.timedelta(days=30),
        "due_on": datetime.date.today() + datetime.timedelta(days=30),
    } | extra
    return services.measure_create(
        user=user, ledger=ledger, kind=MeasureKind.objects.get(code=code), **fields
    )


def monitor(household: Any, risk_types: tuple[str, ...] = ("disability", "illness")) -> Any:
    """Put the household under monitoring directly (the identification steps are monitoring's own tests)."""
    from shouwang.monitoring.models import CaseRiskType, MonitoringCase
    from shouwang.monitoring.services import lead_open

    lead = lead_open(user=None, household=household, source="visit", evidence={})
    case = MonitoringCase.objects.create(
        household=household,
        lead=lead,
        stage="monitored",
        household_type="unstable",
        verified_on=datetime.date.today() - datetime.timedelta(days=60),
        confirmed_on=datetime.date.today() - datetime.timedelta(days=40),
        authorisation="x.pdf",
    )
    CaseRiskType.objects.bulk_create([CaseRiskType(case=case, risk_type=r) for r in risk_types])
    return case
