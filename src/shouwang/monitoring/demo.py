"""Demo data: leads and cases in every state on the demo county, made through the services."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from shouwang.accounts.models import Role, User
from shouwang.areas.models import Area
from shouwang.monitoring import services
from shouwang.monitoring.choices import HouseholdType, RiskType
from shouwang.monitoring.models import Lead
from shouwang.registry.models import Household

# How many households end at each stage.
PLAN = [
    ("open", 6),
    ("late", 3),
    ("village_review", 3),
    ("noticing", 3),
    ("county_confirmation", 3),
    ("monitored", 12),
    ("rejected", 2),
]


def _actors(household: Household) -> dict[str, User]:
    """Unsaved users with the right role and area, so the services' checks run as in real use."""
    return {
        "village": User(username="demo-village", role=Role.VILLAGE_SPECIALIST, area=household.village),
        "township": User(username="demo-township", role=Role.TOWNSHIP_OFFICER, area=household.township),
        "county": User(username="demo-county", role=Role.COUNTY_STAFF, area=household.county),
    }


def _walk(household: Household, target: str, rng: random.Random, today: datetime.date) -> None:
    who = _actors(household)
    days = 40 if target == "monitored" else (25 if target == "late" else rng.randint(12, 14))
    found = today - datetime.timedelta(days=days)
    lead = services.lead_open(
        user=None,
        household=household,
        source=rng.choice(["screening", "visit", "self_report"]),
        evidence={"demo": True},
        found_on=found,
        note="演示线索",
    )
    if target in ("open", "late"):
        return
    pdf = ContentFile(b"%PDF-1.4 demo", name="授权承诺书.pdf")
    case = services.monitoring_verify(
        user=who["village"],
        lead=lead,
        verified_on=found + datetime.timedelta(days=1),
        authorisation=pdf,
        note="演示核实",
    )
    if target == "rejected":
        services.monitoring_reject(user=who["village"], lead=lead, reason="核实收入高于监测标准")
        return
    if target == "village_review":
        return
    services.monitoring_review_village(
        user=who["village"], case=case, result="agreed", reviewed_on=found + datetime.timedelta(days=2)
    )
    services.monitoring_notice_start(
        user=who["village"], case=case, started_on=found + datetime.timedelta(days=3)
    )
    if target == "noticing":
        return
    services.monitoring_review_township(
        user=who["township"], case=case, reviewed_on=found + datetime.timedelta(days=9)
    )
    if target == "county_confirmation":
        return
    risks = rng.sample(RiskType.values, rng.randint(1, 3))
    services.monitoring_confirm(
        user=who["county"],
        case=case,
        confirmed_on=found + datetime.timedelta(days=11),
        household_type=rng.choice(HouseholdType.values),
        risk_types=risks,
    )


def demo_monitoring(county: Area, seed: int, stdout: Any) -> None:
    if Lead.objects.filter(household__county=county).exists():
        return
    rng = random.Random(seed)
    households = list(
        Household.objects.filter(county=county)
        .select_related("village", "township", "county")
        .order_by("pk")[:400]
    )
    wanted = sum(n for _, n in PLAN)
    chosen = rng.sample(households, min(wanted, len(households)))
    today = timezone.localdate()
    # One of each state first, so even a small demo county shows every state.
    targets = [t for t, _n in PLAN] + [t for t, n in PLAN for _ in range(n - 1)]
    for household, target in zip(chosen, targets, strict=False):
        _walk(household, target, rng, today)
    stdout.write(f"monitoring: {len(chosen)} leads and cases in the demo county\n")
