"""The upload page lets the user choose what the file holds (registry or benefit records); each kind is
offered and accepted only to users holding its permission, and the job runs the chosen importer."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.accounts.models import Role
from shouwang.accounts.roles import ROLE_PERMISSIONS
from shouwang.benefits.models import BenefitRecord
from shouwang.imports.models import ImportJob
from shouwang.imports.services import import_job_create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _benefit_file(tmp_path, id_number: str) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "享受记录"
    sheet.append(["公民身份号码", "姓名", "政策项目", "起始日期", "月标准"])
    sheet.append([id_number, "张大山", "生活补贴", "2026-01-01", 100])
    path = tmp_path / "两项补贴.xlsx"
    book.save(path)
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_staff_imports_benefit_records_from_the_upload_page(client, county_staff, tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    client.force_login(county_staff)

    page = client.get("/imports/upload/").content.decode()
    assert 'value="registry"' in page and 'value="benefits"' in page and "户籍信息（成员信息、家庭收入）" in page

    response = client.post("/imports/upload/", {"kind": "benefits", "file": _benefit_file(tmp_path, head.id_number)})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.kind == "benefits"
    assert (job.status, job.read, job.created) == ("checked", 1, 1)  # the dry run, before confirming
    assert not BenefitRecord.objects.exists()
    client.post(f"/imports/jobs/{job.pk}/confirm/")
    assert BenefitRecord.objects.get().person == head
    assert "政策享受记录" in client.get("/imports/").content.decode()


def test_a_kind_without_its_permission_is_neither_offered_nor_accepted(client, county_staff, tongluo_household,
                                                                      tmp_path, monkeypatch):
    staff = ROLE_PERMISSIONS[Role.COUNTY_STAFF] - {"benefits.change_benefitrecord"}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.COUNTY_STAFF, staff)
    head = tongluo_household.members.get(name="张大山")
    client.force_login(county_staff)

    assert 'value="benefits"' not in client.get("/imports/upload/").content.decode()
    response = client.post("/imports/upload/", {"kind": "benefits", "file": _benefit_file(tmp_path, head.id_number)})

    assert response.status_code == 200 and "kind" in response.context["form"].errors
    with pytest.raises(PermissionDenied):  # nor through the service the CLI and the tasks use
        import_job_create(user=county_staff, upload=_benefit_file(tmp_path, head.id_number), kind="benefits")
    assert not ImportJob.objects.exists()


def test_users_who_may_not_import_get_no_upload_page(client, leader):
    client.force_login(leader)
    assert client.get("/imports/upload/").status_code in (403, 404)


def test_each_kind_has_its_blank_template_and_a_kind_without_permission_has_none(client, county_staff, monkeypatch):
    client.force_login(county_staff)
    page = client.get("/imports/upload/").content.decode()
    assert "/imports/template.xlsx?kind=registry" in page and "/imports/template.xlsx?kind=benefits" in page

    response = client.get("/imports/template.xlsx?kind=benefits")
    assert "%E6%94%BF%E7%AD%96%E4%BA%AB%E5%8F%97%E8%AE%B0%E5%BD%95" in response["Content-Disposition"]  # 政策享受记录
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["享受记录", "填写说明"]
    assert [c.value for c in book["享受记录"][1]][:4] == ["公民身份号码", "姓名", "政策项目", "起始日期"]
    assert {row[0].value for row in book["填写说明"].iter_rows(min_row=8)} == {"享受记录"}

    assert client.get("/imports/template.xlsx?kind=nonsense").status_code == 404
    staff = ROLE_PERMISSIONS[Role.COUNTY_STAFF] - {"benefits.change_benefitrecord"}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.COUNTY_STAFF, staff)
    assert client.get("/imports/template.xlsx?kind=benefits").status_code == 404
    assert client.get("/imports/template.xlsx").status_code == 200
