"""xlsx export of the ledgers of an area: one sheet of ledgers, one of measures, one of problems.

ID numbers are masked; every export is audit-logged (it is personal data). Each sheet is read with a
fixed number of queries, whatever the number of ledgers.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from django.db import transaction
from django.utils import timezone

from shouwang.areas.models import Area
from shouwang.assistance.models import Ledger, Measure, Problem
from shouwang.assistance.selectors import _model
from shouwang.audit.services import audit_log
from shouwang.core.masking import mask_id_number
from shouwang.registry.choices import Relation
from shouwang.registry.models import Person


class LedgerExporter:
    sheets = (
        (
            "帮扶台账",
            [
                "户编号",
                "乡镇（街道）",
                "村（社区）",
                "户主",
                "户主身份证号",
                "监测对象类型",
                "风险类型",
                "内生动力不足",
                "未清零问题数",
                "措施数",
                "已完成措施数",
                "建档日期",
            ],
        ),
        (
            "帮扶措施",
            [
                "户编号",
                "户主",
                "措施类型",
                "类别",
                "帮扶对象",
                "措施内容",
                "责任单位",
                "责任人",
                "开始日期",
                "完成时限",
                "状态",
                "是否逾期",
                "金额（元）",
                "完成日期",
                "帮扶成效",
                "帮扶后人均纯收入（元）",
                "跟进次数",
            ],
        ),
        (
            "问题清单",
            [
                "户编号",
                "户主",
                "问题类别",
                "问题描述",
                "来源",
                "发现日期",
                "状态",
                "清零日期",
                "清零佐证",
                "天数",
            ],
        ),
    )

    def __init__(self, area: Area, today: datetime.date) -> None:
        self.area, self.today = area, today
        self.ledgers = list(
            Ledger.objects.in_area(area)
            .select_related("household__village", "household__township")
            .order_by("household__village_id", "household__number")
        )
        # A subquery, not a list: an area may hold tens of thousands of ledgers.
        self.household_ids = Ledger.objects.in_area(area).values("household_id")

    def _heads(self) -> dict[int, str]:
        rows = Person.objects.filter(household_id__in=self.household_ids, relation=Relation.HEAD)
        return dict(rows.values_list("household_id", "id_number"))

    def _cases(self) -> dict[int, Any]:
        case = _model("monitoring", "MonitoringCase")
        if case is None:
            return {}
        latest: dict[int, Any] = {}
        cases = case.objects.filter(household_id__in=self.household_ids).prefetch_related("risks")
        for c in cases.order_by("household_id", "verified_on", "pk"):
            latest[c.household_id] = c  # the latest case per household wins
        return latest

    def ledger_rows(self) -> Iterator[list[Any]]:
        heads, cases = self._heads(), self._cases()
        measures = Measure.objects.in_area(self.area)
        counts: dict[int, list[int]] = {}
        for ledger_id, status in measures.values_list("ledger_id", "status"):
            counts.setdefault(ledger_id, [0, 0])[0] += 1
            counts[ledger_id][1] += status == "done"
        open_counts: dict[int, int] = {}
        for hid in (
            Problem.objects.open()
            .filter(household_id__in=self.household_ids)
            .values_list("household_id", flat=True)
        ):
            open_counts[hid] = open_counts.get(hid, 0) + 1
        for lg in self.ledgers:
            h, case = lg.household, cases.get(lg.household_id)
            yield [
                h.number,
                h.township.name,
                h.village.name,
                h.head_name,
                mask_id_number(heads.get(h.pk, "")),
                case.get_household_type_display() if case and case.household_type else "",
                "、".join(case.risk_type_labels) if case else "",
                "是" if lg.low_motivation else "否",
                open_counts.get(h.pk, 0),
                *counts.get(lg.pk, [0, 0]),
                timezone.localtime(lg.created_at).date(),
            ]

    def measure_rows(self) -> Iterator[list[Any]]:
        rows = (
            Measure.objects.in_area(self.area)
            .select_related("kind", "person", "ledger__household")
            .prefetch_related("follow_ups")
            .order_by("ledger__household__number", "start_on", "pk")
        )
        for m in rows:
            h = m.ledger.household
            yield [
                h.number,
                h.head_name,
                m.kind.name,
                m.kind.get_category_display(),
                m.person.name if m.person else "全户",
                m.content,
                m.responsible_unit,
                m.responsible_person,
                m.start_on,
                m.due_on,
                m.get_status_display(),
                "是" if m.is_overdue(self.today) else "否",
                m.amount,
                m.done_on,
                m.effect,
                m.income_after,
                len(m.follow_ups.all()),
            ]

    def problem_rows(self) -> Iterator[list[Any]]:
        rows = (
            Problem.objects.filter(household_id__in=self.household_ids)
            .select_related("household")
            .order_by("household__number", "opened_on", "pk")
        )
        for p in rows:
            yield [
                p.household.number,
                p.household.head_name,
                p.get_kind_display(),
                p.description,
                p.get_source_display(),
                p.opened_on,
                p.get_status_display(),
                p.cleared_on,
                p.evidence,
                p.age_days(self.today),
            ]

    def write(self) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
        header = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        for (title, columns), rows in zip(
            self.sheets, (self.ledger_rows(), self.measure_rows(), self.problem_rows()), strict=True
        ):
            sheet = book.add_worksheet(title)
            sheet.write_row(0, 0, columns, header)
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, len(columns) - 1, 14)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, datetime.date):
                        sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
                    elif value is None:
                        sheet.write_blank(r, c, None)
                    else:
                        sheet.write(r, c, value if not hasattr(value, "as_tuple") else float(value))
        book.close()
        return buffer.getvalue()


@transaction.atomic
def ledgers_export(*, user: Any, area: Area) -> bytes:
    exporter = LedgerExporter(area, timezone.localdate())
    content = exporter.write()
    audit_log(
        user=user,
        action="assistance.ledgers.exported",
        obj=area,
        area_code=area.code,
        after={"ledgers": len(exporter.ledgers)},
        reason="导出帮扶台账",
    )
    return content
