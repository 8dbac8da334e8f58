"""Reads of screening data: parameters, current hits, summaries by rule and area."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery

from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.registry.models import Household
from shouwang.screening.defaults import default_values
from shouwang.screening.models import Hit, RunKind, ScreeningParameters, ScreeningRun


def parameters_for(county_code: str, year: int) -> ScreeningParameters:
    """The county's parameters for a policy year.

    Falls back to the latest stored earlier year, then to the seeded defaults (unsaved, confirmed=False),
    so visits and monitoring can always read a visit period and thresholds.
    """
    county = county_key(county_code)
    stored = ScreeningParameters.objects.filter(county_id=county, year__lte=year).order_by("-year").first()
    if stored is not None:
        return stored
    return ScreeningParameters(county_id=county, **default_values(year))


def parameters_in_effect(county_code: str, on: datetime.date | None = None) -> ScreeningParameters:
    """The parameters whose effective date is the latest on or before `on` (today by default)."""
    on = on or datetime.date.today()
    county = county_key(county_code)
    stored = (
        ScreeningParameters.objects.filter(county_id=county, effective_from__lte=on)
        .order_by("-effective_from", "-year")
        .first()
    )
    return stored or parameters_for(county, on.year)


def parameters_list(county: Area) -> QuerySet[ScreeningParameters]:
    return ScreeningParameters.objects.filter(county=county).order_by("-year")


def hits_of_household(household: Household) -> list[Hit]:
    return list(
        Hit.objects.current().filter(household=household).select_related("person", "run").order_by("rule_code", "pk")
    )


def hit_counts_by_rule(area: Area) -> dict[str, dict[str, int]]:
    """Current hits and distinct households per rule inside an area."""
    rows = (
        Hit.objects.current().filter(_household_in_area(area)).order_by()
        .values("rule_code").annotate(hits=Count("pk"), households=Count("household", distinct=True))
    )
    return {r["rule_code"]: {"hits": r["hits"], "households": r["households"]} for r in rows}


def households_with_hits(area: Area) -> int:
    return Hit.objects.current().filter(_household_in_area(area)).values("household").distinct().count()


def hit_counts_by_child_area(area: Area, rule_code: str = "") -> list[dict[str, Any]]:
    """Households with current hits per township (for a county) or per village (for a township)."""
    column = "household__township" if area.level == AreaLevel.COUNTY else "household__village"
    hits = Hit.objects.current().filter(_household_in_area(area))
    if rule_code:
        hits = hits.filter(rule_code=rule_code)
    counts = dict(
        hits.order_by().values_list(column).annotate(n=Count("household", distinct=True)).values_list(column, "n")
    )
    children = Area.objects.filter(parent=area).order_by("code")
    return [{"area": child, "households": counts.get(child.code, 0)} for child in children]


def households_hit_in_area(area: Area, rule_code: str = "") -> QuerySet[Household]:
    hits = Hit.objects.current()
    if rule_code:
        hits = hits.filter(rule_code=rule_code)
    return (
        Household.objects.in_area(area)
        .filter(pk__in=hits.values("household_id"))
        .annotate(n_hits=_current_hit_count())
        .select_related("village")
        .order_by("number")
    )


def _current_hit_count() -> Subquery:
    """Each household's current hits, counted through the current-hit index (a join on the household
    alone would find no index: hits have none on the household that covers resolved ones)."""
    per_household = (Hit.objects.current().filter(household=OuterRef("pk")).order_by().values("household")
                     .annotate(n=Count("pk")).values("n"))
    return Subquery(per_household, output_field=IntegerField())


def runs_for_county(county_code: str, *, kind: str = RunKind.FULL) -> QuerySet[ScreeningRun]:
    runs = ScreeningRun.objects.filter(county_id=county_key(county_code)).select_related("area", "user")
    return runs.filter(kind=kind) if kind else runs


def _household_in_area(area: Area) -> Q:
    column = {AreaLevel.COUNTY: "county_id", AreaLevel.TOWNSHIP: "township_id"}.get(AreaLevel(area.level), "village_id")
    return Q(**{f"household__{column}": area.code})
