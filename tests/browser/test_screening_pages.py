"""Screening pages in a real browser: the chart draws, drill-down links work, phone width does not spill."""

from __future__ import annotations

import pytest

from shouwang.registry import services
from tests.browser.conftest import login, screenshot
from tests.conftest import TONGLUO, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screened(yushan_officer, tongluo_household):
    services.income_record_save(user=yushan_officer, household=tongluo_household, year=2025, wage_income="5420")
    for i in range(4):
        make_household(number=f"SC{i:04d}", village=TONGLUO, water_safety="unsafe", members=[
            {"name": f"户主{i}", "relation": "head", "disability": {"category": 4, "grade": 1 + i % 4}}])
    return tongluo_household


@pytest.mark.parametrize("width", [1366, 390])
def test_officer_drills_down_from_the_summary_to_a_households_hits(page_factory, yushan_officer, screened, width):
    page = page_factory(width=width)
    login(page, "yushan", "pw-yushan")
    page.goto("/screening/")
    page.wait_for_selector("#rule-chart canvas")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"screening-summary-{width}")
    page.click("#by-area a:has-text('铜锣村')")
    page.click("#hit-households a:has-text('TL0001')")
    page.wait_for_selector("#screening-hits")
    assert "人均纯收入 2,710 元 < 监测标准" in page.inner_text("#screening-hits")
    screenshot(page, f"screening-household-{width}")


def test_what_if_page_shows_households_entering(page_factory, county_admin, screened):
    healthy = make_household(number="HEALTHY", village=TONGLUO)
    services.income_record_save(user=county_admin, household=healthy, year=2025, wage_income="15000")
    page = page_factory()
    login(page, "admin", "pw-admin")
    page.goto("/screening/what-if/")
    page.fill("#id_income_line", "20000")
    page.click("form.sw-form button[type=submit]")
    page.wait_for_selector("#what-if-rules")
    assert int(page.inner_text("#entering")) == 1
    assert "HEALTHY" in page.inner_text("#entering-list")
    screenshot(page, "screening-what-if")
