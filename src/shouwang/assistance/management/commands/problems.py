"""`shouwang problems open [--area CODE] [--json]` and `shouwang problems from-hits [--area CODE]`."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shouwang.areas.models import Area, county_key
from shouwang.assistance.selectors import open_problems, open_problems_by_child_area
from shouwang.assistance.services import problems_open_from_hits


def _area(code: str | None) -> Area:
    code = (code or settings.SHOUWANG_COUNTY).strip()
    area = Area.objects.filter(code=county_key(code) if len(code) == 6 else code).first()
    if area is None:
        raise CommandError(f"区划代码不存在 / no such area: {code}")
    return area


class Command(BaseCommand):
    help = (
        "Problems (问题清单): list the open ones of an area with their age, or open them from screening hits."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["open", "from-hits"])
        parser.add_argument(
            "--area", help="county, township or village code (default: the configured county)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **o: Any) -> None:
        area, today = _area(o["area"]), timezone.localdate()
        if o["action"] == "from-hits":
            opened = problems_open_from_hits(area=area)
            self._emit({"area": area.code, "opened": opened}, o["json"], f"新开问题 {opened} 个 / opened")
            return
        rows: list[dict[str, Any]] = [
            {
                "id": p.pk,
                "household": p.household.number,
                "head": p.household.head_name,
                "village": p.household.village.name,
                "kind": p.kind,
                "kind_label": str(p.get_kind_display()),
                "description": p.description,
                "source": p.source,
                "opened_on": p.opened_on.isoformat(),
                "age_days": p.age_days(today),
            }
            for p in open_problems(area).iterator(chunk_size=2000)
        ]
        by_area: list[dict[str, Any]] = [
            {"area": r.area.code, "name": r.area.name, "open": r.open_count, "oldest_days": r.oldest_days}
            for r in open_problems_by_child_area(area, today=today)
        ]
        if o["json"]:
            self._emit(
                {
                    "area": area.code,
                    "name": area.name,
                    "open": len(rows),
                    "by_area": by_area,
                    "problems": rows,
                },
                True,
                "",
            )
            return
        for r in rows:
            self.stdout.write(
                f"{r['household']:<14} {r['head']:<8} {r['village']:<10} {r['kind_label']:<6} "
                f"{r['opened_on']} {r['age_days']:>4}天  {r['description'][:30]}"
            )
        for r in by_area:
            self.stdout.write(f"  {r['name']:<12} {r['open']:>5}")
        self.stdout.write(f"{area.name} 未清零问题 {len(rows)} 个 / open problems")

    def _emit(self, data: Any, as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) if as_json else text)
