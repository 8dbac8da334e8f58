"""A village specialist records the home verification on a phone, the township officer reviews after the
notice, county staff confirm; the household page then shows it monitored with its type and risk types."""

import datetime

import pytest
from django.utils import timezone

from shouwang.monitoring.services import lead_open
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def _submit(page, action: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#form-{action} button[type=submit]")
    page.wait_for_selector(".alert-success")


def test_lead_to_county_confirmation_across_three_roles(
    page_factory, tongluo_household, tongluo_specialist, yushan_officer, county_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    lead = lead_open(
        user=tongluo_specialist,
        household=tongluo_household,
        source="visit",
        evidence={"finding": "户主住院"},
        found_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    signed = tmp_path / "授权承诺书.jpg"
    signed.write_bytes(b"\xff\xd8\xff\xe0 signed")

    phone = page_factory(390, 844)
    login(phone, "tongluo", "pw-tongluo")
    phone.goto("/monitoring/")
    screenshot(phone, "monitoring-phone-queue")
    phone.click(f"#queue-verify ~ div tr[data-lead='{lead.pk}'] a:has-text('办理')")
    phone.fill("#form-verify input[name=verified_on]", _day(9))
    phone.set_input_files("#form-verify input[name=authorisation]", str(signed))
    phone.fill("#form-verify textarea[name=note]", "户主住院，医疗支出大")
    screenshot(phone, "monitoring-phone-verify-form")
    _submit(phone, "verify")
    assert "待民主评议" in phone.inner_text("#lead-status")
    phone.select_option("#form-village_review select[name=result]", "agreed")
    phone.fill("#form-village_review input[name=reviewed_on]", _day(8))
    _submit(phone, "village_review")
    phone.fill("#form-notice input[name=started_on]", _day(7))
    _submit(phone, "notice")
    assert "公示中" in phone.inner_text("#lead-status")
    screenshot(phone, "monitoring-phone-after-notice")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the lead page scrolls sideways on a phone ({width}px)"

    notice = page_factory()
    login(notice, "tongluo", "pw-tongluo")
    notice.goto("/monitoring/notice/")
    notice.emulate_media(media="print")
    printed = notice.inner_text("main")
    assert "张大山" in printed and "铜锣村拟纳入" in printed
    assert "打印" not in printed or not notice.is_visible("button:has-text('打印')")
    screenshot(notice, "monitoring-notice-print")

    desk = page_factory()
    login(desk, "yushan", "pw-yushan")
    desk.goto("/monitoring/")
    desk.click(f"#queue-township ~ div tr[data-lead='{lead.pk}'] a:has-text('办理')")
    desk.fill("#form-township_review input[name=reviewed_on]", _day(0))
    _submit(desk, "township_review")
    assert "待县级审定" in desk.inner_text("#lead-status")

    county = page_factory()
    login(county, "staff", "pw-staff")
    county.goto("/monitoring/")
    county.click(f"#queue-county ~ div tr[data-lead='{lead.pk}'] a:has-text('办理')")
    county.select_option("#form-confirm select[name=household_type]", "unstable")
    county.check("#form-confirm input[value=illness]")
    county.check("#form-confirm input[value=labour]")
    screenshot(county, "monitoring-county-confirm-form")
    _submit(county, "confirm")

    county.goto(f"/registry/households/{tongluo_household.pk}/")
    status = county.inner_text("#monitoring-status")
    assert "脱贫不稳定户" in status and "因病" in status and "缺劳动力" in status
    screenshot(county, "monitoring-household-monitored")
    county.goto("/monitoring/households/")
    row = county.locator("#monitored-table tr", has_text=tongluo_household.number)
    assert "脱贫不稳定户" in row.inner_text()
    screenshot(county, "monitoring-monitored-list")
