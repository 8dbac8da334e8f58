"""What monitoring adds to other pages: the household section, the home panel, the menu."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from shouwang.monitoring.choices import LeadStatus
from shouwang.monitoring.models import Lead, MonitoringCase
from shouwang.monitoring.parameters import monitored_term
from shouwang.monitoring.selectors import lead_limit_days, lead_rows, leads_for_user, monitored_households
from shouwang.monitoring.workflow import may_act


def household_section(request: Any, household: Any) -> dict[str, Any] | None:
    """Monitoring status, the active lead with its clock, every past case, and what this user may do."""
    user = request.user
    if not user.has_perm("monitoring.view_monitoring"):
        return None
    today = timezone.localdate()
    leads = list(Lead.objects.filter(household=household).select_related("case").order_by("-found_on", "-pk"))
    cases = list(
        MonitoringCase.objects.filter(household=household)
        .select_related("lead")
        .prefetch_related("risks")
        .order_by("-verified_on", "-pk")
    )
    current = next((c for c in cases if c.is_monitored), None)
    active = next((lead for lead in leads if lead.is_active), None)
    row = (
        lead_rows([active], today=today, limit_days=lead_limit_days(user.area, today))[0] if active else None
    )
    from shouwang.monitoring.views import _current_step

    handle = active or (current.lead if current else None)
    return {
        "template": "monitoring/_household_section.html",
        "title": monitored_term(user),
        "current": current,
        "active": active,
        "row": row,
        "cases": cases,
        "leads": leads,
        "handle": handle,
        "may_act": handle is not None and may_act(user, _current_step(handle), household),
        "may_report": user.has_perm("registry.change_household"),
    }


def home_panel(user: Any) -> list[dict[str, Any]]:
    if not user.has_perm("monitoring.view_monitoring") or not user.sees_persons:
        return []
    from django.urls import reverse

    from shouwang.monitoring.selectors import work_queues

    today = timezone.localdate()
    leads = leads_for_user(user)
    term = monitored_term(user)
    waiting = sum(q.total for q in work_queues(user=user, today=today, size=0) if q.key != "late")
    return [
        {
            "title": _("%(t)s动态监测") % {"t": term},
            "figures": [
                (_("%(t)s户数") % {"t": term}, monitored_households(user.area).count()),
                (_("在办线索"), leads.filter(status__in=[LeadStatus.OPEN, LeadStatus.IDENTIFYING]).count()),
                (
                    _("超期线索"),
                    leads.late(today=today, limit_days=lead_limit_days(user.area, today)).count(),
                ),
                (_("待我办理"), waiting),
            ],
            "link": reverse("monitoring:queue"),
            "link_label": _("进入监测工作台"),
        }
    ]


menu_label = lazy(lambda: monitored_term(), str)
