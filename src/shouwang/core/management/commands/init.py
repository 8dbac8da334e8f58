from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from shouwang.areas.services import AreaSourceError, areas_load_county


class Command(BaseCommand):
    help = "Create or upgrade the database schema and load a county's townships and villages (idempotent)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--county", required=True, help="6-digit county code, e.g. 500243 (Pengshui)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库结构已就绪 / schema up to date")
        try:
            result = areas_load_county(county_code=options["county"])
        except (AreaSourceError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{result.county.name}（{result.county.short_code}）: {result.townships} 个乡镇（街道），"
            f"{result.villages} 个村（社区），新增 {result.created} 个区划"
        )
