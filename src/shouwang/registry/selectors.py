"""Reads of the registry that span models: the household list search, the household file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet

from shouwang.accounts.access import households_for_user
from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.choices import DisabilityCategory, disability_kind_mask
from shouwang.registry.identity import normalize_id_number
from shouwang.registry.models import Disability, Household, Person

ID_LIKE = re.compile(r"^\d{17}[\dX]$")
CERT_LIKE = re.compile(r"^\d{17}[\dX]\d{2}$")


@dataclass
class HouseholdFilters:
    q: str = ""
    township: str = ""
    village: str = ""
    category: int | None = None
    grade: int | None = None
    severe: bool = False
    multi_disabled: bool = False
    poverty_status: str = ""
    assistance_status: str = ""


def _prefix_range(field: str, prefix: str) -> dict[str, str]:
    """startswith as a range, so SQLite and PostgreSQL both use the plain b-tree index."""
    return {f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"}


def _name_prefix(prefix: str) -> dict[str, str]:
    """Names starting with `prefix`, in the form the name index serves: on PostgreSQL `LIKE 'prefix%'`,
    which the index's pattern operator class serves under any database collation (a range over a
    locale-collated column neither uses it nor is sure to hold every name with the prefix); elsewhere the
    range, SQLite comparing in code point order."""
    if connection.vendor == "postgresql":
        return {"name__startswith": prefix}
    return _prefix_range("name", prefix)


def household_search(*, user: Any, filters: HouseholdFilters) -> QuerySet[Household]:
    """Households in the user's area matching the search box and filters, ordered by household number.

    The search box takes a resident ID number, a certificate number, a household number (prefix) or a
    person's name (prefix); each is an indexed lookup.
    """
    qs = households_for_user(user)
    q = filters.q.strip()
    if q:
        qs = qs.filter(_search_condition(q))
    if filters.township:
        qs = qs.filter(township_id=filters.township)
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.category or filters.grade:
        mask = disability_kind_mask(filters.category, filters.grade)
        qs = qs.alias(kinds_matched=F("disability_kinds").bitand(mask)).filter(kinds_matched__gt=0)
    if filters.severe:
        qs = qs.filter(severe_count__gt=0)
    if filters.multi_disabled:
        qs = qs.filter(disabled_count__gte=2)
    if filters.poverty_status:
        qs = qs.filter(poverty_status=filters.poverty_status)
    if filters.assistance_status:
        qs = qs.filter(assistance_status=filters.assistance_status)
    return qs.select_related("village", "township").order_by("number")


def _search_condition(q: str):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    normalized = normalize_id_number(q)
    if ID_LIKE.match(normalized):
        return Q(pk__in=Person.objects.filter(id_number=normalized).values("household_id"))
    if CERT_LIKE.match(normalized):
        return Q(pk__in=Disability.objects.filter(certificate_number=normalized).values("person__household_id"))
    by_number = Q(**_prefix_range("number", q))
    by_name = Q(pk__in=Person.objects.filter(**_name_prefix(q)).values("household_id"))
    return by_number | by_name


def household_file(household: Household) -> dict[str, Any]:
    """Everything shown on the household page, in a fixed number of queries."""
    members = Person.objects.filter(household=household).select_related("disability")
    return {
        "members": sorted(members, key=lambda p: (p.relation != "head", p.living_status != "alive", p.birth_date)),
        "incomes": list(household.incomes.all()),
        "helpers": list(household.helpers.all()),
        "events": list(household.events.all()[:20]),
    }


def persons_of_households(households: list[Household]) -> dict[int, list[Person]]:
    """Disabled members per household for a page of the list (one query, no N+1)."""
    by_household: dict[int, list[Person]] = {h.pk: [] for h in households}
    people = Person.objects.filter(household__in=households, disability__isnull=False).select_related("disability")
    for person in people:
        by_household[person.household_id].append(person)
    return by_household


def disabled_by_category(area: Any) -> list[tuple[str, int]]:
    """Living certified disabled persons of an area per category (label, count), every category listed."""
    counts = dict(
        Person.objects.in_area(area).living().disabled()
        .values_list("disability__category").annotate(n=Count("pk")).order_by()
    )
    return [(str(label), counts.get(value, 0)) for value, label in DisabilityCategory.choices]


def disabled_by_subarea(area: Any) -> list[tuple[str, int]]:
    """Living certified disabled persons per township (for a county) or per village (for a township),
    largest first; empty for a village, which has no sub-areas."""
    column = {AreaLevel.COUNTY: "household__township_id", AreaLevel.TOWNSHIP: "household__village_id"}.get(
        AreaLevel(area.level)
    )
    if column is None:
        return []
    counts = dict(
        Person.objects.in_area(area).living().disabled().values_list(column).annotate(n=Count("pk")).order_by()
    )
    children = Area.objects.filter(parent=area).values_list("code", "name")
    return sorted(((name, counts.get(code, 0)) for code, name in children), key=lambda row: (-row[1], row[0]))


__all__ = ["HouseholdFilters", "household_search", "household_file", "persons_of_households", "Prefetch",
           "disabled_by_category", "disabled_by_subarea"]
