"""The village public notice (村内公示) lists households under notice, prints and exports, and never shows
an ID number, phone, bank account or any health or disability detail."""

import io

import openpyxl
import pytest

from shouwang.audit.models import AuditEntry
from tests.conftest import make_household
from tests.monitoring.conftest import walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def noticed(tongluo_household, tongluo_specialist):  # type: ignore[no-untyped-def]
    walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    return tongluo_household


def _forbidden(household) -> list[str]:  # type: ignore[no-untyped-def]
    members = list(household.members.select_related("disability"))
    values = [household.phone, "13812345678"]
    for m in members:
        values += [m.id_number, m.id_number[-6:]]
        if hasattr(m, "disability"):
            values += [m.disability.certificate_number, m.disability.get_category_display(), "残疾"]
    return values + ["因病", "因残", "银行", "账号", "身份证", "电话"]


def test_notice_lists_the_household_without_sensitive_fields(client, noticed, tongluo_specialist):
    client.force_login(tongluo_specialist)
    html = client.get("/monitoring/notice/").content.decode()
    table = html.split('id="notice-table"')[1].split("</table>")[0]
    assert "张大山" in table and noticed.number in table and "2026-03-04" in table and "2026-03-08" in table
    for value in _forbidden(noticed):
        assert value not in table, value
    assert "notice-print.css" in html and "window.print()" in html


def test_notice_export_has_no_sensitive_field_and_is_logged(client, noticed, tongluo_specialist):
    client.force_login(tongluo_specialist)
    response = client.get("/monitoring/notice/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "张大山" in cells and "铜锣村拟纳入防止返贫致贫对象名单公示" in cells
    for value in _forbidden(noticed):
        assert value not in cells, value
    assert AuditEntry.objects.filter(action="monitoring.notice.exported", area_code="500243102200").exists()


def test_notice_shows_only_households_under_notice(client, noticed, tongluo_specialist, yushan_officer):
    other = make_household(number="TL0002", members=[{"name": "未公示户"}])
    walk(other, to="notice", specialist=tongluo_specialist)
    client.force_login(yushan_officer)
    html = client.get("/monitoring/notice/?village=500243102200").content.decode()
    assert "张大山" in html and "未公示户" not in html


def test_other_township_cannot_open_the_notice(client, noticed, baojia_officer):
    client.force_login(baojia_officer)
    assert client.get("/monitoring/notice/?village=500243102200").status_code == 404
