"""Export of the household list: masked by default, plain text only with permission and a reason, always
audited, formula cells neutralised, the user's area and filters respected, and export → import changes nothing."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from shouwang.audit.models import AuditEntry
from shouwang.registry import services
from tests.conftest import make_household
from tests.imports.helpers import counts, run


@pytest.fixture
def registry(pengshui, tongluo_household, baojia_household):  # type: ignore[no-untyped-def]
    services.income_record_save(user=None, household=tongluo_household, year=2024, wage_income=12000,
                                transfer_income="3000.50", medical_spending=800)
    return make_household(number="=HYPERLINK(1)", members=[
        {"name": "@王", "relation": "head", "disability": {"category": 5, "grade": 1}, "living_status": "deceased",
         "status_date": "2023-01-02"},
        {"name": "+李", "relation": "daughter"},
    ], poverty_status="lifted", lifted_year=2019, assistance_status="tekun", phone="13900001111")


def _export(client, fmt="xlsx", query="", **extra):  # type: ignore[no-untyped-def]
    response = client.post("/imports/export/", {"format": fmt, "query": query, **extra})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def _sheet_rows(data: bytes, name: str) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data))[name].values)


def test_export_is_masked_by_default_and_audited(client, county_staff, registry, tongluo_household):
    head = tongluo_household.members.get(name="张大山")
    client.force_login(county_staff)

    rows = _sheet_rows(_export(client), "成员信息")

    assert rows[0][5] == "公民身份号码"
    exported = {r[4]: r for r in rows[1:]}
    assert exported["张大山"][5] == head.id_number[:6] + "********" + head.id_number[-4:]
    assert head.id_number not in str(rows)
    entry = AuditEntry.objects.get(action="imports.registry.exported")
    assert entry.after["plaintext"] is False and entry.after["households"] == 3


def test_plaintext_export_needs_a_reason(client, county_staff, registry):
    client.force_login(county_staff)
    response = client.post("/imports/export/", {"format": "xlsx", "plaintext": "on", "reason": ""})
    assert response.status_code == 200 and "明文导出须填写原因".encode() in response.content
    assert not AuditEntry.objects.filter(action="imports.registry.exported").exists()


def test_cells_starting_with_formula_characters_are_neutralised(client, county_staff, registry):
    client.force_login(county_staff)
    rows = _sheet_rows(_export(client), "成员信息")
    assert {r[0] for r in rows[1:]} >= {"'=HYPERLINK(1)"}
    assert {r[4] for r in rows[1:]} >= {"'@王", "'+李"}
    text = _export(client, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYP" not in text


def test_township_officer_exports_only_their_township_and_filters_apply(client, yushan_officer, registry):
    client.force_login(yushan_officer)
    rows = _sheet_rows(_export(client), "成员信息")
    assert "王小川" not in {r[4] for r in rows[1:]}
    filtered = _sheet_rows(_export(client, query="severe=1"), "成员信息")
    assert {r[0] for r in filtered[1:]} == {"TL0001"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_plaintext_export_imports_back_with_zero_changes(client, county_staff, registry, tmp_path, fmt):
    client.force_login(county_staff)
    data = _export(client, fmt, plaintext="on", reason="年度核对")
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    if fmt == "csv":
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[0] == "户编号"

    result = run(path, county_staff)

    totals = counts(result)
    assert totals["rejected"] == 0, result.errors
    assert totals["created"] == 0 and totals["updated"] == 0
    assert totals["unchanged"] == totals["read"] == (5 if fmt == "csv" else 6)
    assert AuditEntry.objects.get(action="imports.registry.exported").reason == "年度核对"


def test_household_list_has_an_export_button_that_keeps_the_filters(client, yushan_officer, registry):
    client.force_login(yushan_officer)
    page = client.get("/registry/households/?severe=1").content.decode()
    assert 'href="/imports/export/?severe=1"' in page
    form = client.get("/imports/export/?severe=1").content.decode()
    assert 'name="query" value="severe=1"' in form and "1 户" in form
