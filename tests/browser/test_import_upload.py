"""Upload a workbook → the check's progress and diff → confirm → progress to done → download the error report."""

from __future__ import annotations

import openpyxl
import pytest

from shouwang.imports.models import ImportJob
from shouwang.registry.models import Person
from tests.browser.conftest import login, screenshot
from tests.conftest import new_id
from tests.imports.helpers import person, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_officer_uploads_a_workbook_confirms_and_downloads_the_error_report(page_factory, yushan_officer,
                                                                           tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    newcomer = new_id()
    path = workbook(tmp_path / "铜锣村名册.xlsx", [
        person("TL0001", head.id_number, "张大山", 劳动能力="丧失劳动力"),
        person("TL0001", newcomer, "张小山", relation="之子"),
        person("GG0001", new_id(), "外镇人", township="高谷镇", village="大青村"),
    ], title="郁山镇残疾人信息表")
    page = page_factory()
    login(page, "yushan", "pw-yushan")

    page.goto("/imports/")
    page.click("a:has-text('上传文件')")
    assert "户籍信息" in page.locator("#templates").inner_text()
    screenshot(page, "import-upload")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并检查')")
    page.locator("#job-counts").wait_for()
    assert "100%" in page.locator("#job-progress").inner_text()
    assert "劳动能力：普通劳动力 → 丧失劳动力" in page.locator("#import-diff").inner_text()
    assert "不在您的管辖范围内" in page.locator("#import-errors").inner_text()
    screenshot(page, "import-dry-run")
    assert not Person.objects.filter(id_number=newcomer).exists()

    page.click("#confirm-import")
    page.locator("h2:has-text('导入结果')").wait_for()
    progress = page.locator("#job-progress").inner_text()
    assert "已完成" in progress and "3 / 3 行" in progress
    screenshot(page, "import-done")
    assert Person.objects.filter(id_number=newcomer).exists()
    assert ImportJob.objects.get().status == "done"

    with page.expect_download() as download_info:
        page.click("#error-report")
    report = tmp_path / "report.xlsx"
    download_info.value.save_as(report)
    rows = list(openpyxl.load_workbook(report)["成员信息"].values)
    assert rows[1][1] == 5 and "第5行【村（社区）】" in rows[1][0]
