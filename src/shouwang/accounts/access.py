"""Scoped access helpers. Views never call Model.objects.get(pk=...) on user input; they call these.

Out-of-area and missing objects answer the same 404, so a user cannot probe what exists elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from shouwang.accounts.models import User
from shouwang.areas.models import Area
from shouwang.registry.models import Household, Person


class AuthenticatedHttpRequest(HttpRequest):
    """What a view sees behind LoginRequiredMiddleware: a logged-in User (annotate views with it)."""

    user: User


def user_area(user: User) -> Area:
    """The area a user works in; an account bound to no area sees nothing (404)."""
    if user.area is None:
        raise Http404
    return user.area


def require_persons(user: Any) -> None:
    """Leaders and liaisons never see the registry: they get a 404, not a hint that records exist."""
    if not user.is_authenticated or not user.sees_persons or user.area_id is None:
        raise Http404


def households_for_user(user: Any) -> QuerySet[Household]:
    require_persons(user)
    return Household.objects.in_area(user.area)


def persons_for_user(user: Any) -> QuerySet[Person]:
    require_persons(user)
    return Person.objects.in_area(user.area)


def get_household_for_user(user: Any, pk: Any, *, write: bool = False) -> Household:
    try:
        household = households_for_user(user).select_related("village", "township").get(pk=int(pk))
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not user.has_perm("registry.change_household"):
        raise PermissionDenied
    return household


def get_person_for_user(user: Any, pk: Any, *, write: bool = False) -> Person:
    try:
        person = persons_for_user(user).select_related("household__village", "household__township").get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not user.has_perm("registry.change_household"):
        raise PermissionDenied
    return person
