from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import AuthenticatedHttpRequest, get_household_for_user, user_area
from shouwang.areas.models import AreaLevel
from shouwang.registry.forms import copy_errors
from shouwang.visits import services
from shouwang.visits.access import (
    get_notification_for_user,
    get_referral_for_user,
    get_visit_for_user,
    is_liaison,
    referrals_for_user,
    visits_for_user,
)
from shouwang.visits.choices import ReferralStatus, VisitStatus
from shouwang.visits.forms import (
    AnswerForm,
    CadenceForm,
    IntensivePeriodForm,
    PlanForm,
    ReferralForm,
    ReferralTargetForm,
    VisitRecordForm,
)
from shouwang.visits.models import Notification, ReferralTarget, VisitPhoto
from shouwang.visits.periods import quarter_of
from shouwang.visits.selectors import (
    LISTS,
    visit_counts,
    visit_counts_by_area,
    visit_counts_by_visitor,
    visit_list,
    visit_periods_for,
)

PAGE_SIZE = 30


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def visit_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Due this quarter, overdue, done: for the user's area, narrowed to a township, village or visitor."""
    visits = visits_for_user(request.user)
    g, today = request.GET, timezone.localdate()
    which = g.get("which", "") if g.get("which") in LISTS else "due"
    if g.get("township"):
        visits = visits.filter(household__township_id=g["township"][:12])
    if g.get("village"):
        visits = visits.filter(household__village_id=g["village"][:12])
    if g.get("mine") == "1":
        visits = visits.filter(visitor=request.user)
    elif g.get("visitor", "").isdigit():
        visits = visits.filter(visitor_id=int(g["visitor"]))
    elif g.get("visitor") == "none":
        visits = visits.filter(visitor__isnull=True)
    area = user_area(request.user)
    return render(request, "visits/visit_list.html", {
        "which": which, "today": today, "quarter": quarter_of(today), "counts": visit_counts(visits, today=today),
        "page": Paginator(visit_list(visits=visits, which=which, today=today), PAGE_SIZE).get_page(g.get("page")),
        "by_area": visit_counts_by_area(visits, area=area, today=today) if area.level != AreaLevel.VILLAGE else [],
        "by_visitor": visit_counts_by_visitor(visits, today=today) if g.get("mine") != "1" else [],
        "area_column": _("乡镇（街道）") if area.level == AreaLevel.COUNTY else _("村（社区）"),
        "area_param": "township" if area.level == AreaLevel.COUNTY else "village",
        "query": _query_without_page(request), "mine": g.get("mine") == "1",
    })


def visit_record_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    if visit.status != VisitStatus.PLANNED:
        return redirect("visits:visit_detail", pk=visit.pk)
    household = visit.household
    form = VisitRecordForm(request.POST or None, request.FILES or None, household=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(user=request.user, household=household, visit=visit,
                                  **form.service_arguments())
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("访视已保存，下次访视已排期"))
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "visits/visit_record.html", {
        "visit": visit, "household": household, "form": form, "overdue": visit.is_overdue(timezone.localdate()),
    })


def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "household": visit.household, "checks": visit.checks.all(), "photos": visit.photos.all(),
        "referrals": visit.referrals.select_related("target"),
    })


def visit_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    visits = visits_for_user(request.user)
    photo = VisitPhoto.objects.filter(pk=pk, visit__in=visits).first()
    if photo is None:
        raise Http404
    content_type = mimetypes.guess_type(photo.file.name)[0] or "application/octet-stream"
    return FileResponse(photo.file.open("rb"), content_type=content_type)


@require_POST
def visit_plan_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    if not request.user.has_perm("visits.record_visit"):
        raise PermissionDenied
    form = PlanForm(request.POST, household=household)
    visitor = form.cleaned_data["visitor"] if form.is_valid() else None
    if visitor is not None and visitor != request.user and not request.user.has_perm("visits.plan_visit"):
        raise PermissionDenied
    try:
        visit = services.visit_plan(user=request.user, household=household, visitor=visitor)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("registry:household_detail", pk=household.pk)
    messages.success(request, _("已安排访视，截止%(day)s") % {"day": visit.due_on})
    return redirect("registry:household_detail", pk=household.pk)


