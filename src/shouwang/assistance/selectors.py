"""Reads of the assistance ledger that span models. Return QuerySets or plain data."""

from __future__ import annotations

from shouwang.assistance.choices import MeasureStatus
from shouwang.assistance.models import Measure
from shouwang.registry.models import Household


def measures_done_count(household: Household) -> int:
    """Measures carried out (已完成) for the household; the exit check needs at least one."""
    return Measure.objects.filter(ledger__household=household, status=MeasureStatus.DONE).count()
