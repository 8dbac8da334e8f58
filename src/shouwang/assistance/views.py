"""Ledger pages: thin views that check access, parse input, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import AuthenticatedHttpRequest, get_household_for_user, require_persons
from shouwang.areas.models import Area
from shouwang.assistance import selectors, services
from shouwang.assistance.access import get_measure_for_user, get_problem_for_user
from shouwang.assistance.choices import MeasureStatus
from shouwang.assistance.forms import (
    ClearForm,
    DismissForm,
    FollowUpForm,
    MeasureForm,
    MeasureKindForm,
    MotivationForm,
    ParametersForm,
    ProblemForm,
    StatusForm,
)
from shouwang.assistance.models import AssistanceParameters, Ledger, MeasureKind
from shouwang.assistance.parameters import rules_for
from shouwang.assistance.suggestions import suggestion_get, suggestions_for
from shouwang.registry.forms import copy_errors
from shouwang.registry.models import Household

PAGE_SIZE = 30
CATALOGUE_PERMISSION = "assistance.manage_catalogue"


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _ledger_or_404(household: Household) -> Ledger:
    ledger = Ledger.objects.filter(household=household).first()
    if ledger is None:
        raise Http404
    return ledger


def _to_ledger(household_id: int) -> HttpResponse:
    return redirect("assistance:ledger", pk=household_id)


def _is_monitored(household: Household) -> bool:
    return any(case.is_monitored for case in selectors.monitoring_history(household))


# --- the ledger of one household ----------------------------------------------------------------------


def ledger_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    ledger = Ledger.objects.filter(household=household).first()
    if ledger is None and _is_monitored(household) and request.user.has_perm("registry.change_household"):
        # Safety net for households confirmed before the monitoring confirmation created ledgers.
        ledger = services.ledger_ensure(user=request.user, household=household)
    context: dict[str, Any] = {
        "household": household,
        "today": timezone.localdate(),
        "problem_form": ProblemForm(),
    }
    if ledger is None:
        context["problems_open"] = list(household.problems.filter(status="open"))
        return render(request, "assistance/ledger_missing.html", context)
    context |= selectors.ledger_file(ledger) | {
        "suggestions": suggestions_for(ledger),
        "motivation_form": MotivationForm(
            initial={"low_motivation": ledger.low_motivation, "note": ledger.low_motivation_note}
        ),
    }
    return render(request, "assistance/ledger_detail.html", context)


@require_POST
def ledger_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    services.ledger_ensure(user=request.user, household=household)
    return _to_ledger(household.pk)


@require_POST
def ledger_motivation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = MotivationForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_set_motivation(
                user=request.user,
                ledger=_ledger_or_404(household),
                low_motivation=form.cleaned_data["low_motivation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    return _to_ledger(household.pk)


def ledger_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    ledger = _ledger_or_404(household)
    return render(
        request,
        "assistance/ledger_print.html",
        {
            "household": household,
            **selectors.print_file(ledger),
            "today": timezone.localdate(),
        },
    )


# --- measures -----------------------------------------------------------------------------------------


def _prefill(ledger: Ledger, key: str) -> dict[str, Any]:
    suggestion = suggestion_get(ledger, key)
    if suggestion is None or suggestion.kind is None:
        raise Http404
    today = timezone.localdate()
    return {
        "kind": suggestion.kind,
        "person": suggestion.person_id,
        "content": suggestion.reason,
        "responsible_unit": suggestion.kind.default_unit,
        "start_on": today,
        "problems": suggestion.problem_ids,
    }


def measure_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """New measure; with ?suggestion=KEY the form comes prefilled and saving accepts the suggestion."""
    household = get_household_for_user(request.user, pk, write=True)
    ledger = _ledger_or_404(household)
    key = request.GET.get("suggestion", "")[:64]
    initial = _prefill(ledger, key) if key else {"start_on": timezone.localdate()}
    form = MeasureForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if key:
                services.suggestion_accept(user=request.user, ledger=ledger, key=key, **form.measure_fields())
            else:
                services.measure_create(user=request.user, ledger=ledger, **form.measure_fields())
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已添加帮扶措施"))
            return _to_ledger(household.pk)
    return render(request, "assistance/measure_form.html", {"form": form, "household": household, "key": key})


def measure_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, write=True)
    household = measure.ledger.household
    initial = {"problems": list(measure.problems.values_list("pk", flat=True)), "kind": measure.kind}
    form = MeasureForm(
        request.POST or None,
        household=household,
        measure=measure,
        initial=initial | {f: getattr(measure, f) for f in services.MEASURE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        fields = form.measure_fields()
        fields.pop("kind", None)
        try:
            services.measure_update(user=request.user, measure=measure, **fields)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return _to_ledger(household.pk)
    return render(
        request, "assistance/measure_form.html", {"form": form, "household": household, "measure": measure}
    )


@require_POST
def measure_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.measure_set_status(user=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("措施状态已更新为“%(s)s”") % {"s": MeasureStatus(form.cleaned_data["status"]).label},
            )
    else:
        messages.error(request, _("请检查填写的日期和金额"))
    return _to_ledger(measure.ledger.household_id)


@require_POST
def measure_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(user=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请填写跟进日期和跟进情况"))
    return _to_ledger(measure.ledger.household_id)


@require_POST
def suggestion_dismiss_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = DismissForm(request.POST)
    try:
        services.suggestion_dismiss(
            user=request.user,
            ledger=_ledger_or_404(household),
            key=request.POST.get("key", "")[:64],
            reason=form.data.get("reason", "")[:200],
        )
    except ValidationError as exc:
        _errors(request, exc)
    return _to_ledger(household.pk)


# --- problems -----------------------------------------------------------------------------------------


@require_POST
def problem_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            services.problem_open(
                user=request.user, household=household, source="manual", **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请选择问题类别并填写问题描述"))
    return _to_ledger(household.pk)


def problem_clear_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = get_problem_for_user(request.user, pk, write=True)
    form = ClearForm(request.POST or None, problem=problem, initial={"cleared_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_clear(user=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("问题已清零"))
            return _to_ledger(problem.household_id)
    return render(request, "assistance/problem_clear.html", {"form": form, "problem": problem})


def _scoped_area(request: AuthenticatedHttpRequest) -> Area:
    """The area asked for in ?area=, which must lie within the user's own (else 404)."""
    user: Any = request.user
    own = user.area
    if own is None:
        raise Http404
    code = request.GET.get("area", "")[:12]
    if not code or code == own.code:
        return own
    area = Area.objects.within(own).filter(code=code).first()
    if area is None:
        raise Http404
    return area


