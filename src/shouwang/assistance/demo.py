"""Demo step: ledgers, problems and measures on the demo county, through the same services officers use."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from shouwang.areas.models import Area
from shouwang.assistance import services
from shouwang.assistance.choices import ProblemKind
from shouwang.assistance.models import Ledger
from shouwang.assistance.suggestions import suggestions_for
from shouwang.registry.models import Household

DEMO_LEDGERS = 40
FINDINGS = {
    ProblemKind.HOUSING: "走访发现房屋墙体开裂，雨季漏雨",
    ProblemKind.WATER: "走访发现饮水水源浑浊，未通自来水",
    ProblemKind.MEDICAL: "走访发现家庭成员未参加当年度基本医疗保险",
    ProblemKind.EDUCATION: "走访发现适龄子女未按时返校",
}
EFFECTS = [
    "家庭人均纯收入稳定在监测线以上",
    "已按月发放，生活得到保障",
    "已完成，问题解决",
    "已到岗，月收入约2000元",
]


def _households(county: Area) -> list[Household]:
    """Monitored households (the monitoring demo step runs first); severely disabled ones if there are none."""
    try:
        from shouwang.monitoring.selectors import monitored_households

        chosen = list(monitored_households(county).order_by("pk")[:DEMO_LEDGERS])
    except ImportError:
        chosen = []
    return chosen or list(
        Household.objects.in_area(county).filter(severe_count__gt=0).order_by("pk")[:DEMO_LEDGERS]
    )


def _accept(ledger: Ledger, suggestion: Any, rng: random.Random, today: datetime.date) -> Any:
    start = today - datetime.timedelta(days=rng.randint(20, 150))
    return services.suggestion_accept(
        user=None,
        ledger=ledger,
        key=suggestion.key,
        responsible_unit=suggestion.kind.default_unit or "县残联",
        responsible_person=rng.choice(["刘洋", "陈静", "杨帆", "冉小兵", "向丽"]),
        start_on=start,
        due_on=start + datetime.timedelta(days=rng.choice([30, 60, 90, 180])),
        content=suggestion.reason,
    )


def _carry_out(measure: Any, rng: random.Random, today: datetime.date) -> int:
    """Move the measure on like an officer would; returns the number of problems it cleared."""
    roll = rng.random()
    if roll > 0.75:
        return 0  # still planned (and overdue if its due date has passed)
    services.measure_set_status(user=None, measure=measure, status="in_progress", on=measure.start_on)
    services.follow_up_add(
        user=None,
        measure=measure,
        date=min(today, measure.start_on + datetime.timedelta(days=10)),
        note="已入户对接，正在落实",
    )
    if roll > 0.4:
        return 0
    services.measure_set_status(
        user=None,
        measure=measure,
        status="done",
        on=min(today, measure.due_on),
        effect=rng.choice(EFFECTS),
        income_after=Decimal(rng.randint(62, 140) * 100),
    )
    cleared = 0
    for problem in measure.problems.filter(status="open"):
        services.problem_clear(
            user=None, problem=problem, cleared_on=today, evidence="验收材料已归档", measure=measure
        )
        cleared += 1
    return cleared


def demo_assistance(county: Area, seed: int, stdout: Any) -> None:
    rng, today = random.Random(seed + 7), timezone.localdate()
    households = _households(county)
    opened = services.problems_open_from_hits(area=county)
    measures = found = cleared = 0
    for i, household in enumerate(households):
        ledger = services.ledger_ensure(user=None, household=household)
        if i % 3 == 0:
            kind = rng.choice(list(FINDINGS))
            services.problem_open(user=None, household=household, kind=kind, description=FINDINGS[kind])
            found += 1
        suggestions = sorted(suggestions_for(ledger), key=lambda s: (s.rule != "problem", s.key))
        for suggestion in suggestions[: rng.randint(1, 3)]:
            measure = _accept(ledger, suggestion, rng, today)
            measures += 1
            cleared += _carry_out(measure, rng, today)
    stdout.write(
        f"assistance: {len(households)} ledgers, {opened + found} problems opened "
        f"({opened} from screening), {measures} measures, {cleared} problems cleared\n"
    )
