"""Reads of monitoring: who is monitored now, the leads and cases a user may see, the work queues.

Every list is scoped in its query by the user's area (out-of-area and missing answer the same 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from shouwang.accounts.access import require_persons
from shouwang.accounts.models import Role
from shouwang.areas.models import Area, AreaLevel
from shouwang.monitoring.choices import MONITORED_STAGES, LeadStatus, Stage
from shouwang.monitoring.models import CaseRiskType, Lead, LeadQuerySet, MonitoringCase
from shouwang.monitoring.parameters import parameters_for
from shouwang.registry.models import Household


def monitored_households(area: Area) -> QuerySet[Household]:
    """Households in `area` under monitoring now (confirmed, not yet exited), one row each."""
    current = MonitoringCase.objects.monitored().filter(household=OuterRef("pk"))
    return Household.objects.in_area(area).filter(Exists(current))


def current_case(household: Household) -> MonitoringCase | None:
    """The case that is monitoring the household now, if any."""
    return MonitoringCase.objects.monitored().filter(household=household).first()


def _household_in(area: Area, prefix: str = "household__") -> Q:
    column = {AreaLevel.COUNTY: "county", AreaLevel.TOWNSHIP: "township"}.get(
        AreaLevel(area.level), "village"
    )
    return Q(**{f"{prefix}{column}_id": area.code})


def lead_limit_days(area: Area, today: datetime.date) -> int:
    return parameters_for(
        area.county_code if area.level != AreaLevel.COUNTY else area.code, today.year
    ).lead_limit_days


# --- scoped access ------------------------------------------------------------------------------------


def leads_for_user(user: Any) -> LeadQuerySet:
    require_persons(user)
    return Lead.objects.filter(_household_in(user.area))


def cases_for_user(user: Any) -> QuerySet[MonitoringCase]:
    require_persons(user)
    return MonitoringCase.objects.filter(_household_in(user.area))


def get_lead_for_user(user: Any, pk: Any) -> Lead:
    try:
        return (
            leads_for_user(user).select_related("household__village", "household__township").get(pk=int(pk))
        )
    except (Lead.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_case_for_user(user: Any, pk: Any) -> MonitoringCase:
    try:
        return (
            cases_for_user(user)
            .select_related("household__village", "household__township", "lead")
            .get(pk=int(pk))
        )
    except (MonitoringCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- lists --------------------------------------------------------------------------------------------


@dataclass
class LeadRow:
    """A lead on a list, with its clock: days since found and whether it is past the limit."""

    lead: Lead
    days: int
    late: bool


def lead_rows(leads: list[Lead], *, today: datetime.date, limit_days: int) -> list[LeadRow]:
    rows = []
    for lead in leads:
        days = ((lead.decided_on or today) - lead.found_on).days
        rows.append(LeadRow(lead=lead, days=days, late=lead.is_active and days > limit_days))
    return rows


def lead_list(*, user: Any, status: str = "", late: bool = False, today: datetime.date) -> QuerySet[Lead]:
    qs = leads_for_user(user).select_related("household__village", "household__township", "case")
    if status in LeadStatus.values:
        qs = qs.filter(status=status)
    if late:
        qs = qs.late(today=today, limit_days=lead_limit_days(user.area, today))
    return qs.order_by("found_on", "pk") if late else qs


@dataclass
class MonitoredFilters:
    township: str = ""
    village: str = ""
    household_type: str = ""
    risk_type: str = ""


def monitored_cases(*, user: Any, filters: MonitoredFilters) -> QuerySet[MonitoringCase]:
    """Current cases (one per monitored household) in the user's area, with type and risk types."""
    qs = cases_for_user(user).filter(stage__in=MONITORED_STAGES)
    if filters.township:
        qs = qs.filter(household__township_id=filters.township)
    if filters.village:
        qs = qs.filter(household__village_id=filters.village)
    if filters.household_type:
        qs = qs.filter(household_type=filters.household_type)
    if filters.risk_type:
        qs = qs.filter(Exists(CaseRiskType.objects.filter(case=OuterRef("pk"), risk_type=filters.risk_type)))
    return (
        qs.select_related("household__village", "household__township")
        .prefetch_related(Prefetch("risks", queryset=CaseRiskType.objects.order_by("pk")))
        .order_by("household__township_id", "household__village_id", "household__number")
    )


def notice_cases(village: Area) -> QuerySet[MonitoringCase]:
    """Cases under public notice in a village (notice started, not yet reviewed by the township)."""
    return (
        MonitoringCase.objects.filter(household__village=village, stage=Stage.NOTICING)
        .select_related("household")
        .order_by("notice_started_on", "household__number")
    )


# --- work queues --------------------------------------------------------------------------------------


@dataclass
class Queue:
    key: str
    title: str
    leads: list[LeadRow]
    total: int


def work_queues(*, user: Any, today: datetime.date, size: int = 50) -> list[Queue]:
    """What waits for this user: verifications (village), reviews and late leads (township), confirmations
    (county). Each queue is scoped to the user's area and ordered oldest lead first."""
    from django.utils.translation import gettext as _

    leads = leads_for_user(user).select_related("household__village", "household__township", "case")
    limit = lead_limit_days(user.area, today)
    stage = {
        "verify": Q(status=LeadStatus.OPEN),
        "village": Q(status=LeadStatus.IDENTIFYING, case__stage__in=[Stage.VILLAGE_REVIEW, Stage.NOTICE]),
        "township": Q(status=LeadStatus.IDENTIFYING, case__stage=Stage.NOTICING),
        "county": Q(status=LeadStatus.IDENTIFYING, case__stage=Stage.COUNTY_CONFIRMATION),
    }
    exit_stage = {"village": Stage.MONITORED, "township": Stage.EXIT_TOWNSHIP, "county": Stage.EXIT_COUNTY}
    plan: list[tuple[str, str, Any]] = {
        Role.VILLAGE_SPECIALIST: [
            ("verify", _("待入户核实"), leads.filter(stage["verify"])),
            ("village", _("待民主评议或公示"), leads.filter(stage["village"])),
        ],
        Role.TOWNSHIP_OFFICER: [
            ("late", _("超期线索"), leads.late(today=today, limit_days=limit)),
            ("township", _("待乡镇审核（公示中）"), leads.filter(stage["township"])),
            ("exit_township", _("风险消除待乡镇审核"), leads.filter(case__stage=exit_stage["township"])),
            ("verify", _("待入户核实"), leads.filter(stage["verify"])),
            ("village", _("待民主评议或公示"), leads.filter(stage["village"])),
        ],
        Role.COUNTY_STAFF: [
            ("county", _("待县级审定"), leads.filter(stage["county"])),
            ("exit_county", _("风险消除待县级审定"), leads.filter(case__stage=exit_stage["county"])),
            ("late", _("超期线索"), leads.late(today=today, limit_days=limit)),
        ],
    }.get(Role.COUNTY_STAFF if user.role == Role.COUNTY_ADMIN else user.role, [])
    return [
        Queue(
            key,
            title,
            lead_rows(list(qs.order_by("found_on", "pk")[:size]), today=today, limit_days=limit),
            qs.count(),
        )
        for key, title, qs in plan
    ]
