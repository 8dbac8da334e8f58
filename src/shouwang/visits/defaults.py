"""The default list of referral targets a new county starts from; the administrator edits it afterwards."""

from __future__ import annotations

from shouwang.visits.models import ReferralTarget

# code (accounts.Department for departments), name, deadline days, has an account, checklist items it hears of
TARGETS = [
    ("village", "村两委", 3, False, []),
    ("federation", "县残联", 3, True, []),
    ("rural", "农业农村委（乡村振兴）", 5, True, []),
    ("civil", "民政局", 7, True, ["food", "clothing"]),
    ("hr", "人力社保局", 10, True, []),
    ("health", "卫生健康委", 7, True, []),
    ("education", "教委", 7, True, ["education"]),
    ("medical_insurance", "医疗保障局", 7, True, ["medical"]),
    ("housing", "住房城乡建委", 10, True, ["housing"]),
    ("water", "水利局", 10, True, ["water"]),
]


def referral_targets_ensure() -> int:
    """Add the default targets that are missing (idempotent; edited ones are left alone)."""
    have = set(ReferralTarget.objects.values_list("code", flat=True))
    missing = [
        ReferralTarget(code=code, name=name, default_deadline_days=days, has_account=account,
                       checklist_items=items, sort_order=order)
        for order, (code, name, days, account, items) in enumerate(TARGETS) if code not in have
    ]
    ReferralTarget.objects.bulk_create(missing)
    return len(missing)
