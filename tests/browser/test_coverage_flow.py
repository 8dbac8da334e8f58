"""County staff re-run the coverage audit, read the chart, open a missed person from the list and record the
subsidy by hand; the person's finding disappears. Screenshots of the overview and the person section."""

import pytest

from tests.benefits.conftest import DIBAO, MILD, person
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_finds_a_missed_person_and_records_the_subsidy(page_factory, pengshui, county_staff):
    who = person(household=DIBAO, disability=MILD, name="漏享者")
    page = page_factory()
    login(page, "staff", "pw-staff")
    page.goto("/benefits/")
    page.click("button:has-text('重新核查')")
    page.wait_for_selector("#coverage-chart canvas")
    screenshot(page, "coverage-overview")
    page.click("a[href*='/benefits/rules/LIVING_SUBSIDY/'][href*='kind=missed']")
    page.click("a:has-text('漏享者')")
    page.wait_for_url(f"**/registry/persons/{who.pk}/")
    findings = page.locator("#benefit-findings").inner_text()
    assert "困难残疾人生活补贴：符合条件，未享受" in findings
    page.click("a:has-text('登记享受记录')")
    page.select_option("#id_kind", "living_subsidy")
    page.fill("#id_start_on", "2026-01-01")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/registry/persons/{who.pk}/")
    assert "困难残疾人生活补贴：符合条件，未享受" not in page.content()
    screenshot(page, "coverage-person-section")
