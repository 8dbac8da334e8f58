"""`shouwang visits due|overdue|schedule|sweep [--area CODE] [--json]`."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shouwang.areas.models import Area, county_key
from shouwang.visits.models import Visit
from shouwang.visits.periods import quarter_of
from shouwang.visits.selectors import visit_list
from shouwang.visits.services import notifications_sweep, visits_schedule


def _area(code: str | None) -> Area:
    code = (code or settings.SHOUWANG_COUNTY).strip()
    key = county_key(code) if len(code) == 6 else code
    area = Area.objects.filter(code=key).first()
    if area is None:
        raise CommandError(f"区划代码不存在 / no such area: {code}")
    return area


class Command(BaseCommand):
    help = "Visits: list due or overdue visits, plan this period's visits, send overdue notifications."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["due", "overdue", "schedule", "sweep"])
        parser.add_argument("--area", help="county, township or village code (default: the configured county)")
        parser.add_argument("--date", help="as of this day, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            today = datetime.date.fromisoformat(o["date"]) if o["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date 须为 YYYY-MM-DD") from None
        if o["action"] == "sweep":
            self._emit(notifications_sweep(today=today), o["json"])
            return
        area = _area(o["area"])
        if o["action"] == "schedule":
            self._emit({"area": area.code, "planned": visits_schedule(user=None, area=area, day=today)}, o["json"])
            return
        rows = visit_list(visits=Visit.objects.in_area(area), which=o["action"], today=today,
                          quarter=quarter_of(today))
        data = [_row(v, today) for v in rows.iterator(chunk_size=2000)]
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        for r in data:
            self.stdout.write(f"{r['household']:<14} {r['head']:<8} {r['village']:<10} {r['due_on']} "
                              f"{'逾期' if r['overdue'] else '    '} {r['visitor'] or '未分配'}")
        self.stdout.write(f"{len(data)} 户 / households")

    def _emit(self, result: dict[str, Any], as_json: bool) -> None:
        self.stdout.write(json.dumps(result, ensure_ascii=False) if as_json else
                          " ".join(f"{k}={v}" for k, v in result.items()))


def _row(visit: Visit, today: datetime.date) -> dict[str, Any]:
    h = visit.household
    return {"visit_id": visit.pk, "household": h.number, "head": h.head_name, "township": h.township.name,
            "village": h.village.name, "village_code": h.village_id, "period_start": visit.period_start.isoformat(),
            "due_on": visit.due_on.isoformat(), "overdue": visit.is_overdue(today),
            "visitor": str(visit.visitor) if visit.visitor else None}
