"""The public notice (村内公示) of a village. Its columns are fixed here and contain no sensitive field:
no ID number, phone, bank account, disability or health detail, and no risk type (因病/因残 would disclose
health). The page and the Excel export both read these rows."""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlsxwriter
from django.utils.translation import gettext as _

from shouwang.areas.models import Area
from shouwang.monitoring.selectors import notice_cases
from shouwang.monitoring.services import notice_ends_on


@dataclass(frozen=True)
class NoticeRow:
    number: int
    head_name: str
    household_number: str
    member_count: int
    village_result: str
    reviewed_on: str
    notice_from: str
    notice_to: str


def notice_rows(village: Area) -> list[NoticeRow]:
    rows = []
    for i, case in enumerate(notice_cases(village), start=1):
        ends = notice_ends_on(case)
        rows.append(
            NoticeRow(
                number=i,
                head_name=case.household.head_name,
                household_number=case.household.number,
                member_count=case.household.member_count,
                village_result=case.get_village_result_display(),
                reviewed_on=case.village_reviewed_on.isoformat() if case.village_reviewed_on else "",
                notice_from=case.notice_started_on.isoformat() if case.notice_started_on else "",
                notice_to=ends.isoformat() if ends else "",
            )
        )
    return rows


def notice_headers() -> list[str]:
    return [
        _("序号"),
        _("户主姓名"),
        _("户编号"),
        _("家庭人口"),
        _("民主评议结果"),
        _("民主评议日期"),
        _("公示开始"),
        _("公示截止"),
    ]


def notice_xlsx(village: Area, rows: list[NoticeRow], term: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("公示名单"))
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, _("%(v)s拟纳入%(t)s名单公示") % {"v": village.name, "t": term}, bold)
    sheet.write_row(2, 0, notice_headers(), bold)
    for r, row in enumerate(rows, start=3):
        sheet.write_row(
            r,
            0,
            [
                row.number,
                row.head_name,
                row.household_number,
                row.member_count,
                row.village_result,
                row.reviewed_on,
                row.notice_from,
                row.notice_to,
            ],
        )
    sheet.set_column(0, 7, 14)
    book.close()
    return buffer.getvalue()
