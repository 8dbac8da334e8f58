from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shouwang.audit.selectors import AuditFilters, audit_search


def audit_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditentry"):
        raise PermissionDenied
    g = request.GET

    def day(name: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(g.get(name, ""))
        except ValueError:
            return None

    filters = AuditFilters(action=g.get("action", "")[:64], user=g.get("user", "")[:150],
                           object_repr=g.get("object", "")[:100], since=day("since"), until=day("until"))
    page = Paginator(audit_search(user=request.user, filters=filters), 50).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {"page": page, "filters": filters, "query": query.urlencode()})
