"""Reads of visits and referrals: parameters in force, the due/overdue/done lists, per-area counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from shouwang.accounts.models import Role, User
from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.registry.models import Household
from shouwang.visits.choices import VisitStatus
from shouwang.visits.models import HouseholdCadence, Referral, Visit, VisitParameters, VisitQuerySet
from shouwang.visits.periods import ALLOWED_MONTHS, Period, quarter_of

DEFAULT_PERIOD_MONTHS = 3
DEFAULT_INTENSIVE_MONTHS = 1

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class DefaultVisitor(TypedDict):
        default_visitor: int | None


@dataclass(frozen=True)
class VisitPeriods:
    period_months: int
    intensive_period_months: int
    intensive_hit_count: int = 3


def visit_periods_for(county_code: str, year: int) -> VisitPeriods:
    """The county's visit periods in force in `year`.

    The ordinary period is screening's parameter of that year; a period that does not divide the year
    (e.g. 5) falls back to the longest one that does, so periods stay calendar-aligned. The shorter period
    is this app's parameter of that year or before (monthly by default), never longer than the ordinary one.
    """
    from shouwang.screening.selectors import parameters_for

    months = int(parameters_for(county_code, year).visit_period_months or DEFAULT_PERIOD_MONTHS)
    period = max(m for m in ALLOWED_MONTHS if m <= max(months, 1))
    row = VisitParameters.objects.filter(county_id=county_key(county_code), year__lte=year).order_by("-year").first()
    intensive = row.intensive_period_months if row else DEFAULT_INTENSIVE_MONTHS
    return VisitPeriods(period, min(max(m for m in ALLOWED_MONTHS if m <= intensive), period),
                        row.intensive_hit_count if row else 3)


def annotate_intensive(households: QuerySet[Household], periods: VisitPeriods) -> QuerySet[Household]:
    """Mark households visited on the shorter period: an open problem, or many current screening hits."""
    from shouwang.assistance.models import Problem
    from shouwang.screening.models import Hit

    hits = (Hit.objects.current().filter(household=OuterRef("pk")).order_by().values("household")
            .annotate(n=Count("rule_code", distinct=True)).values("n")[:1])
    return households.annotate(
        open_problem=Exists(Problem.objects.open().filter(household=OuterRef("pk"))),
        hit_rules=Coalesce(Subquery(hits, output_field=IntegerField()), 0),
    ).annotate(intensive=ExpressionWrapper(Q(open_problem=True) | Q(hit_rules__gte=periods.intensive_hit_count),
                                           output_field=BooleanField()))


def household_period_months(household: Household, day: datetime.date, *, intensive: bool = False) -> int:
    """A household's own period if set, else the county's: the shorter one when `intensive` (a risk just found)
    or when the household has an open problem or many screening hits."""
    cadence = HouseholdCadence.objects.filter(household=household).values_list("period_months", flat=True).first()
    if cadence:
        return cadence
    periods = visit_periods_for(household.county_id, day.year)
    annotated: QuerySet[Any] = annotate_intensive(Household.objects.filter(pk=household.pk), periods)
    intensive = intensive or annotated.filter(intensive=True).exists()
    return periods.intensive_period_months if intensive else periods.period_months


def default_visitor_ids(households: QuerySet[Household]) -> QuerySet[WithAnnotations[Household, DefaultVisitor]]:
    """Annotate each household with the village specialist who visits it by default (lowest id wins)."""
    specialists = User.objects.filter(role=Role.VILLAGE_SPECIALIST, is_active=True, area_id=OuterRef("village_id"))
    return households.annotate(default_visitor=Subquery(specialists.order_by("pk").values("pk")[:1]))


def monitored_households(area: Area) -> QuerySet[Household]:
    from shouwang.monitoring.selectors import monitored_households as monitored

    return monitored(area)


# --- lists ---------------------------------------------------------------------------------------------


LISTS = ("due", "overdue", "done")


def visit_list(*, visits: VisitQuerySet, which: str, today: datetime.date,
               quarter: Period | None = None) -> QuerySet[Visit]:
    """due: planned visits open by the end of the quarter; overdue: past their date; done: this quarter."""
    quarter = quarter or quarter_of(today)
    if which == "overdue":
        qs = visits.overdue(today).order_by("due_on", "pk")
    elif which == "done":
        qs = visits.done_between(quarter.start, quarter.end).order_by("-visited_on", "-pk")
    else:
        qs = visits.due_by(quarter.end).order_by("due_on", "pk")
    return qs.select_related("household", "household__village", "household__township", "visitor")


def visit_counts(visits: VisitQuerySet, *, today: datetime.date, quarter: Period | None = None) -> dict[str, int]:
    quarter = quarter or quarter_of(today)
    counts = visits.aggregate(
        due=Count("pk", filter=Q(status=VisitStatus.PLANNED, period_start__lte=quarter.end)),
        overdue=Count("pk", filter=Q(status=VisitStatus.PLANNED, due_on__lt=today)),
        done=Count("pk", filter=Q(status=VisitStatus.DONE, visited_on__gte=quarter.start,
                                  visited_on__lte=quarter.end)),
    )
    return {k: v or 0 for k, v in counts.items()}


def visit_counts_by_area(visits: QuerySet[Visit], *, area: Area, today: datetime.date,
                         quarter: Period | None = None) -> list[dict[str, Any]]:
    """One row per township (county users) or village (township users): due, overdue, done. One query."""
    quarter = quarter or quarter_of(today)
    column = "household__township_id" if area.level == AreaLevel.COUNTY else "household__village_id"
    rows = (
        visits.values(column)
        .annotate(
            due=Count("pk", filter=Q(status=VisitStatus.PLANNED, period_start__lte=quarter.end)),
            overdue=Count("pk", filter=Q(status=VisitStatus.PLANNED, due_on__lt=today)),
            done=Count("pk", filter=Q(status=VisitStatus.DONE, visited_on__gte=quarter.start,
                                      visited_on__lte=quarter.end)),
        )
        .order_by(column)
    )
    names = dict(Area.objects.filter(parent=area).values_list("code", "name"))
    return [{"code": r[column], "name": names.get(r[column], r[column]), "due": r["due"], "overdue": r["overdue"],
             "done": r["done"]} for r in rows if r["due"] or r["overdue"] or r["done"]]


def visit_counts_by_visitor(visits: QuerySet[Visit], *, today: datetime.date,
                            quarter: Period | None = None) -> list[dict[str, Any]]:
    """One row per visitor (unassigned visits included): due, overdue, done. One query."""
    quarter = quarter or quarter_of(today)
    rows = (
        visits.values("visitor_id", "visitor__full_name", "visitor__username")
        .annotate(
            due=Count("pk", filter=Q(status=VisitStatus.PLANNED, period_start__lte=quarter.end)),
            overdue=Count("pk", filter=Q(status=VisitStatus.PLANNED, due_on__lt=today)),
            done=Count("pk", filter=Q(status=VisitStatus.DONE, visited_on__gte=quarter.start,
                                      visited_on__lte=quarter.end)),
        )
        .order_by("-overdue", "visitor__full_name")
    )
    return [{"id": r["visitor_id"], "name": r["visitor__full_name"] or r["visitor__username"] or "",
             "due": r["due"], "overdue": r["overdue"], "done": r["done"]}
            for r in rows if r["due"] or r["overdue"] or r["done"]]


def household_visit_summary(household: Household) -> dict[str, Any]:
    """The household page: last visits, the next planned one, referrals (fixed number of queries)."""
    visits = list(household.visits.select_related("visitor").prefetch_related("checks")
                  .order_by("-visited_on", "-due_on")[:10])
    planned = next((v for v in visits if v.status == VisitStatus.PLANNED), None)
    referrals = list(Referral.objects.filter(household=household).select_related("target")[:20])
    return {"visits": [v for v in visits if v.status == VisitStatus.DONE], "next_visit": planned,
            "referrals": referrals}


def has_planned_visit() -> Exists:
    return Exists(Visit.objects.filter(household=OuterRef("pk"), status=VisitStatus.PLANNED))
