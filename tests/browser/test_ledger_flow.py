"""Open a monitored household's ledger → accept a suggested measure → mark it done with an effect → clear the
problem; the area's open-problem count drops by one. Screenshot of the one-household file (一户一档)."""

import pytest

from shouwang.assistance import services
from shouwang.assistance.models import Measure, Problem
from tests.assistance.conftest import monitor
from tests.browser.conftest import login, screenshot
from tests.conftest import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_total(page) -> int:  # type: ignore[no-untyped-def]
    page.goto("/assistance/problems/?area=500243102000")
    return int(page.locator("#open-total").inner_text())


def test_officer_clears_a_problem_through_an_accepted_measure(
    page_factory, yushan_officer, tongluo_household
):
    monitor(tongluo_household)
    other = make_household(number="TL0002", members=[{"name": "刘二", "relation": "head"}])
    services.problem_open(user=None, household=other, kind="medical", description="未参加医保")
    problem = services.problem_open(
        user=yushan_officer,
        household=tongluo_household,
        kind="housing",
        description="走访发现房屋墙体开裂",
        visit_id=7,
    )
    page = page_factory()
    login(page, "yushan", "pw-yushan")
    assert open_total(page) == 2

    page.goto(f"/registry/households/{tongluo_household.pk}/")
    page.click("#ledger-section ~ .card a:has-text('查看帮扶台账')")
    page.wait_for_url(f"**/assistance/households/{tongluo_household.pk}/ledger/")
    assert "因残" in page.locator("#causes").inner_text()
    row = page.locator(f"#suggestions tr[data-key='problem:{problem.pk}']")
    assert "住房安全保障" in row.inner_text()
    screenshot(page, "ledger-before")

    row.locator("a:has-text('采纳')").click()
    page.wait_for_url("**/measures/new/**")
    assert page.input_value("#id_responsible_unit") == "县住房城乡建委"
    page.fill("#id_responsible_person", "马工")
    page.fill("#id_due_on", "2099-12-31")
    page.click("#measure-form button[type=submit]")
    page.wait_for_url(f"**/assistance/households/{tongluo_household.pk}/ledger/")
    measure = Measure.objects.get(ledger__household=tongluo_household)
    assert list(measure.problems.all()) == [problem]

    card = page.locator(f"#measure-{measure.pk}")
    card.locator("select[name=status]").select_option("done")
    card.locator("input[name=effect]").fill("完成危房改造，经鉴定为安全住房")
    card.locator("input[name=income_after]").fill("8600")
    card.locator("button:has-text('更新状态')").click()
    page.locator(f"#measure-{measure.pk} .measure-effect").wait_for()
    assert "已完成" in page.locator(f"#measure-{measure.pk} .measure-status").inner_text()

    page.click("#problems-open a:has-text('清零')")
    page.wait_for_url(f"**/problems/{problem.pk}/clear/")
    page.fill("#id_evidence", "危房改造竣工验收单")
    page.select_option("#id_measure", str(measure.pk))
    page.click("#clear-form button[type=submit]")
    page.wait_for_url(f"**/assistance/households/{tongluo_household.pk}/ledger/")
    assert page.locator("#open-problem-count").inner_text() == "0"
    screenshot(page, "ledger-after")
    problem.refresh_from_db()
    assert problem.status == "cleared" and problem.cleared_measure_id == measure.pk

    assert open_total(page) == 1
    assert Problem.objects.open().count() == 1

    page.goto(f"/assistance/households/{tongluo_household.pk}/ledger/print/")
    for title in (
        "一、户基本情况",
        "二、家庭成员",
        "三、残疾情况",
        "五、监测历程",
        "问题清单",
        "帮扶措施及成效",
    ):
        assert title in page.content()
    assert "危房改造竣工验收单" in page.content()
    page.emulate_media(media="print")
    screenshot(page, "ledger-print")
