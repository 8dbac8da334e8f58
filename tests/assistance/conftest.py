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
        "responsible_unit": "县人社局", "responsible_person": "刘干事",
        "start_on": datetime.date.today() - datetime.timedelta(days=30),
        "due_on": datetime.date.today() + datetime.timedelta(days=30),
    } | extra
    return services.measure_create(user=user, ledger=ledger, kind=MeasureKind.objects.get(code=code), **fields)
