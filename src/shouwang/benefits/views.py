from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import (
    AuthenticatedHttpRequest,
    get_person_for_user,
    households_for_user,
    require_persons,
    user_area,
)
from shouwang.areas.models import Area, AreaLevel
from shouwang.benefits import selectors, services
from shouwang.benefits.choices import FindingKind
from shouwang.benefits.evaluation import parameters_for
from shouwang.benefits.forms import BenefitRecordForm, CoverageParametersForm, EndRecordForm
from shouwang.benefits.models import BenefitRecord, CoverageFinding
from shouwang.benefits.rules import RULES, reason_text
from shouwang.registry.forms import copy_errors

PAGE_SIZE = 30


def _require(request: AuthenticatedHttpRequest, permission: str) -> None:
    if not request.user.is_authenticated or request.user.area_id is None:
        raise Http404
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _area(request: AuthenticatedHttpRequest) -> Area:
    """The area asked for (?area=CODE), which must lie inside the user's own; missing or outside is 404."""
    own = user_area(request.user)
    code = request.GET.get("area", "")[:12]
    if not code or code == own.code:
        return own
    area = Area.objects.filter(code=code).first()
    if area is None or not own.contains(area):
        raise Http404
    return area


def _county_code(area: Area) -> str:
    return area.code if area.level == AreaLevel.COUNTY else area.county_code


def _breadcrumbs(area: Area, own: Area) -> list[Area]:
    chain = [area]
    while chain[0].parent_id and chain[0].code != own.code:
        chain.insert(0, chain[0].parent)  # type: ignore[arg-type]
    return chain


def coverage_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "benefits.view_coverage")
    area = _area(request)
    run = selectors.latest_run(_county_code(area))
    rows = selectors.coverage_by_rule(run, area) if run else []
    chart = {"labels": [str(r["title"]) for r in rows], "rates": [r["rate"] for r in rows],
             "targets": [r["target"] for r in rows]}
    return render(request, "benefits/overview.html", {
        "area": area, "run": run, "rows": rows, "chart": json.dumps(chart, ensure_ascii=False),
        "crumbs": _breadcrumbs(area, user_area(request.user)), "today": timezone.localdate(),
    })


def coverage_rule(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _require(request, "benefits.view_coverage")
    rule = RULES.get(code) or _not_found()
    area = _area(request)
    run = selectors.latest_run(_county_code(area))
    kind = request.GET.get("kind", FindingKind.MISSED)
    if kind not in FindingKind.values:
        kind = FindingKind.MISSED
    page = None
    if run and request.user.sees_persons:
        page = Paginator(selectors.finding_list(run, code, kind, area), PAGE_SIZE).get_page(request.GET.get("page"))
        for finding in page.object_list:
            finding.reason_text = reason_text(finding.reason)
    summary = next((r for r in selectors.coverage_by_rule(run, area) if r["code"] == code), None) if run else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "benefits/rule.html", {
        "rule": rule, "area": area, "run": run, "kind": kind, "page": page, "summary": summary,
        "children": selectors.coverage_by_child_area(run, code, area) if run else [],
        "crumbs": _breadcrumbs(area, user_area(request.user)), "query": query.urlencode(),
        "kinds": FindingKind.choices,
        "training_split": selectors.training_by_kind(run, area) if run and code == "TRAINING" else [],
    })


def _not_found():  # type: ignore[no-untyped-def]
    raise Http404


@require_POST
def coverage_run_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "benefits.run_coverage")
    county = Area.objects.get(code=_county_code(user_area(request.user)))
    run = services.coverage_run(county=county, day=timezone.localdate(), user=request.user)
    messages.success(request, _("覆盖核查已完成，用时 %(s).1f 秒") % {"s": run.duration_ms / 1000})
    return redirect("benefits:overview")


def record_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if not request.user.has_perm("benefits.change_benefitrecord"):
        raise PermissionDenied
    params = parameters_for(Area.objects.get(code=person.household.county_id), timezone.localdate().year)
    form = BenefitRecordForm(request.POST or None, initial={"start_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_record_create(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已登记政策享受记录"))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "benefits/record_form.html", {"form": form, "person": person, "params": params})


@require_POST
def record_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_persons(request.user)
    if not request.user.has_perm("benefits.change_benefitrecord"):
        raise PermissionDenied
    try:
        record = BenefitRecord.objects.select_related("person", "household").get(
            pk=int(pk), household__in=households_for_user(request.user))
    except BenefitRecord.DoesNotExist:
        raise Http404 from None
    form = EndRecordForm(request.POST)
    if form.is_valid():
        try:
            services.benefit_record_end(user=request.user, record=record, **form.cleaned_data)
            messages.success(request, _("已终止该记录"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("请填写终止日期和原因"))
    return redirect("registry:person_detail", pk=record.person_id) if record.person_id else redirect(
        "registry:household_detail", pk=record.household_id)


@require_POST
def finding_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_persons(request.user)
    if not request.user.has_perm("benefits.change_benefitrecord"):
        raise PermissionDenied
    try:
        finding = CoverageFinding.objects.select_related("person", "household").get(
            pk=int(pk), household__in=households_for_user(request.user))
    except CoverageFinding.DoesNotExist:
        raise Http404 from None
    if finding.resolved_run_id is not None:  # a page opened before a later run cleared it
        messages.info(request, _("该发现已在之后的核查中消除，无需转入帮扶台账"))
    else:
        services.finding_send_to_ledger(user=request.user, finding=finding)
        messages.success(request, _("已转入该户帮扶台账的问题清单"))
    return redirect(request.POST.get("next") or "benefits:overview")


def parameters_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "benefits.change_parameters")
    county = Area.objects.get(code=_county_code(user_area(request.user)))
    year = int(request.GET.get("year") or timezone.localdate().year)
    current = parameters_for(county, year)
    form = CoverageParametersForm(request.POST or None, instance=current if current.year == year else None,
                                  initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.coverage_parameters_save(user=request.user, county=county, year=data.pop("year"), **data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("参数已保存"))
            return redirect("benefits:overview")
    return render(request, "benefits/parameters.html", {"form": form, "county": county, "current": current})


def person_section(request: AuthenticatedHttpRequest, person) -> dict | None:  # type: ignore[no-untyped-def]
    """The person page's 政策落实 section: their benefit records and any finding evaluated today."""
    if not request.user.has_perm("benefits.view_coverage"):
        return None
    return {"template": "benefits/_person_section.html", "title": _("政策落实"),
            "records": selectors.person_benefits(person), "findings": selectors.person_findings(person),
            "person": person, "end_form": EndRecordForm()}
