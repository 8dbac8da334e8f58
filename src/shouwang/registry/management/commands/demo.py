from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shouwang.areas.models import Area, county_key
from shouwang.core import demo as core_demo
from shouwang.registry.demo import demo_county_generate
from shouwang.registry.models import Household


class Command(BaseCommand):
    help = "Build a synthetic demo county on the county's real villages (deterministic per seed)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--households", type=int, default=3000, help="number of households (default 3000)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same county (default 1)")
        parser.add_argument("--county", default=settings.SHOUWANG_COUNTY, help="6-digit county code")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the county has households")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        if o["households"] < 1:
            raise CommandError("户数须为正整数 / --households must be positive")
        try:
            county = Area.objects.get(code=county_key(o["county"]))
        except (Area.DoesNotExist, ValueError):
            raise CommandError(f"没有县 {o['county']} 的区划：请先运行 shouwang init --county {o['county']}") from None
        existing = Household.objects.filter(county=county).count()
        if o["if_empty"] and existing:
            self.stdout.write(f"{county.name}已有 {existing} 户，未生成演示数据 / demo skipped: county not empty")
            return
        result = demo_county_generate(county=county, households=o["households"], seed=o["seed"],
                                      progress=o["verbosity"] > 0, stream=self.stderr._out)
        self.stdout.write(
            f"{county.name}演示数据：{result.households} 户，{result.persons} 人，{result.disabled} 名持证残疾人，"
            f"{result.income_records} 条收入记录，{result.helpers} 名帮扶人，{result.events} 件突发变故"
            f"（{result.seconds:.1f} 秒）"
        )
        for step in core_demo.DEMO_STEPS:
            step(county, o["seed"], self.stdout)
