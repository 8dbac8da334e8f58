"""Every registry page at desktop (1366 px) and phone (390 px) width: nothing spills sideways, screenshots kept."""

from __future__ import annotations

import datetime

import pytest

from shouwang.registry import services
from tests.browser.conftest import login, screenshot
from tests.conftest import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture
def household(yushan_officer, tongluo_household):
    head = tongluo_household.members.get(name="张大山")
    services.person_update(user=yushan_officer, person=head, labour_capacity="lost", needs_rehabilitation=True)
    services.household_update(user=yushan_officer, household=tongluo_household, assistance_status="dibao",
                              housing_safety="safe", housing_checked_on=datetime.date(2025, 4, 2))
    services.income_record_save(user=yushan_officer, household=tongluo_household, year=2025, wage_income="9600",
                                transfer_income="3200", medical_spending="2100")
    services.helper_set(user=yushan_officer, household=tongluo_household, kind="paired", name="刘帮扶",
                        phone="13700002222")
    for i in range(12):
        make_household(number=f"TL{i + 2:04d}", members=[
            {"name": f"户主{i}", "relation": "head", "disability": {"category": 1 + i % 7, "grade": 1 + i % 4}},
            {"name": f"配偶{i}", "relation": "spouse"}])
    return tongluo_household


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("device", WIDTHS)
def test_officer_pages_fit_desktop_and_phone(page_factory, yushan_officer, household, device):
    page = page_factory(width=WIDTHS[device], height=860)
    page.goto("/login/")
    assert fits_the_screen(page)
    screenshot(page, f"registry-login-{device}")
    login(page, "yushan", "pw-yushan")
    person = household.members.get(name="张大山")
    pages = {
        "home": "/",
        "list": "/registry/households/",
        "list-empty": "/registry/households/?q=无此人",
        "household": f"/registry/households/{household.pk}/",
        "person": f"/registry/persons/{person.pk}/",
        "household-form": f"/registry/households/{household.pk}/edit/",
        "person-form": f"/registry/persons/{person.pk}/edit/",
        "income-form": f"/registry/households/{household.pk}/income/",
    }
    for name, path in pages.items():
        page.goto(path)
        assert fits_the_screen(page), f"{name} scrolls sideways at {WIDTHS[device]} px"
        screenshot(page, f"registry-{name}-{device}")
    page.goto(pages["household"])
    history = page.locator("#history").inner_text()
    assert "社会救助" in history and "assistance_status" not in history
    assert person.id_number not in page.content()


@pytest.mark.parametrize("device", WIDTHS)
def test_audit_page_fits_desktop_and_phone(page_factory, county_admin, household, device):
    page = page_factory(width=WIDTHS[device], height=860)
    login(page, "admin", "pw-admin")
    page.goto("/audit/")
    assert fits_the_screen(page)
    screenshot(page, f"audit-list-{device}")


@pytest.mark.parametrize("device", WIDTHS)
def test_leader_home_shows_charts_and_no_names(page_factory, leader, household, device):
    page = page_factory(width=WIDTHS[device], height=860)
    login(page, "leader", "pw-leader")
    page.locator("#chart-by-category canvas").wait_for()
    page.locator("#chart-by-area canvas").wait_for()
    assert fits_the_screen(page)
    text = page.content()
    assert "张大山" not in text and "户主0" not in text
    screenshot(page, f"leader-home-{device}")
