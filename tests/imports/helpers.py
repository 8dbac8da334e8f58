"""Small workbooks made in the test, the way officers make them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from shouwang.imports.services import import_file

PERSON_HEADER = ["户编号", "乡镇（街道）", "村（社区）", "与户主关系", "姓名", "公民身份号码", "残疾人证号", "残疾类别",
                 "残疾等级", "劳动能力", "在校生状况", "是否参加基本医疗保险", "生存状态", "联系电话", "脱贫户", "脱贫年度",
                 "低保户", "特困供养", "住房安全", "饮水安全"]
INCOME_HEADER = ["户编号", "统计年度", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出",
                 "合规自付医疗支出", "教育支出", "理赔收入"]


def person(number: str, id_number: str, name: str = "张三", *, township: str = "郁山镇", village: str = "铜锣村",
           relation: str = "户主", **extra: Any) -> dict[str, Any]:
    row = {"户编号": number, "乡镇（街道）": township, "村（社区）": village, "与户主关系": relation, "姓名": name,
           "公民身份号码": id_number}
    row.update(extra)
    return row


def workbook(path: Path, persons: list[dict[str, Any]] | None = None, incomes: list[dict[str, Any]] | None = None,
             *, person_header: list[str] | None = None, title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成员信息"
    header = person_header or PERSON_HEADER
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in persons or []:
        sheet.append([row.get(h) for h in header])
    if incomes is not None:
        income_sheet = book.create_sheet("家庭收入")
        income_sheet.append(INCOME_HEADER)
        for row in incomes:
            income_sheet.append([row.get(h) for h in INCOME_HEADER])
    book.save(path)
    return path


def run(path: Path, user: Any = None, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    job, result = import_file(user=user, path=path, dry_run=dry_run)
    return result


def counts(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    totals = result.totals()
    return totals.as_dict()


def reasons(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{e.row}|{e.column}|{e.reason}" for e in result.errors]
