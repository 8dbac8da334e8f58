from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.registry.models import Household
from shouwang.screening.rules import RULES_BY_CODE, explain
from shouwang.screening.selectors import hits_of_household


class Command(BaseCommand):
    help = "查看一户的当前筛查命中及依据。 Show a household's current screening hits with evidence."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--household", required=True, help="户编号 / household number")
        parser.add_argument("--county", help="县级代码（库中有多个县时）/ county code when several are loaded")
        parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        households = Household.objects.filter(number=options["household"].strip())
        if options["county"]:
            households = households.filter(county_id=county_key(options["county"]))
        found = list(households[:2])
        if not found:
            raise CommandError(f"未找到户编号：{options['household']}")
        if len(found) > 1:
            counties = ", ".join(Area.objects.filter(level=AreaLevel.COUNTY).values_list("code", flat=True)[:5])
            raise CommandError(f"多个县存在该户编号，请用 --county 指定（{counties}）")
        household = found[0]
        hits = hits_of_household(household)
        rows = [
            {"rule": h.rule_code, "label": str(RULES_BY_CODE[h.rule_code].label) if h.rule_code in RULES_BY_CODE else "",
             "rule_version": h.rule_version, "parameter_year": h.parameter_year,
             "person": h.person.name if h.person else None, "evidence": h.evidence,
             "explanation": explain(h.rule_code, h.evidence), "first_seen_run": h.first_seen_run_id,
             "run": h.run_id}
            for h in hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"household": household.number, "hits": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"户 {household.number}（{household.head_name}）当前命中 {len(rows)} 条")
        for row in rows:
            who = f" {row['person']}" if row["person"] else ""
            self.stdout.write(f"  {row['rule']}{who}：{row['explanation']}")