@require_POST
def cadence_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    if not request.user.has_perm("visits.plan_visit"):
        raise PermissionDenied
    form = CadenceForm(request.POST)
    if form.is_valid():
        try:
            services.household_cadence_set(user=request.user, household=household,
                                           period_months=form.cleaned_data["period_months"],
                                           reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("访视周期已保存"))
    return redirect("registry:household_detail", pk=household.pk)


# --- referrals ------------------------------------------------------------------------------------------


REFERRAL_FILTERS = {"open", "overdue", "escalated", "handled", "closed", "all"}


def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("visits.view_referral"):
        raise Http404
    referrals, today = referrals_for_user(request.user), timezone.localdate()
    show = request.GET.get("show", "") if request.GET.get("show") in REFERRAL_FILTERS else "open"
    filtered = {
        "open": referrals.open(), "overdue": referrals.overdue(today), "escalated": referrals.escalated(),
        "handled": referrals.filter(status=ReferralStatus.HANDLED),
        "closed": referrals.filter(status=ReferralStatus.CLOSED), "all": referrals,
    }[show]
    qs = filtered.select_related("target", "household__village", "household__township").order_by("deadline", "pk")
    return render(request, "visits/referral_list.html", {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "show": show, "today": today,
        "query": _query_without_page(request), "liaison": is_liaison(request.user),
    })


def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk)
    return render(request, "visits/referral_detail.html", {
        "referral": referral, "household": referral.household, "liaison": is_liaison(request.user),
        "answer_form": AnswerForm(), "today": timezone.localdate(),
    })


def referral_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """转介函: a printable letter for a department without an account."""
    referral = get_referral_for_user(request.user, pk)
    if is_liaison(request.user):
        raise Http404
    return render(request, "visits/referral_letter.html", {"referral": referral, "household": referral.household})


@require_POST
def referral_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk)
    try:
        if action == "receive":
            services.referral_receive(user=request.user, referral=referral)
        elif action == "handle":
            services.referral_handle(user=request.user, referral=referral, answer=request.POST.get("answer", ""))
        elif action == "close":
            services.referral_close(user=request.user, referral=referral)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存"))
    return redirect("visits:referral_detail", pk=referral.pk)


def referral_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    if not request.user.has_perm("visits.manage_referral"):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(user=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已转介至%(t)s") % {"t": referral.target.name})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "visits/referral_form.html", {"form": form, "household": household})


# --- notifications --------------------------------------------------------------------------------------


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user)
    return render(request, "visits/notification_list.html", {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "query": "",
        "unread": qs.filter(read_at__isnull=True).count(),
    })


def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(request.user, pk)
    services.notification_read(user=request.user, notification=notification)
    return redirect(notification.link or "visits:notifications")


@require_POST
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notification_read(user=request.user)
    return redirect("visits:notifications")


# --- configuration --------------------------------------------------------------------------------------


def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The county administrator's list of referral targets and the shorter visit period."""
    if not request.user.has_perm("visits.change_parameters"):
        raise Http404
    county = user_area(request.user)
    year = timezone.localdate().year
    periods = visit_periods_for(county.code, year)
    period_form = IntensivePeriodForm(request.POST if request.POST.get("form") == "period" else None,
                                      initial={"year": year, "intensive_period_months": periods.intensive_period_months,
                                               "intensive_hit_count": periods.intensive_hit_count})
    if period_form.is_bound and period_form.is_valid():
        try:
            services.visit_parameters_save(user=request.user, county=county, **period_form.cleaned_data)
        except ValidationError as exc:
            copy_errors(period_form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("visits:settings")
    targets = [(t, ReferralTargetForm(prefix=f"t{t.pk}", initial={
        "name": t.name, "default_deadline_days": t.default_deadline_days, "has_account": t.has_account,
        "active": t.active, "checklist_items": t.checklist_items})) for t in ReferralTarget.objects.all()]
    return render(request, "visits/settings.html", {"periods": periods, "year": year, "period_form": period_form,
                                                    "targets": targets})


@require_POST
def referral_target_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("visits.change_parameters"):
        raise Http404
    target = ReferralTarget.objects.filter(pk=pk).first()
    if target is None:
        raise Http404
    form = ReferralTargetForm(request.POST, prefix=f"t{target.pk}")
    if form.is_valid():
        try:
            services.referral_target_save(user=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存“%(n)s”") % {"n": target.name})
    else:
        messages.error(request, _("请检查填写的内容"))
    return redirect("visits:settings")
