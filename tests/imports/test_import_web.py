"""Upload → dry-run diff → confirm → done; history; error report; template; who may do it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.imports.models import ImportJob
from shouwang.registry.models import Person
from tests.conftest import new_id
from tests.imports.helpers import person, workbook


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, path):  # type: ignore[no-untyped-def]
    return client.post("/imports/upload/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def test_staff_uploads_checks_confirms_and_sees_the_history(client, county_staff, tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    newcomer = new_id()
    path = workbook(tmp_path / "郁山镇.xlsx", [
        person("TL0001", head.id_number, "张大山", 劳动能力="弱劳动力"), person("TL0001", newcomer, "张小山"),
        person("TL0001", "12", "坏行")])
    client.force_login(county_staff)

    response = _upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "检查结果（尚未写入）" in page and "劳动能力：普通劳动力 → 弱劳动力或半劳动力" in page
    assert "公民身份号码应为18位" in page
    assert not Person.objects.filter(id_number=newcomer).exists()

    client.post(f"/imports/jobs/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.read, job.created, job.updated, job.rejected) == ("done", 3, 1, 1, 1)
    assert Person.objects.filter(id_number=newcomer).exists()

    history = client.get("/imports/").content.decode()
    assert "郁山镇.xlsx" in history and "staff" in history
    report = client.get(f"/imports/jobs/{job.pk}/report.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))["成员信息"].values)
    assert rows[0][0] == "错误原因" and rows[1][1] == 4 and rows[1][6] == "坏行"


def test_progress_endpoint_reports_processed_of_total(client, county_staff, tmp_path):
    path = workbook(tmp_path / "p.xlsx", [person("P1", new_id())])
    client.force_login(county_staff)
    _upload(client, path)
    job = ImportJob.objects.get()
    body = client.get(f"/imports/jobs/{job.pk}/progress/?from=checked").content.decode()
    assert "1 / 1 行" in body and "100%" in body


def test_an_unusable_file_is_reported_on_the_job(client, county_staff, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a workbook")
    client.force_login(county_staff)
    _upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == "failed" and "不是有效的Excel工作簿" in job.message


def test_other_township_cannot_see_the_job_and_specialists_cannot_import(client, yushan_officer, baojia_officer,
                                                                         tongluo_specialist, tmp_path):
    client.force_login(yushan_officer)
    _upload(client, workbook(tmp_path / "y.xlsx", [person("Y1", new_id())]))
    job = ImportJob.objects.get()
    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 200

    client.force_login(baojia_officer)
    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert "y.xlsx" not in client.get("/imports/").content.decode()
    client.force_login(tongluo_specialist)
    assert client.get("/imports/upload/").status_code == 403


def test_blank_template_has_both_sheets_and_instructions(client, county_staff):
    client.force_login(county_staff)
    response = client.get("/imports/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["成员信息", "家庭收入", "填写说明"]
    assert [c.value for c in book["成员信息"][1]][:6] == ["户编号", "乡镇（街道）", "村（社区）", "与户主关系", "姓名", "公民身份号码"]
    assert any("5.00243E+17" in str(c.value) for row in book["填写说明"].iter_rows() for c in row)
