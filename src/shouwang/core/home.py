"""The home page: figures for the user's area. Later parts of the system add their panels here."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from shouwang.areas.models import AreaLevel
from shouwang.registry.models import Household


def area_summary(area: Any) -> dict[str, int]:
    totals = Household.objects.in_area(area).aggregate(
        households=Count("pk"),
        persons=Sum("member_count"),
        disabled=Sum("disabled_count"),
        severe=Sum("severe_count"),
        multi=Count("pk", filter=Q(disabled_count__gte=2)),
        dibao=Count("pk", filter=Q(assistance_status="dibao")),
        tekun=Count("pk", filter=Q(assistance_status="tekun")),
        lifted=Count("pk", filter=Q(poverty_status="lifted")),
    )
    return {k: v or 0 for k, v in totals.items()}


# Functions (user) -> list of panels; other apps append theirs in AppConfig.ready().
HOME_PANELS: list[Any] = []


def home_charts(user: Any) -> dict[str, Any] | None:
    """Aggregates only (no names): safe for every role, including leaders."""
    from shouwang.registry.selectors import disabled_by_category, disabled_by_subarea

    if user.area_id is None:
        return None
    by_area = disabled_by_subarea(user.area)
    return {
        "by_category": {"title": _("持证残疾人按类别"), "rows": disabled_by_category(user.area)},
        "by_area": {
            "title": _("持证残疾人按乡镇（街道）") if user.area.level == AreaLevel.COUNTY else _("持证残疾人按村（社区）"),
            "rows": by_area,
        } if by_area else None,
    }


def home_panels(user: Any) -> list[dict[str, Any]]:
    if user.area_id is None:
        return []
    panels = registry_panels(user)
    for provider in HOME_PANELS:
        panels.extend(provider(user))
    return panels


def registry_panels(user: Any) -> list[dict[str, Any]]:
    s = area_summary(user.area)
    return [
        {
            "title": _("%(area)s概况") % {"area": user.area.name},
            "figures": [
                (_("户数"), s["households"]), (_("人数"), s["persons"]), (_("持证残疾人"), s["disabled"]),
                (_("一二级重度"), s["severe"]), (_("一户多残"), s["multi"]), (_("低保户"), s["dibao"]),
                (_("特困供养户"), s["tekun"]), (_("脱贫户"), s["lifted"]),
            ],
        }
    ]
