from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from shouwang.audit.models import AuditEntry


@dataclass
class AuditFilters:
    action: str = ""
    user: str = ""
    object_repr: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_search(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries of the administrator's county (entries with no area are system-wide, e.g. user changes)."""
    qs = AuditEntry.objects.select_related("user")
    county = user.area.county_code if user.area_id else None
    qs = qs.filter(Q(area_code__startswith=county[:6]) | Q(area_code="")) if county else qs.none()
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.user:
        qs = qs.filter(user__username=filters.user)
    if filters.object_repr:
        qs = qs.filter(object_repr__contains=filters.object_repr)
    if filters.since:
        qs = qs.filter(at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__date__lte=filters.until)
    return qs
