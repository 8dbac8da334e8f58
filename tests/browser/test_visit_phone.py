"""On a 360×740 phone: a village specialist opens an overdue visit, fills the checklist with one failed item
and saves; the problem and the referrals appear on the household page."""

import datetime

import pytest

from shouwang.assistance.models import Problem
from shouwang.visits import services
from shouwang.visits.defaults import referral_targets_ensure
from shouwang.visits.models import Referral
from tests.browser.conftest import login, screenshot
from tests.visits.conftest import monitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def referral_targets(transactional_db):  # type: ignore[no-untyped-def]
    referral_targets_ensure()  # seeded by a migration, but flushed after every transactional test


def test_specialist_records_an_overdue_visit_on_a_phone(page_factory, tongluo_specialist, tongluo_household):
    monitor(tongluo_household, since=datetime.date(2025, 6, 1))
    visit = services.visit_plan(user=tongluo_specialist, household=tongluo_household,
                                day=datetime.date(2025, 7, 1))  # due by the end of Q3 2025: overdue now
    page = page_factory(360, 740)
    login(page, "tongluo", "pw-tongluo")

    assert "1 户访视逾期" in page.inner_text("main")
    screenshot(page, "visit-phone-home")
    page.click("text=去访视")
    screenshot(page, "visit-phone-list")
    page.locator("#visit-list .list-group-item", has_text="TL0001").get_by_text("录入访视").click()
    page.wait_for_url(f"**/visits/{visit.pk}/record/")
    assert "已逾期" in page.inner_text(".sw-visit-head")

    for item in ("food", "clothing", "education", "medical", "water"):
        page.locator(f"#checklist [data-item={item}] label", has_text="有保障").click()
    housing = page.locator("#checklist [data-item=housing]")
    housing.locator("label", has_text="未保障").click()
    housing.locator("input[name=note_housing]").fill("屋顶漏雨，需维修")
    page.locator("label", has_text="辅助器具").click()
    screenshot(page, "visit-phone-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    page.click("button:has-text('保存访视')")
    page.wait_for_url(f"**/registry/households/{tongluo_household.pk}/")
    body = page.inner_text("main")
    assert "访视已保存" in body
    for name in ("村两委", "县残联", "农业农村委（乡村振兴）", "住房城乡建委"):
        assert name in page.inner_text("#household-referrals")
    assert "住房安全未保障" in page.inner_text("#visit-history")
    problem = Problem.objects.get(household=tongluo_household)
    assert problem.kind == "housing"
    assert "屋顶漏雨" in body  # the ledger's section lists the open problem
    assert Referral.objects.filter(visit=visit).count() == 4
    screenshot(page, "visit-phone-household")
    page.locator("#visits").scroll_into_view_if_needed()
    page.locator("#visit-section").screenshot(path=str(screenshot(page, "visit-phone-household").parent
                                                      / "visit-phone-section.png"))


def test_liaison_answers_a_referral_on_a_phone(page_factory, liaison, tongluo_specialist, tongluo_household):
    from shouwang.visits.models import ReferralTarget

    referral = services.referral_send(user=tongluo_specialist, household=tongluo_household,
                                      target=ReferralTarget.objects.get(code="civil"), subject="申请临时救助",
                                      facts="户主住院，家庭暂无收入")
    page = page_factory(360, 740)
    login(page, "liaison", "pw-liaison")
    assert "未读通知 1 条" in page.inner_text("main")
    page.click("text=查看通知")
    page.click("text=新转介：申请临时救助")
    page.wait_for_url(f"**/visits/referrals/{referral.pk}/")
    facts = page.inner_text("#referral-facts")
    assert "张大山" in facts and "138****5678" in facts
    page.click("button:has-text('确认接收')")
    page.fill("textarea[name=answer]", "已纳入临时救助，发放2000元")
    screenshot(page, "referral-phone-liaison")
    page.click("button:has-text('提交办理结果')")
    assert "已纳入临时救助" in page.inner_text("#referral-answer")
    referral.refresh_from_db()
    assert referral.status == "handled"
