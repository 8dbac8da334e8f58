"""Demo data: last quarter's and this quarter's visits in the demo county, some recorded, some overdue."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from shouwang.areas.models import Area
from shouwang.visits.choices import CheckItem, IncomeChange, VisitForm
from shouwang.visits.defaults import referral_targets_ensure
from shouwang.visits.models import Visit
from shouwang.visits.periods import Period, quarter_of
from shouwang.visits.services import visit_record, visits_schedule

RECORDED = 40  # each recorded visit runs its consequences (problems, leads, referrals): keep the demo quick


def demo_visits(county: Area, seed: int, stdout: Any) -> None:
    """1. plan last quarter's visits and record most of them (the rest are overdue now);
    2. plan this quarter's for households still without one, and record some of the due ones."""
    referral_targets_ensure()
    rng = random.Random(seed)
    today = timezone.localdate()
    this = quarter_of(today)
    last = quarter_of(this.start - datetime.timedelta(days=1))
    planned = visits_schedule(user=None, area=county, day=last.start)
    recorded = _record_some(county, rng, last, share=0.7, limit=RECORDED // 2, today=today)
    planned += visits_schedule(user=None, area=county, day=today)
    recorded += _record_some(county, rng, this, share=0.4, limit=RECORDED - recorded, today=today)
    overdue = Visit.objects.in_area(county).overdue(today).count()
    stdout.write(f"访视：排期 {planned} 次，录入 {recorded} 次，逾期未访 {overdue} 户\n")


def _record_some(county: Area, rng: random.Random, period: Period, *, share: float, limit: int,
                 today: datetime.date) -> int:
    visits = list(Visit.objects.in_area(county).planned().filter(period_start=period.start)
                  .select_related("household").order_by("pk"))
    chosen = rng.sample(visits, min(int(len(visits) * share), max(limit, 0)))
    last_day = min(period.end, today)
    for visit in chosen:
        day = period.start + datetime.timedelta(days=rng.randrange(max((last_day - period.start).days, 1)))
        failed = rng.choice([None, None, None, CheckItem.HOUSING, CheckItem.MEDICAL, CheckItem.WATER])
        checks = {c: (c != failed, "走访发现存在问题，需跟进" if c == failed else "") for c in CheckItem.values}
        visit_record(user=None, household=visit.household, visit=visit, visited_on=day,
                     form=rng.choice(VisitForm.values), checks=checks,
                     income_change=rng.choice(IncomeChange.values), notes="演示访视记录")
    return len(chosen)
