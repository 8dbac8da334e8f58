"""Scoped access to visits and referrals. Out-of-area and missing both answer 404.

Field roles see visits and referrals of households in their area. A liaison sees only referrals sent to
their own department (a target with an account) in their county, and never a visit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shouwang.accounts.access import require_persons
from shouwang.accounts.models import Role
from shouwang.visits.models import Notification, Referral, ReferralQuerySet, Visit, VisitQuerySet


def visits_for_user(user: Any) -> VisitQuerySet:
    require_persons(user)
    return Visit.objects.in_area(user.area)


def get_visit_for_user(user: Any, pk: Any, *, write: bool = False) -> Visit:
    try:
        visit = visits_for_user(user).select_related("household__village", "household__township", "visitor").get(
            pk=int(pk))
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not user.has_perm("visits.record_visit"):
        raise PermissionDenied
    return visit


def is_liaison(user: Any) -> bool:
    return user.is_authenticated and user.role == Role.LIAISON


def referrals_for_user(user: Any) -> ReferralQuerySet:
    if is_liaison(user):
        if not user.department or user.area_id is None:
            raise Http404
        return Referral.objects.filter(target__code=user.department, target__has_account=True,
                                       household__county_id=user.area.county_code)
    require_persons(user)
    return Referral.objects.in_area(user.area)


def get_referral_for_user(user: Any, pk: Any) -> Referral:
    try:
        return referrals_for_user(user).select_related("household__village", "household__township", "target").get(
            pk=int(pk))
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_notification_for_user(user: Any, pk: Any) -> Notification:
    try:
        return Notification.objects.get(user=user, pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
