"""Benefit records import from a workbook keyed by ID number, with the framework's guarantees."""

import datetime

import openpyxl
import pytest

from shouwang.audit.models import AuditEntry
from shouwang.benefits.models import BenefitRecord
from shouwang.imports.services import import_file
from tests.benefits.conftest import MILD, person
from tests.conftest import new_id

pytestmark = pytest.mark.django_db
HEADER = ["公民身份号码", "姓名", "政策项目", "起始日期", "终止日期", "月标准"]


def _workbook(tmp_path, rows):  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "享受记录"
    sheet.append(["2026年困难残疾人两项补贴发放名册"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "benefits.xlsx"
    book.save(path)
    return path


def test_import_creates_records_and_rejects_bad_rows_with_reasons(tmp_path, county_admin):
    who = person(disability=MILD, name="张三")
    path = _workbook(tmp_path, [
        [who.id_number, "张三", "生活补贴", "2026-01-01", None, 100],
        [who.id_number, "张三", "重度残疾人护理补贴", datetime.date(2026, 1, 1), None, 110],
        [new_id(), "李四", "生活补贴", "2026-01-01", None, 100],
        [who.id_number, "王五", "护理补贴", "2025-01-01", None, 100],
        [who.id_number, "张三", "发钱", "2026-01-01", None, 100],
    ])
    _job, result = import_file(user=county_admin, path=path, kind="benefits")
    totals = result.totals()
    assert (totals.read, totals.created, totals.rejected) == (5, 2, 3)
    reasons = {e.row: e.reason for e in result.errors}
    assert "未在您的管辖范围内登记" in reasons[5]
    assert "姓名与户籍登记（张三）不一致" in reasons[6]
    assert "政策项目“发钱”不在可选范围内" in reasons[7]
    records = BenefitRecord.objects.filter(person=who).order_by("kind")
    assert [(r.kind, r.monthly_amount, r.source) for r in records] == [
        ("care_subsidy", 110, "import"), ("living_subsidy", 100, "import")]
    assert AuditEntry.objects.filter(action="benefits.import.batch").exists()


def test_reimport_updates_the_end_date_and_leaves_others_unchanged(tmp_path, county_admin):
    who = person(disability=MILD, name="张三")
    import_file(user=county_admin, path=_workbook(tmp_path, [[who.id_number, "张三", "生活补贴", "2026-01-01", None, 100]]),
                kind="benefits")
    path = _workbook(tmp_path, [
        [who.id_number, "张三", "生活补贴", "2026-01-01", "2026-06-30", 100],
        [who.id_number, "张三", "生活补贴", "2026-01-01", "2026-06-30", 100],
    ])
    _job, result = import_file(user=county_admin, path=path, kind="benefits")
    totals = result.totals()
    assert (totals.updated, totals.unchanged, totals.created) == (1, 1, 0)
    assert BenefitRecord.objects.get(person=who).end_on == datetime.date(2026, 6, 30)


def test_township_officer_cannot_import_for_another_township(tmp_path, baojia_officer):
    who = person(disability=MILD, name="张三")  # 郁山镇铜锣村
    path = _workbook(tmp_path, [[who.id_number, "张三", "生活补贴", "2026-01-01", None, 100]])
    _job, result = import_file(user=baojia_officer, path=path, kind="benefits")
    assert result.totals().rejected == 1
    assert not BenefitRecord.objects.exists()


def test_dry_run_writes_nothing(tmp_path, county_admin):
    who = person(disability=MILD, name="张三")
    path = _workbook(tmp_path, [[who.id_number, "张三", "生活补贴", "2026-01-01", None, 100]])
    _job, result = import_file(user=county_admin, path=path, kind="benefits", dry_run=True)
    assert result.totals().created == 1
    assert not BenefitRecord.objects.exists()