def problem_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open problems per area with their age, drilling county → township → village (target zero)."""
    if not request.user.has_perm("registry.view_household") and not request.user.has_perm(
        "reports.view_dashboard"
    ):
        raise PermissionDenied
    area, today = _scoped_area(request), timezone.localdate()
    context = {
        "area": area,
        "path": selectors.area_path(area)[-3:],
        "today": today,
        "total": selectors.open_problem_count(area),
        "children": selectors.open_problems_by_child_area(area, today=today),
    }
    if getattr(request.user, "sees_persons", False):
        page = Paginator(selectors.open_problems(area), PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"page": page, "query": f"area={area.code}"}
    return render(request, "assistance/problem_overview.html", context)


# --- ledgers of an area -------------------------------------------------------------------------------


def ledger_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    area = _scoped_area(request)
    page = Paginator(selectors.ledgers_in_area(area), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/ledger_list.html",
        {
            "area": area,
            "page": page,
            "query": f"area={area.code}",
            "overdue": selectors.overdue_measures(area).count(),
        },
    )


def ledger_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    if not request.user.has_perm("registry.export_personal"):
        raise PermissionDenied
    from shouwang.assistance.export import ledgers_export

    area = _scoped_area(request)
    content = ledgers_export(user=request.user, area=area)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ledgers-{area.short_code}.xlsx"'
    return response


# --- the measure catalogue ----------------------------------------------------------------------------


def catalogue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    return render(
        request,
        "assistance/catalogue_list.html",
        {
            "kinds": MeasureKind.objects.all(),
            "can_edit": request.user.has_perm(CATALOGUE_PERMISSION),
        },
    )


def catalogue_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm(CATALOGUE_PERMISSION):
        raise PermissionDenied
    kind = MeasureKind.objects.filter(pk=pk).first() if pk else None
    if pk and kind is None:
        raise Http404
    initial = {f: getattr(kind, f) for f in ("code", *services.KIND_FIELDS)} if kind else None
    form = MeasureKindForm(request.POST or None, initial=initial)
    if kind is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            services.measure_kind_save(user=request.user, kind=kind, code=form.cleaned_data["code"], **data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("assistance:catalogue")
    return render(request, "assistance/catalogue_form.html", {"form": form, "kind": kind})


def parameters_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The figures of the suggestion rules for the administrator's county, one row per starting year."""
    if not request.user.has_perm(CATALOGUE_PERMISSION):
        raise PermissionDenied
    user: Any = request.user
    county_code, today = user.area.county_code, timezone.localdate()
    current = rules_for(county_code, today.year)
    initial = {"year": today.year, **{f: getattr(current, f) for f in services.PARAMETER_FIELDS}}
    form = ParametersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistance_parameters_save(user=user, county_code=county_code, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("assistance:parameters")
    rows = AssistanceParameters.objects.filter(county_code__in=[county_code, ""]).order_by("-year")
    return render(request, "assistance/parameters.html", {"form": form, "rows": rows, "current": current})
