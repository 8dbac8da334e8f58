"""Screening pages: summary by rule and area with drill-down, what-if, run history, parameters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import AuthenticatedHttpRequest, require_persons, user_area
from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.forms import copy_errors
from shouwang.screening import selectors
from shouwang.screening.forms import ParametersForm, WhatIfForm
from shouwang.screening.models import RunKind, ScreeningParameters
from shouwang.screening.rules import RULES, RULES_BY_CODE
from shouwang.screening.selectors import parameters_in_effect
from shouwang.screening.services import (
    county_of,
    parameters_create,
    parameters_ensure,
    parameters_update,
    screening_run,
)
from shouwang.screening.whatif import screening_what_if

PAGE_SIZE = 30


def _area(request: AuthenticatedHttpRequest) -> Area:
    """The area asked for (?area=), which must lie inside the user's own; otherwise 404."""
    require_persons(request.user)
    own = user_area(request.user)
    code = request.GET.get("area", "").strip()[:12]
    if not code or code == own.code:
        return own
    area = Area.objects.filter(code=code).first()
    if area is None or not own.contains(area):
        raise Http404
    return area


def _rule(request: AuthenticatedHttpRequest) -> str:
    code = request.GET.get("rule", "")
    return code if code in RULES_BY_CODE else ""


def summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    area, rule = _area(request), _rule(request)
    counts = selectors.hit_counts_by_rule(area)
    rows: list[dict[str, Any]] = [{"rule": r, "hits": counts.get(r.code, {}).get("hits", 0),
             "households": counts.get(r.code, {}).get("households", 0)} for r in RULES]
    children = selectors.hit_counts_by_child_area(area, rule) if area.level != AreaLevel.VILLAGE else []
    page = None
    if area.level == AreaLevel.VILLAGE:
        page = Paginator(selectors.households_hit_in_area(area, rule), PAGE_SIZE).get_page(request.GET.get("page"))
    last_run = selectors.runs_for_county(county_of(area).code).first()
    return render(request, "screening/summary.html", {
        "area": area, "rule": RULES_BY_CODE.get(rule), "rows": rows, "children": children, "page": page,
        "households_hit": selectors.households_with_hits(area), "last_run": last_run,
        "trail": _trail(user_area(request.user), area), "query": f"area={area.code}&rule={rule}",
        "chart": {"labels": [str(r["rule"].label) for r in rows], "values": [r["households"] for r in rows]},
    })


def households(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Households with current hits in an area (any level), optionally for one rule."""
    area, rule = _area(request), _rule(request)
    page = Paginator(selectors.households_hit_in_area(area, rule), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/households.html", {
        "area": area, "rule": RULES_BY_CODE.get(rule), "page": page, "trail": _trail(user_area(request.user), area),
        "query": f"area={area.code}&rule={rule}",
    })


def _trail(own: Area, area: Area) -> list[Area]:
    """The areas from the user's own down to the one shown (for the breadcrumb)."""
    trail = [area]
    while trail[0].code != own.code and trail[0].parent is not None:
        trail.insert(0, trail[0].parent)
    return trail


def what_if(request: AuthenticatedHttpRequest) -> HttpResponse:
    area = _area(request)
    county = county_of(area)
    base = parameters_in_effect(county.code)
    form = WhatIfForm(request.GET if "run" in request.GET else None, base=base)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = screening_what_if(area=area, overrides=form.overrides())
        except ValidationError as exc:
            copy_errors(form, exc)
    return render(request, "screening/what_if.html", {"area": area, "form": form, "result": result, "base": base,
                                                      "trail": _trail(user_area(request.user), area)})


def runs(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    kind = request.GET.get("kind", RunKind.FULL)
    kind = kind if kind in RunKind.values else RunKind.FULL
    own = user_area(request.user)
    qs = selectors.runs_for_county(county_of(own).code, kind=kind)
    if own.level != AreaLevel.COUNTY:
        qs = qs.filter(area_id__in=[own.code, own.county_code, own.township_code])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/runs.html", {"page": page, "kind": kind, "kinds": RunKind.choices,
                                                   "rules": RULES, "query": f"kind={kind}"})


@require_POST
def run_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    if not request.user.has_perm("screening.run_screening"):
        raise PermissionDenied
    area = user_area(request.user)
    parameters_ensure(county=county_of(area), user=request.user)
    run = screening_run(user=request.user, area=area)
    messages.success(request, _("筛查完成：新增 %(new)s 条，消除 %(resolved)s 条") % {
        "new": run.new_count, "resolved": run.resolved_count})
    return redirect("screening:runs")


def _county_admin(request: AuthenticatedHttpRequest) -> Area:
    require_persons(request.user)
    if not request.user.has_perm("screening.change_parameters"):
        raise PermissionDenied
    return county_of(user_area(request.user))


def parameters(request: AuthenticatedHttpRequest) -> HttpResponse:
    county = _county_admin(request)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            created = parameters_create(user=request.user, county=county, year=year)
        except (ValueError, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [_("请填写有效年度")])))
        else:
            messages.success(request, _("已新增%(y)s年度参数，请核对后确认") % {"y": created.year})
            return redirect("screening:parameters_edit", year=created.year)
    rows = selectors.parameters_list(county)
    return render(request, "screening/parameters.html", {"county": county, "rows": rows})


def parameters_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    county = _county_admin(request)
    params = ScreeningParameters.objects.filter(county=county, year=year).first()
    if params is None:
        raise Http404
    form = ParametersForm(request.POST or None, instance=params)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = {k: form.cleaned_data[k] for k in form.changed_data}
        params.refresh_from_db()  # the form wrote onto the instance; the service compares before/after
        try:
            parameters_update(user=request.user, parameters=params, **fields)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存%(y)s年度参数") % {"y": year})
            return redirect("screening:parameters")
    return render(request, "screening/parameters_form.html", {"form": form, "params": params})
