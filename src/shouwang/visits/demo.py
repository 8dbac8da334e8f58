"""Demo data: plan this quarter's visits in the demo county and record some of them."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from shouwang.areas.models import Area
from shouwang.visits.choices import CheckItem, IncomeChange, VisitForm
from shouwang.visits.models import Visit
from shouwang.visits.periods import quarter_of
from shouwang.visits.services import visit_record, visits_schedule

RECORDED = 40  # each recorded visit runs its consequences (problems, leads, referrals): keep the demo quick


def demo_visits(county: Area, seed: int, stdout: Any) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    planned = visits_schedule(user=None, area=county, day=today)
    quarter = quarter_of(today)
    visits = list(Visit.objects.in_area(county).planned().select_related("household").order_by("pk")[:RECORDED * 3])
    recorded = 0
    for visit in rng.sample(visits, min(RECORDED, len(visits))):
        day = quarter.start + datetime.timedelta(days=rng.randrange(max((today - quarter.start).days, 1)))
        failed = rng.choice([None, None, None, CheckItem.HOUSING, CheckItem.MEDICAL, CheckItem.WATER])
        checks = {c: (c != failed, "走访发现存在问题" if c == failed else "") for c in CheckItem.values}
        visit_record(user=None, household=visit.household, visit=visit, visited_on=day,
                     form=rng.choice(VisitForm.values), checks=checks,
                     income_change=rng.choice(IncomeChange.values), notes="演示访视记录")
        recorded += 1
    stdout.write(f"访视：本期新排 {planned} 户，已录入访视 {recorded} 次\n")
