"""The screening's contributions to other pages: the household page section and the home panel."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.screening.rules import RULES_BY_CODE, explain
from shouwang.screening.selectors import hit_counts_by_rule, hits_of_household, households_with_hits


def household_section(request: Any, household: Any) -> dict[str, Any] | None:
    """Current hits of the household, each with its explanation in plain Chinese."""
    hits = hits_of_household(household)
    rows = [
        {"hit": h, "label": RULES_BY_CODE[h.rule_code].label if h.rule_code in RULES_BY_CODE else h.rule_code,
         "explanation": explain(h.rule_code, h.evidence)}
        for h in hits
    ]
    return {"title": _("风险筛查"), "template": "screening/_household_section.html", "rows": rows}


def home_panel(user: Any) -> list[dict[str, Any]]:
    if not user.sees_persons:
        return []  # leaders get the figures through reports; liaisons see nothing of the registry
    counts = hit_counts_by_rule(user.area)
    focus = ("INCOME_BELOW_LINE", "SEVERE_DISABILITY", "MULTI_DISABLED", "ELDERLY_NO_LABOUR", "SUDDEN_EVENT")
    figures = [(_("有风险提示的户"), households_with_hits(user.area))]
    figures += [(RULES_BY_CODE[code].label, counts.get(code, {}).get("households", 0)) for code in focus]
    return [{"title": _("风险筛查（当前命中户数）"), "figures": figures,
             "link": reverse("screening:summary"), "link_label": _("查看筛查结果")}]
