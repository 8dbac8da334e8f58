from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from shouwang.accounts.access import require_persons


def summary(request: HttpRequest) -> HttpResponse:
    require_persons(request.user)
    return HttpResponse("")
