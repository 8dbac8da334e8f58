"""Reads of the assistance ledger that span models. Return QuerySets or plain data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Prefetch, QuerySet

from shouwang.areas.models import Area, AreaLevel
from shouwang.assistance.choices import MeasureStatus, ProblemStatus
from shouwang.assistance.models import FollowUp, Ledger, Measure, Problem, SuggestionRecord
from shouwang.registry.models import Household


def measures_done_count(household: Household) -> int:
    """Measures carried out (已完成) for the household; the exit check needs at least one."""
    return Measure.objects.filter(ledger__household=household, status=MeasureStatus.DONE).count()


def open_problem_count(area: Area) -> int:
    return Problem.objects.in_area(area).open().count()


# --- open problems per area (动态清零) ------------------------------------------------------------------


@dataclass
class AreaProblems:
    area: Area
    open_count: int
    oldest_days: int | None

    @property
    def drillable(self) -> bool:
        return self.area.level != AreaLevel.VILLAGE


def _child_column(area: Area) -> str:
    return "household__township_id" if area.level == AreaLevel.COUNTY else "household__village_id"


def open_problems_by_child_area(area: Area, *, today: datetime.date) -> list[AreaProblems]:
    """Open problems of each township (for a county) or village (for a township), one grouped query.

    Every child area is listed, those at zero too: zero is the target and must be visible."""
    if area.level == AreaLevel.VILLAGE:
        return []
    column = _child_column(area)
    counts = {
        row[column]: row
        for row in Problem.objects.in_area(area)
        .open()
        .values(column)
        .annotate(n=Count("pk"), oldest=Min("opened_on"))
    }
    children = Area.objects.filter(parent=area).order_by("code")
    return [
        AreaProblems(
            child,
            counts.get(child.code, {}).get("n", 0),
            (today - counts[child.code]["oldest"]).days if child.code in counts else None,
        )
        for child in children
    ]


def area_path(area: Area) -> list[Area]:
    """The area and its parents, county first (for the drill-down breadcrumb)."""
    path = [area]
    while path[0].parent_id:
        path.insert(0, Area.objects.get(code=path[0].parent_id))
    return path


def open_problems(area: Area) -> QuerySet[Problem]:
    return (
        Problem.objects.in_area(area)
        .open()
        .select_related("household__village", "household__township")
        .order_by("opened_on", "pk")
    )


# --- the ledger of one household ----------------------------------------------------------------------


def _model(label: str, name: str) -> Any:
    """A model of another app if its tables exist on this build, else None (the section is left out)."""
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def monitoring_history(household: Household) -> list[Any]:
    case = _model("monitoring", "MonitoringCase")
    if case is None:
        return []
    return list(
        case.objects.filter(household=household)
        .select_related("lead")
        .prefetch_related("steps", "risks")
        .order_by("-verified_on", "-pk")
    )


def hit_label(rule_code: str) -> str:
    try:
        from shouwang.screening.rules import RULES_BY_CODE
    except ImportError:
        return rule_code
    rule = RULES_BY_CODE.get(rule_code)
    return str(rule.label) if rule else rule_code


def screening_hits(household: Household) -> list[Any]:
    """Current hits of the household, each with its rule's label and the sentence explaining it."""
    hit = _model("screening", "Hit")
    if hit is None:
        return []
    from shouwang.screening.rules import explain

    hits = list(
        hit.objects.filter(household=household, resolved_run__isnull=True)
        .select_related("person")
        .order_by("rule_code")
    )
    for h in hits:
        h.label, h.explanation = hit_label(h.rule_code), explain(h.rule_code, h.evidence)
    return hits


def visit_history(household: Household) -> list[Any] | None:
    """Visits of the household, newest first; None when the visits app has no Visit model on this build."""
    visit = _model("visits", "Visit")
    if visit is None:
        return None
    return list(
        visit.objects.filter(household=household, visited_on__isnull=False)
        .prefetch_related("checks")
        .order_by("-visited_on", "-pk")[:50]
    )


def ledger_causes(household: Household, cases: list[Any], hits: list[Any], problems: list[Problem]) -> dict:
    """Causes (致贫返贫风险): the current case's household type and risk types, and what is behind them."""
    current = next((c for c in cases if c.is_monitored), cases[0] if cases else None)
    return {
        "case": current,
        "household_type": current.get_household_type_display() if current and current.household_type else "",
        "risk_types": current.risk_type_labels if current else [],
        "hits": hits,
        "visit_findings": [p for p in problems if p.source == "visit"],
    }


def ledger_file(ledger: Ledger) -> dict[str, Any]:
    """Everything the ledger page and the one-household file show, in a fixed number of queries."""
    household = ledger.household
    problems = list(
        Problem.objects.filter(household=household)
        .prefetch_related("measures__kind")
        .order_by("status", "opened_on", "pk")
    )
    measures = list(
        Measure.objects.filter(ledger=ledger)
        .select_related("kind", "person")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "pk")), "problems"
        )
        .order_by("start_on", "pk")
    )
    cases, hits = monitoring_history(household), screening_hits(household)
    return {
        "ledger": ledger,
        "problems_open": [p for p in problems if p.status == ProblemStatus.OPEN],
        "problems_cleared": [p for p in problems if p.status == ProblemStatus.CLEARED],
        "measures": measures,
        "cases": cases,
        "causes": ledger_causes(household, cases, hits, problems),
        "answers": list(
            SuggestionRecord.objects.filter(ledger=ledger)
            .select_related("decided_by")
            .order_by("-decided_at")
        ),
    }


def ledgers_in_area(area: Area) -> QuerySet[Ledger]:
    return (
        Ledger.objects.in_area(area)
        .select_related("household__village", "household__township")
        .annotate(
            open_problems=Count("household__problems", filter=_open_filter(), distinct=True),
            measure_count=Count("measures", distinct=True),
        )
        .order_by("household__village_id", "household__number")
    )


def _open_filter():  # type: ignore[no-untyped-def]
    from django.db.models import Q

    return Q(household__problems__status=ProblemStatus.OPEN)


def overdue_measures(area: Area, *, today: datetime.date | None = None) -> QuerySet[Measure]:
    return Measure.objects.in_area(area).overdue(today).select_related("kind", "ledger__household")


def print_file(ledger: Ledger) -> dict[str, Any]:
    """一户一档: the household file, the ledger, its monitoring history and visits (if the visits app exists)."""
    from shouwang.registry.selectors import household_file

    return (
        household_file(ledger.household) | ledger_file(ledger) | {"visits": visit_history(ledger.household)}
    )
