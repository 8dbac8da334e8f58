from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.screening.rules import RULES
from shouwang.screening.services import county_of, parameters_ensure, screening_run
from shouwang.screening.whatif import screening_what_if


class Command(BaseCommand):
    help = "风险筛查：全量运行规则并保存命中；--what-if 只试算不保存。 Run the screening rules over an area."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--year", type=int, help="参数年度 / parameter year (default: in effect today)")
        parser.add_argument("--area", help="区划代码 / county, township or village code (default: the only county)")
        parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
        parser.add_argument("--what-if", nargs="+", metavar="KEY=VALUE", dest="what_if",
                            help="试算参数，如 income_line=7000 / trial parameters, nothing is saved")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        area = _area(options["area"])
        try:
            if options["what_if"]:
                return self._what_if(area, options)
            parameters_ensure(county=county_of(area))
            run = screening_run(area=area, year=options["year"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"run": run.pk, "hits": run.hit_counts, "new": run.new_count,
                                          "resolved": run.resolved_count}, ensure_ascii=False))
            return
        self.stdout.write(f"筛查批次 #{run.pk}：{area.name}，{run.parameter_year}年度参数，{run.households} 户，"
                          f"耗时 {run.duration_ms} 毫秒")
        for rule in RULES:
            self.stdout.write(f"  {rule.code:<22} {run.hit_counts.get(rule.code, 0):>8}  {rule.label}")
        self.stdout.write(f"新增 {run.new_count}，消除 {run.resolved_count}，依据变化 {run.changed_count}")

    def _what_if(self, area: Area, options):  # type: ignore[no-untyped-def]
        overrides = {}
        for item in options["what_if"]:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise CommandError(f"试算参数应为 KEY=VALUE：{item}")
            overrides[key.strip()] = value.strip()
        result = screening_what_if(area=area, overrides=overrides, year=options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"试算（不保存）：{area.name}，{result.parameter_year}年度参数，改动 {result.as_json()['overrides']}")
        for r in result.rules:
            mark = "*" if r.evaluated else " "
            self.stdout.write(f" {mark}{r.code:<22} 现有 {r.current:>7} 户 → 试算 {r.what_if:>7} 户"
                              f"（新进 {r.entering}，退出 {r.leaving}）")
        self.stdout.write(f"有任一命中的户：新进 {result.entering} 户，退出 {result.leaving} 户")


def _area(code: str | None) -> Area:
    if code:
        code = code.strip()
        try:
            key = county_key(code) if len(code) == 6 else code
        except ValueError:
            key = code
        area = Area.objects.filter(code=key).first()
        if area is None:
            raise CommandError(f"区划代码不存在：{code}")
        return area
    counties = list(Area.objects.filter(level=AreaLevel.COUNTY)[:2])
    if len(counties) != 1:
        raise CommandError("请用 --area 指定区划代码 / pass --area" if counties else "尚未载入区划，请先运行 shouwang init")
    return counties[0]
