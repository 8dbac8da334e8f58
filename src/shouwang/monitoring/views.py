"""Monitoring pages: work queues, leads with their steps, monitored households, the public notice.

Views check access, parse input, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.accounts.access import get_household_for_user, require_persons
from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log
from shouwang.monitoring import forms, services
from shouwang.monitoring.choices import HouseholdType, LeadSource, LeadStatus, RiskType, Step
from shouwang.monitoring.criteria import exit_check
from shouwang.monitoring.notice import notice_rows, notice_xlsx
from shouwang.monitoring.parameters import monitored_term, parameters_for
from shouwang.monitoring.selectors import (
    MonitoredFilters,
    get_case_for_user,
    get_lead_for_user,
    lead_limit_days,
    lead_list,
    lead_rows,
    monitored_cases,
    work_queues,
)
from shouwang.monitoring.workflow import lead_step, may_act
from shouwang.registry.forms import copy_errors

PAGE_SIZE = 30


def _user(request: HttpRequest) -> Any:
    """The signed-in user (every view here runs behind the login middleware and _require_monitoring)."""
    return request.user


def _require_monitoring(request: HttpRequest) -> None:
    require_persons(request.user)
    if not request.user.has_perm("monitoring.view_monitoring"):
        raise Http404


def queue(request: HttpRequest) -> HttpResponse:
    _require_monitoring(request)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/queue.html",
        {
            "queues": work_queues(user=request.user, today=today),
            "limit_days": lead_limit_days(_user(request).area, today),
        },
    )


def leads(request: HttpRequest) -> HttpResponse:
    _require_monitoring(request)
    today = timezone.localdate()
    status, late = request.GET.get("status", "")[:16], request.GET.get("late") == "1"
    page = Paginator(lead_list(user=request.user, status=status, late=late, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    limit = lead_limit_days(_user(request).area, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/lead_list.html",
        {
            "page": page,
            "rows": lead_rows(list(page.object_list), today=today, limit_days=limit),
            "status": status,
            "late": late,
            "statuses": LeadStatus.choices,
            "limit_days": limit,
            "query": query.urlencode(),
        },
    )


# Each action of the lead page: the form it reads and the service call it makes.
ACTIONS: dict[str, tuple[type, Any]] = {
    Step.VERIFY: (forms.VerifyForm, lambda u, lead, d: services.monitoring_verify(user=u, lead=lead, **d)),
    Step.VILLAGE_REVIEW: (
        forms.VillageReviewForm,
        lambda u, lead, d: services.monitoring_review_village(user=u, case=lead.case, **d),
    ),
    Step.NOTICE: (
        forms.NoticeForm,
        lambda u, lead, d: services.monitoring_notice_start(user=u, case=lead.case, **d),
    ),
    Step.TOWNSHIP_REVIEW: (
        forms.ReviewForm,
        lambda u, lead, d: services.monitoring_review_township(user=u, case=lead.case, **d),
    ),
    Step.CONFIRM: (
        forms.ConfirmForm,
        lambda u, lead, d: services.monitoring_confirm(user=u, case=lead.case, **d),
    ),
    Step.REJECT: (forms.RejectForm, lambda u, lead, d: services.monitoring_reject(user=u, lead=lead, **d)),
    Step.EXIT_VILLAGE: (
        forms.ReviewForm,
        lambda u, lead, d: services.monitoring_exit_propose(user=u, case=lead.case, **d),
    ),
    Step.EXIT_TOWNSHIP: (
        forms.ReviewForm,
        lambda u, lead, d: services.monitoring_exit_review_township(user=u, case=lead.case, **d),
    ),
    Step.EXIT_COUNTY: (
        forms.ReviewForm,
        lambda u, lead, d: services.monitoring_exit_confirm(
            user=u, case=lead.case, exited_on=d["reviewed_on"], note=d["note"]
        ),
    ),
    Step.EXIT_REJECT: (
        forms.RejectForm,
        lambda u, lead, d: services.monitoring_exit_reject(user=u, case=lead.case, **d),
    ),
}


def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_monitoring(request)
    lead = get_lead_for_user(request.user, pk)
    step = _current_step(lead)
    allowed = may_act(request.user, step, lead.household)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and (not allowed or action not in _actions_for(step)):
        raise PermissionDenied
    bound = {}
    if action:
        form_class, call = ACTIONS[action]
        form = form_class(request.POST, request.FILES)
        bound[action] = form
        if form.is_valid():
            try:
                call(request.user, lead, form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已办理：%(s)s") % {"s": Step(action).label})
                return redirect("monitoring:lead_detail", pk=lead.pk)
    return render(request, "monitoring/lead_detail.html", _lead_context(request, lead, step, allowed, bound))


def _current_step(lead: Any) -> str | None:
    step = lead_step(lead)
    if step is None and lead.status == LeadStatus.CONFIRMED:
        from shouwang.monitoring.workflow import case_step

        step = case_step(lead.case)
    return step


def _actions_for(step: str | None) -> list[str]:
    if step in (Step.EXIT_TOWNSHIP, Step.EXIT_COUNTY):
        return [step, Step.EXIT_REJECT]
    if step == Step.EXIT_VILLAGE:
        return [step]
    return [step, Step.REJECT] if step else []


def _form_error(form: Any, exc: Exception) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("您无权办理此环节"))
    else:
        copy_errors(form, exc)


def _lead_context(request: HttpRequest, lead: Any, step: str | None, allowed: bool, bound: dict) -> dict:
    today = timezone.localdate()
    case = getattr(lead, "case", None)
    limit = lead_limit_days(_user(request).area, today)
    actions = []
    if allowed:
        for name in _actions_for(step):
            form = bound.get(name) or ACTIONS[name][0]()
            actions.append({"name": name, "label": Step(name).label, "form": form})
    exit_info = exit_check(case, today=today) if case is not None and case.is_monitored else None
    return {
        "lead": lead,
        "case": case,
        "household": lead.household,
        "row": lead_rows([lead], today=today, limit_days=limit)[0],
        "evidence": lead.evidence.select_related("user"),
        "steps": lead.steps.select_related("user"),
        "actions": actions,
        "step": step,
        "exit": exit_info,
        "limit_days": limit,
        "notice_ends": services.notice_ends_on(case) if case else None,
    }


def case_authorisation(request: HttpRequest, pk: int) -> FileResponse:
    """The signed authorisation file, to users of the household's area only; every opening is logged."""
    _require_monitoring(request)
    case = get_case_for_user(request.user, pk)
    if not case.authorisation:
        raise Http404
    audit_log(
        user=request.user,
        action="monitoring.authorisation.viewed",
        obj=case,
        area_code=case.household.village_id,
        household_id=case.household_id,
    )
    return FileResponse(case.authorisation.open("rb"), filename=case.authorisation.name.rsplit("/", 1)[-1])


