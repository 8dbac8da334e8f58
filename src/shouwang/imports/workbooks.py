"""Workbooks Shouwang writes: the error report (rejected rows as they were + 错误原因) and the blank template.

Both are written with XlsxWriter in constant_memory mode, row by row, so their size does not matter.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

import xlsxwriter

from shouwang.imports.base import ImportResult, SheetSpec
from shouwang.imports.columns import INCOME_SHEET, PERSON_SHEET

REASON_HEADER = "错误原因"
FORMULA_LEADS = ("=", "+", "-", "@")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (= + - @) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def _write_row(sheet: Any, row: int, cells: list[Any], date_format: Any = None) -> None:
    for col, value in enumerate(cells):
        if isinstance(value, datetime.datetime | datetime.date) and date_format is not None:
            sheet.write_datetime(row, col, value, date_format)
        elif isinstance(value, str):
            sheet.write_string(row, col, safe_cell(value))
        elif value is None:
            continue
        elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            sheet.write_number(row, col, value)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        else:
            sheet.write_string(row, col, str(value))  # inf, nan, times: shown as read


def write_error_report(result: ImportResult, path: Path) -> None:
    """One sheet per imported sheet: its header plus 错误原因, then each rejected row as it was read."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE2E1"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, (header, rows) in result.rejected_rows.items():
        sheet = workbook.add_worksheet(name[:31])
        _write_row(sheet, 0, [REASON_HEADER, "原行号", *[str(h) for h in header]])
        sheet.set_row(0, None, bold)
        sheet.set_column(0, 0, 60)
        for index, (number, cells, reason) in enumerate(rows, start=1):
            _write_row(sheet, index, [reason, number, *cells], date_format)
    if not result.rejected_rows:
        workbook.add_worksheet("无错误").write_string(0, 0, "没有被拒绝的行")
    workbook.close()


def write_template(path: Path, specs: tuple[SheetSpec, ...] = (PERSON_SHEET, INCOME_SHEET)) -> None:
    """The blank workbook of an importer (the registry's by default): its sheets with their headers, and a
    填写说明 sheet."""
    workbook = xlsxwriter.Workbook(str(path))
    text = workbook.add_format({"num_format": "@"})
    required = workbook.add_format({"bold": True, "bg_color": "#FFF2CC", "border": 1})
    optional = workbook.add_format({"bold": True, "border": 1})
    for spec in specs:
        sheet = workbook.add_worksheet(spec.name)
        for col, column in enumerate(spec.columns):
            sheet.write_string(0, col, column.label, required if column.required else optional)
            # Text format on every column, so Excel never turns an ID number into 5.00243E+17.
            sheet.set_column(col, col, 22 if "号" in column.label else 14, text)
        sheet.freeze_panes(1, 0)
    _instructions(workbook, list(specs))
    workbook.close()


def _instructions(workbook: Any, specs: list[SheetSpec]) -> None:
    sheet = workbook.add_worksheet("填写说明")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 1, 20)
    sheet.set_column(2, 3, 60)
    lines = [
        "各工作表每行填写的内容见下表的填写说明；表头可以在标题行下方，列的顺序不限，多余的列会被忽略。",
        "黄色表头为必填列。留空的单元格表示“不修改”：新记录取默认值，已有记录保留原值。",
        "公民身份号码请设为“文本”格式；被Excel转成科学计数法（如5.00243E+17）的号码无法还原，会被拒绝。",
        "同一文件中同一公民身份号码出现多次且内容不一致时，相关各行都会被拒绝；任何一项有误的行整行不导入。",
        "以公民身份号码识别成员、以户编号识别户（享受记录以公民身份号码、政策项目和起始日期识别）：重复导入同一文件不会产生任何变化。",
    ]
    for row, line in enumerate(lines):
        sheet.write_string(row, 0, line)
    start = len(lines) + 1
    sheet.write_row(start, 0, ["工作表", "列", "是否必填", "填写说明"], bold)
    row = start + 1
    for spec in specs:
        for column in spec.columns:
            options = getattr(column.clean, "labels", None)
            hint = column.help_text or ("可填：" + "、".join(options) if options else "")
            if column.aliases:
                hint += ("；" if hint else "") + "也可用表头：" + "、".join(column.aliases)
            sheet.write_row(row, 0, [spec.name, column.label, "必填" if column.required else "", hint])
            row += 1
