"""Scoped access to ledgers, measures and problems: through the user's households, missing and out-of-area
answer the same 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shouwang.accounts.access import households_for_user
from shouwang.assistance.models import Measure, Problem

WRITE_PERMISSION = "registry.change_household"


def _check_write(user: Any, write: bool) -> None:
    if write and not user.has_perm(WRITE_PERMISSION):
        raise PermissionDenied


def get_measure_for_user(user: Any, pk: Any, *, write: bool = False) -> Measure:
    try:
        measure = Measure.objects.select_related("ledger__household__village", "kind").get(
            pk=int(pk), ledger__household__in=households_for_user(user).values("pk")
        )
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    _check_write(user, write)
    return measure


def get_problem_for_user(user: Any, pk: Any, *, write: bool = False) -> Problem:
    try:
        problem = Problem.objects.select_related("household__village", "household__township").get(
            pk=int(pk), household__in=households_for_user(user).values("pk")
        )
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    _check_write(user, write)
    return problem