def monitored(request: HttpRequest) -> HttpResponse:
    _require_monitoring(request)
    g = request.GET
    filters = MonitoredFilters(
        township=g.get("township", "")[:12],
        village=g.get("village", "")[:12],
        household_type=g.get("type", "")[:16],
        risk_type=g.get("risk", "")[:16],
    )
    page = Paginator(monitored_cases(user=request.user, filters=filters), PAGE_SIZE).get_page(g.get("page"))
    area = _user(request).area
    townships = (
        Area.objects.within(area).filter(level=AreaLevel.TOWNSHIP) if area.level == AreaLevel.COUNTY else []
    )
    parent = filters.township or (area.code if area.level == AreaLevel.TOWNSHIP else "")
    query = g.copy()
    query.pop("page", None)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/monitored_list.html",
        {
            "page": page,
            "filters": filters,
            "townships": townships,
            "query": query.urlencode(),
            "today": today,
            "villages": Area.objects.filter(parent_id=parent, level=AreaLevel.VILLAGE) if parent else [],
            "types": HouseholdType.choices,
            "risks": RiskType.choices,
            "months": {c.pk: _months_between(c.confirmed_on, today) for c in page.object_list},
        },
    )


def _months_between(start: Any, end: Any) -> int:
    if start is None:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _village_for(request: HttpRequest) -> Area | None:
    area = _user(request).area
    if area.level == AreaLevel.VILLAGE:
        return area
    code = request.GET.get("village", "")[:12]
    village = Area.objects.filter(code=code, level=AreaLevel.VILLAGE).first() if code else None
    if code and (village is None or not area.contains(village)):
        raise Http404
    return village


def public_notice(request: HttpRequest) -> HttpResponse:
    """村内公示 list of one village: printable, exportable, with no sensitive field at all."""
    _require_monitoring(request)
    village = _village_for(request)
    rows = notice_rows(village) if village else []
    term = monitored_term(request.user)
    if village and request.GET.get("export") == "xlsx":
        audit_log(
            user=request.user,
            action="monitoring.notice.exported",
            obj=village,
            area_code=village.code,
            after={"rows": len(rows)},
        )
        response = HttpResponse(
            notice_xlsx(village, rows, term),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="notice-{village.code}.xlsx"'
        return response
    area = _user(request).area
    villages = (
        []
        if area.level == AreaLevel.VILLAGE
        else Area.objects.within(area).villages().select_related("parent")
    )
    return render(
        request,
        "monitoring/notice.html",
        {"village": village, "rows": rows, "villages": villages, "term": term, "today": timezone.localdate()},
    )


def self_report(request: HttpRequest, pk: int) -> HttpResponse:
    """农户自主申报, entered by staff for the household."""
    _require_monitoring(request)
    household = get_household_for_user(request.user, pk, write=True)
    form = forms.SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_open(
                user=request.user,
                household=household,
                source=LeadSource.SELF_REPORT,
                evidence={"self_report": form.cleaned_data["note"]},
                found_on=form.cleaned_data["found_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已登记农户自主申报"))
            return redirect("monitoring:lead_detail", pk=lead.pk)
    return render(request, "monitoring/self_report.html", {"form": form, "household": household})


def parameters(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("monitoring.change_parameters") or _user(request).area is None:
        raise Http404
    county = (
        _user(request).area.county_code
        if _user(request).area.level != AreaLevel.COUNTY
        else _user(request).area.code
    )
    form = forms.ParametersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_parameters_save(user=request.user, county_code=county, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("已保存监测参数"))
            return redirect("monitoring:parameters")
    from shouwang.monitoring.models import MonitoringParameters

    return render(
        request,
        "monitoring/parameters.html",
        {
            "form": form,
            "rows": MonitoringParameters.objects.filter(county_code=county).order_by("-year"),
            "current": parameters_for(county, timezone.localdate().year),
        },
    )
