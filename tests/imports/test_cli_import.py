"""`shouwang import registry FILE`: JSON counts, the error report, exit status 2 for an unusable file."""

from __future__ import annotations

import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shouwang.registry.models import Person
from tests.conftest import new_id
from tests.imports.helpers import person, workbook


def test_json_output_has_counts_and_every_error(pengshui, tmp_path):
    good = new_id()
    path = workbook(tmp_path / "in.xlsx", [person("H1", good), person("H2", _broken(new_id()), "李四")])
    out = StringIO()

    call_command("import", "registry", str(path), "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert {k: data[k] for k in ("read", "created", "updated", "unchanged", "rejected")} == {
        "read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert data["errors"] == [{"sheet": "成员信息", "row": 3, "column": "公民身份号码", "reason": "公民身份号码校验位错误，请核对号码"}]
    assert Person.objects.filter(id_number=good).exists()


def _broken(id_number: str) -> str:
    """The same number with a wrong check digit."""
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:17] + last


def test_dry_run_writes_nothing_and_report_lists_rejected_rows(pengshui, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [person("H1", new_id()), person("H2", "123", "李四")])
    report = tmp_path / "errors.xlsx"

    call_command("import", "registry", str(path), "--dry-run", "--report", str(report), stdout=StringIO())

    assert Person.objects.count() == 0
    sheet = openpyxl.load_workbook(report)["成员信息"]
    rows = list(sheet.values)
    assert rows[0][:3] == ("错误原因", "原行号", "户编号")
    assert rows[1][1] == 3 and rows[1][2] == "H2" and "18位" in rows[1][0] and "第3行【公民身份号码】" in rows[1][0]


def test_a_file_that_is_not_a_workbook_exits_with_status_2(pengshui, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("just some notes")
    with pytest.raises(CommandError) as exc:
        call_command("import", "registry", str(path), stdout=StringIO())
    assert exc.value.returncode == 2
    assert "不是有效的Excel工作簿" in str(exc.value)


def test_a_workbook_without_a_recognisable_header_exits_with_status_2(pengshui, tmp_path):
    path = workbook(tmp_path / "other.xlsx", [{"名称": "x"}], person_header=["名称", "数量"])
    with pytest.raises(CommandError) as exc:
        call_command("import", "registry", str(path), stdout=StringIO())
    assert exc.value.returncode == 2
    assert "没有可识别的表头" in str(exc.value)
