"""`shouwang import registry FILE [--dry-run] [--report OUT.xlsx] [--json] [--user USERNAME]`.

Exit status 0 when the file was processed (even with rejected rows), 2 when the file itself is unusable
(not a workbook, no recognisable header), with the reason on stderr.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shouwang.accounts.models import User
from shouwang.imports.importers import IMPORTERS
from shouwang.imports.reading import FileUnusable
from shouwang.imports.services import import_file
from shouwang.imports.workbooks import write_error_report


class Command(BaseCommand):
    help = "导入Excel/CSV文件（registry：户籍成员与家庭收入） / Import a workbook or CSV file."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入 / validate and diff only")
        parser.add_argument("--report", type=Path, help="把被拒绝的行写入此Excel文件 / write rejected rows here")
        parser.add_argument("--json", action="store_true", help="输出一个JSON对象 / print one JSON object")
        parser.add_argument("--user", help="以该用户身份及其管辖范围导入 / import as this user, within their area")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}", returncode=2)
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户不存在 / no such user: {options['user']}", returncode=2)
        try:
            job, result = import_file(user=user, path=path, dry_run=options["dry_run"], kind=options["kind"])
        except FileUnusable as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["report"]:
            if job.report:
                shutil.copyfile(job.report.path, options["report"])
            else:
                write_error_report(result, options["report"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
            return
        self._print_summary(result)

    def _print_summary(self, result) -> None:  # type: ignore[no-untyped-def]
        totals = result.totals()
        mode = "检查（未写入）" if result.dry_run else "导入"
        self.stdout.write(f"{mode}：读取 {totals.read} 行，新增 {totals.created}，更新 {totals.updated}，"
                          f"无变化 {totals.unchanged}，拒绝 {totals.rejected}")
        for name, counts in result.counts.items():
            self.stdout.write(f"  {name}：" + "，".join(f"{k} {v}" for k, v in counts.as_dict().items()))
        for error in result.errors[:50]:
            self.stdout.write(f"  {error.sheet} {error}")
        if len(result.errors) > 50:
            self.stdout.write(f"  ……另有 {len(result.errors) - 50} 条错误，请用 --report 导出全部")
