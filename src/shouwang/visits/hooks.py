"""What visits add to the home page and the household page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role
from shouwang.visits.access import is_liaison, referrals_for_user
from shouwang.visits.forms import CadenceForm, PlanForm
from shouwang.visits.models import HouseholdCadence, Notification, Visit
from shouwang.visits.selectors import household_visit_summary, visit_counts


def notification_panel(user: Any) -> list[dict[str, Any]]:
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    if not unread:
        return []
    return [{"title": _("🔔 未读通知 %(n)d 条") % {"n": unread}, "figures": [(_("未读通知"), unread)],
             "link": reverse("visits:notifications"), "link_label": _("查看通知")}]


def visit_panel(user: Any) -> list[dict[str, Any]]:
    """The visitor's own visits (specialists) or the area's (officers, staff); overdue in the title."""
    if not user.has_perm("visits.view_visit"):
        return []
    today = timezone.localdate()
    mine = user.role == Role.VILLAGE_SPECIALIST
    visits = Visit.objects.filter(visitor=user) if mine else Visit.objects.in_area(user.area)
    counts = visit_counts(visits, today=today)
    title = _("我的访视") if mine else _("本辖区访视")
    if counts["overdue"]:
        title = _("⚠ %(title)s：%(n)d 户访视逾期") % {"title": title, "n": counts["overdue"]}
    link = reverse("visits:list") + ("?which=overdue" if counts["overdue"] else "?which=due")
    return [{"title": title, "link": link + ("&mine=1" if mine else ""),
             "link_label": _("去访视") if mine else _("查看访视"),
             "figures": [(_("逾期未访"), counts["overdue"]), (_("本季度待访"), counts["due"]),
                         (_("本季度已访"), counts["done"])]}]


def referral_panel(user: Any) -> list[dict[str, Any]]:
    if not user.has_perm("visits.view_referral"):
        return []
    referrals = referrals_for_user(user)
    today = timezone.localdate()
    figures = [(_("待办转介"), referrals.open().count()), (_("逾期转介"), referrals.overdue(today).count())]
    if not is_liaison(user):
        figures.append((_("逾期上报县级"), referrals.escalated().count()))
    return [{"title": _("转介（反映/转介）"), "figures": figures, "link": reverse("visits:referral_list"),
             "link_label": _("查看转介")}]


def household_section(request: Any, household: Any) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("visits.view_visit"):
        return None
    summary = household_visit_summary(household)
    cadence = HouseholdCadence.objects.filter(household=household).first()
    return {
        "template": "visits/_household_section.html", "title": _("跟踪访视与转介"), **summary,
        "today": timezone.localdate(), "cadence": cadence,
        "plan_form": PlanForm(household=household) if user.has_perm("visits.plan_visit") else None,
        "cadence_form": CadenceForm(initial={"period_months": cadence.period_months if cadence else None,
                                             "reason": cadence.reason if cadence else ""}),
    }
