"""What the assistance ledger adds to the rest of the system: menu, home panel, household section, demo."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.assistance.models import Ledger, Measure, Problem


def home_panel(user: Any) -> list[dict[str, Any]]:
    """Open problems (target zero) and overdue measures for the user's area."""
    if not (user.sees_persons or user.has_perm("reports.view_dashboard")):
        return []
    area = user.area
    return [
        {
            "title": _("动态清零 · %(area)s") % {"area": area.name},
            "figures": [
                (_("未清零问题"), Problem.objects.in_area(area).open().count()),
                (_("帮扶台账"), Ledger.objects.in_area(area).count()),
                (_("逾期措施"), Measure.objects.in_area(area).overdue(timezone.localdate()).count()),
            ],
            "link": f"{reverse('assistance:problems')}?area={area.code}",
            "link_label": _("问题清单"),
        }
    ]


def household_section(request: Any, household: Any) -> dict[str, Any] | None:
    ledger = Ledger.objects.filter(household=household).first()
    problems = list(Problem.objects.open().filter(household=household))
    if ledger is None and not problems:
        return None
    measures = list(Measure.objects.filter(ledger=ledger).select_related("kind")) if ledger else []
    today = timezone.localdate()
    return {
        "template": "assistance/_household_section.html",
        "title": _("帮扶台账"),
        "ledger": ledger,
        "household": household,
        "open_problems": problems,
        "measures_open": [m for m in measures if m.status in ("planned", "in_progress")],
        "measures_done": sum(m.status == "done" for m in measures),
        "measures_overdue": sum(m.is_overdue(today) for m in measures),
    }
