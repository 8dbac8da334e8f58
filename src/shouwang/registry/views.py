from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.accounts.access import (
    AuthenticatedHttpRequest,
    get_household_for_user,
    get_person_for_user,
    require_persons,
    user_area,
)
from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.models import AuditEntry
from shouwang.registry import services
from shouwang.registry.choices import AssistanceStatus, DisabilityCategory, DisabilityGrade, PovertyStatus
from shouwang.registry.forms import HouseholdForm, PersonForm, RevealForm, copy_errors
from shouwang.registry.income_forms import IncomeForm
from shouwang.registry.pagination import IdsFirstPaginator
from shouwang.registry.selectors import (
    HouseholdFilters,
    household_file,
    household_search,
    persons_of_households,
)

PAGE_SIZE = 30


def _filters(request: AuthenticatedHttpRequest) -> HouseholdFilters:
    g = request.GET

    def number(name: str) -> int | None:
        return int(g[name]) if g.get(name, "").isdigit() else None

    return HouseholdFilters(
        q=g.get("q", "")[:40], township=g.get("township", "")[:12], village=g.get("village", "")[:12],
        category=number("category"), grade=number("grade"), severe=g.get("severe") == "1",
        multi_disabled=g.get("multi") == "1", poverty_status=g.get("poverty", "")[:16],
        assistance_status=g.get("assistance", "")[:16],
    )


def household_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    filters = _filters(request)
    households = household_search(user=request.user, filters=filters)
    page = IdsFirstPaginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    area = user_area(request.user)
    townships = Area.objects.within(area).filter(level=AreaLevel.TOWNSHIP) if area.level == AreaLevel.COUNTY else []
    village_parent = filters.township or (area.code if area.level == AreaLevel.TOWNSHIP else "")
    villages = Area.objects.filter(parent_id=village_parent, level=AreaLevel.VILLAGE) if village_parent else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/household_list.html", {
        "page": page, "filters": filters, "filters_applied": filters != HouseholdFilters(),
        "disabled_members": persons_of_households(list(page.object_list)),
        "townships": townships, "villages": villages, "query": query.urlencode(),
        "categories": DisabilityCategory.choices, "grades": DisabilityGrade.choices,
        "poverty_choices": PovertyStatus.choices, "assistance_choices": AssistanceStatus.choices,
    })


def household_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    history = AuditEntry.objects.filter(household_id=household.pk).select_related("user")[:50]
    return render(request, "registry/household_detail.html", {
        "household": household, **household_file(household), "history": history,
        "extra_sections": household_sections(request, household),
    })


def household_sections(request: AuthenticatedHttpRequest, household) -> list:  # type: ignore[no-untyped-def]
    """Panels other parts of the system add to the household page (screening hits, monitoring, ledger)."""
    from shouwang.registry.sections import HOUSEHOLD_SECTIONS

    return [s for s in (section(request, household) for section in HOUSEHOLD_SECTIONS) if s]


def household_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_persons(request.user)
    if not request.user.has_perm("registry.change_household"):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("number", "village")}
        try:
            household = services.household_create(user=request.user, number=form.cleaned_data["number"],
                                                   village=form.cleaned_data["village"], **data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已新增户 %(n)s") % {"n": household.number})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form})


def household_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("number", "village")}
        try:
            services.household_update(user=request.user, household=household,
                                      village=form.cleaned_data["village"], **data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


def person_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                user=request.user, household=household, id_number=form.cleaned_data["id_number"],
                disability=form.disability_fields(), **form.person_fields(),
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("已新增成员 %(n)s") % {"n": person.name})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/person_form.html", {"form": form, "household": household})


def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the person and the certificate are saved together or not at all
                services.person_update(user=request.user, person=person, **form.person_fields())
                disability = form.disability_fields()
                if disability:
                    services.disability_set(user=request.user, person=person, **disability)
                else:
                    services.disability_remove(user=request.user, person=person)
        except ValidationError as exc:
            person.refresh_from_db()
            copy_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "household": person.household,
                                                         "person": person})


def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    return render(request, "registry/person_detail.html", {
        "person": person, "household": person.household, "disability": getattr(person, "disability", None),
        "extra_sections": [s for s in (f(request, person) for f in _person_sections()) if s],
    })


def _person_sections() -> list:
    from shouwang.registry.sections import PERSON_SECTIONS

    return PERSON_SECTIONS


def income_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk, write=True)
    form = IncomeForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.income_record_save(user=request.user, household=household, year=data.pop("year"), **data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("收入记录已保存"))
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/income_form.html", {"form": form, "household": household})


@require_POST
def person_reveal(request: AuthenticatedHttpRequest, pk: int, field: str) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    return _reveal(request, person, field)


@require_POST
def household_reveal_phone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, pk)
    return _reveal(request, household, "phone")


def _reveal(request: AuthenticatedHttpRequest, obj, field: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/_reveal_error.html", {"form": form}, status=400)
    try:
        value = services.sensitive_reveal(user=request.user, obj=obj, field=field, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return render(request, "registry/_reveal_error.html", {"errors": exc.messages}, status=400)
    return render(request, "registry/_revealed.html", {"value": value, "field": field})
