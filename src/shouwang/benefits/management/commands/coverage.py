"""`shouwang coverage [--area CODE] [--date YYYY-MM-DD] [--rebuild] [--json]` and `--rule CODE --list --json`.

Runs the coverage rules for the county of the area (or every county) and prints per rule the eligible,
receiving, missed and leak counts inside the area. `--list` prints the run's findings of one rule with
full ID numbers and reasons: an operator export of personal data, recorded in the audit log.
`--rebuild` makes the runs rebuild the kept facts from the registry and the benefit records instead of
refreshing the households marked changed: for data written past the services (a bulk fix in SQL, a
restore), which marks nothing.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.benefits.rules import RULES, reason_text


class Command(BaseCommand):
    help = "政策落实覆盖核查：各项政策应享、享受、应享未享、不应享而享人数及名单"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--area", help="区划代码（县6位或12位，乡镇、村12位）；缺省为全部县")
        parser.add_argument("--date", help="基准日期 YYYY-MM-DD，缺省为今天")
        parser.add_argument("--rule", help="规则代码，如 LIVING_SUBSIDY")
        parser.add_argument("--list", action="store_true", help="列出该规则的应享未享和不应享而享名单")
        parser.add_argument("--kind", choices=["missed", "leak"], help="只列出一类")
        parser.add_argument("--rebuild", action="store_true",
                            help="按户籍和待遇记录重建核查基础数据（数据未经系统批量修改后使用）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **opts: Any) -> None:
        from shouwang.benefits.services import coverage_run

        day = self._day(opts["date"])
        areas = self._areas(opts["area"])
        if opts["rule"] and opts["rule"] not in RULES:
            raise CommandError(f"未知规则 {opts['rule']}；可用：{', '.join(RULES)}")
        if opts["list"] and not opts["rule"]:
            raise CommandError("--list 须同时指定 --rule")
        if opts["rebuild"]:
            from shouwang.benefits.facts import facts_invalidate

            facts_invalidate()
        output: list[dict[str, Any]] = []
        for area in areas:
            county = area if area.level == AreaLevel.COUNTY else Area.objects.get(code=area.county_code)
            run = coverage_run(county=county, day=day, rule_codes=[opts["rule"]] if opts["rule"] else None)
            if opts["list"]:
                output.append(self._listing(run, area, opts["rule"], opts["kind"] or ""))
            else:
                output.append(self._counts(run, area, opts["rule"]))
        if opts["json"]:
            self.stdout.write(json.dumps(output if len(output) != 1 else output[0], ensure_ascii=False, indent=1))
        else:
            self._print(output, opts["list"])

    def _day(self, raw: str | None) -> datetime.date:
        if not raw:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{raw}") from None

    def _areas(self, code: str | None) -> list[Area]:
        if not code:
            counties = list(Area.objects.filter(level=AreaLevel.COUNTY))
            if not counties:
                raise CommandError("尚未载入区划，请先运行 shouwang init --county 代码")
            return counties
        try:
            key = county_key(code) if len(code.strip()) == 6 else code.strip()
        except ValueError:
            key = code
        area = Area.objects.filter(code=key).first()
        if area is None:
            raise CommandError(f"区划代码 {code} 不存在")
        return [area]

    def _counts(self, run: Any, area: Area, rule: str | None) -> dict[str, Any]:
        from shouwang.benefits.selectors import coverage_by_rule

        rows = [r for r in coverage_by_rule(run, area) if rule in (None, r["code"])]
        return {"area": area.short_code, "area_name": area.name, "reference_date": run.reference_date.isoformat(),
                "duration_ms": run.duration_ms,
                "rules": [{"rule": r["code"], "title": str(r["title"]), "eligible": r["eligible"],
                           "receiving": r["receiving"], "missed": r["missed"], "leak": r["leak"],
                           "rate": r["rate"], "target": r["target"]} for r in rows]}

    def _listing(self, run: Any, area: Area, rule: str, kind: str) -> dict[str, Any]:
        from shouwang.benefits.selectors import finding_list
        from shouwang.benefits.services import coverage_list_exported

        rows = []
        for k in [kind] if kind else ["missed", "leak"]:
            for f in finding_list(run, rule, k, area).iterator(chunk_size=2000):
                rows.append({"kind": k, "id_number": f.person.id_number, "name": f.person.name,
                             "household": f.household.number, "village": f.village_id, "reason": f.reason,
                             "reason_text": reason_text(f.reason), "record": f.record_id})
        coverage_list_exported(user=None, run=run, rule=rule, kind=kind, rows=len(rows), channel="cli")
        return {"area": area.short_code, "rule": rule, "reference_date": run.reference_date.isoformat(),
                "findings": rows}

    def _print(self, output: list[dict[str, Any]], listing: bool) -> None:
        for block in output:
            if listing:
                for r in block["findings"]:
                    self.stdout.write(f"{r['kind']}\t{r['id_number']}\t{r['name']}\t{r['reason_text']}")
                continue
            self.stdout.write(f"{block['area_name']} {block['reference_date']}（用时 {block['duration_ms']} 毫秒）")
            self.stdout.write(f"{'规则':<22}{'应享':>8}{'享受':>8}{'未享':>8}{'不应享':>8}")
            for r in block["rules"]:
                self.stdout.write(f"{r['rule']:<22}{r['eligible']:>8}{r['receiving']:>8}{r['missed']:>8}{r['leak']:>8}")
