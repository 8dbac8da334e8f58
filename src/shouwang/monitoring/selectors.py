"""Reads of monitoring that other apps use: who is monitored now, the open leads, the late ones."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from shouwang.areas.models import Area
from shouwang.monitoring.models import MonitoringCase
from shouwang.registry.models import Household


def monitored_households(area: Area) -> QuerySet[Household]:
    """Households in `area` under monitoring now (confirmed, not yet exited), one row each."""
    current = MonitoringCase.objects.monitored().filter(household=OuterRef("pk"))
    return Household.objects.in_area(area).filter(Exists(current))


def current_case(household: Household) -> MonitoringCase | None:
    """The case that is monitoring the household now, if any."""
    return MonitoringCase.objects.monitored().filter(household=household).first()
