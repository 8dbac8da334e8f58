"""Log in → search a person by ID number → open the household → see the masked ID → reveal with a reason."""

import pytest

from shouwang.audit.models import AuditEntry
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_household_by_id_number_and_reveals_it(page_factory, yushan_officer, tongluo_household):
    person = tongluo_household.members.get(name="张大山")
    masked = person.id_number[:6] + "********" + person.id_number[-4:]
    page = page_factory()
    login(page, "yushan", "pw-yushan")

    page.goto("/registry/households/")
    page.fill("input[name=q]", person.id_number)
    page.click("button:has-text('查询')")
    page.click(f"#household-table a:has-text('{tongluo_household.number}')")
    page.wait_for_url(f"**/registry/households/{tongluo_household.pk}/")

    row = page.locator("#members tr", has_text="张大山")
    assert masked in row.inner_text()
    assert person.id_number not in page.content()
    screenshot(page, "household-masked")

    row.locator("summary:has-text('查看')").click()
    row.locator("input[name=reason]").fill("核实残疾人证信息")
    row.locator("button:has-text('确认查看')").click()
    row.locator(".sw-revealed").wait_for()
    assert person.id_number in row.inner_text()
    screenshot(page, "household-revealed")
    assert AuditEntry.objects.filter(action="registry.person.revealed", reason="核实残疾人证信息").count() == 1
