"""Kept facts: a benefit import marks the household the person belongs to when the
records are written, not the one read when the file was checked (a move in between, e.g. by another
user while a large file is validated, and a run in between)."""

import datetime

import openpyxl
import pytest

from shouwang.benefits.facts import facts_invalidate
from shouwang.benefits.importers import BenefitRecordImporter
from shouwang.benefits.services import coverage_run
from shouwang.imports.services import import_file
from shouwang.registry import services as registry
from tests.benefits.conftest import DAY, SEVERE, person
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def _living(run) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return dict(run.findings.filter(rule="LIVING_SUBSIDY").values_list("person_id", "reason"))


def test_records_imported_for_a_person_who_moved_meanwhile_reach_the_next_run(tmp_path, county_admin, pengshui,
                                                                                monkeypatch):
    who = person(disability=SEVERE, household={"assistance_status": "dibao"}, name="张三")
    new_home = make_household(members=[{"name": "户主"}], assistance_status="dibao")
    assert _living(coverage_run(county=pengshui, day=DAY)) == {who.pk: "MISSED"}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "享受记录"
    sheet.append(["公民身份号码", "姓名", "政策项目", "起始日期", "终止日期", "月标准"])
    sheet.append([who.id_number, "张三", "生活补贴", datetime.date(2025, 1, 1), None, 100])
    book.save(tmp_path / "records.xlsx")
    write = BenefitRecordImporter.write

    def moved_while_checking(self, sheets):  # type: ignore[no-untyped-def]
        registry.person_move(user=None, person=who, household=new_home)  # another user, meanwhile
        coverage_run(county=pengshui, day=DAY)  # and a run (it takes the move's marks)
        return write(self, sheets)

    monkeypatch.setattr(BenefitRecordImporter, "write", moved_while_checking)
    import_file(user=county_admin, path=tmp_path / "records.xlsx", kind="benefits")

    kept = _living(coverage_run(county=pengshui, day=DAY))
    facts_invalidate()
    rebuilt = _living(coverage_run(county=pengshui, day=DAY))
    assert rebuilt == {}  # receiving now
    assert kept == rebuilt
