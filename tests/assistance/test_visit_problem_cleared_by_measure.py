"""A problem found on a (simulated) visit is answered by an accepted suggestion and cleared once it is done."""

from __future__ import annotations

import datetime

import pytest

from shouwang.areas.models import Area
from shouwang.assistance import services
from shouwang.assistance.models import Measure, Problem
from shouwang.assistance.selectors import open_problem_count
from tests.assistance.conftest import monitor

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today().isoformat()


def test_the_officer_goes_from_visit_finding_to_cleared_problem(
    client, tongluo_household, tongluo_specialist
):
    monitor(tongluo_household)
    # What the visits app does for a failed checklist item.
    problem = services.problem_open(
        user=tongluo_specialist,
        household=tongluo_household,
        kind="education",
        description="走访发现适龄子女辍学在家",
        source="visit",
        visit_id=5,
    )
    village = Area.objects.get(code="500243102200")
    assert open_problem_count(village) == 1
    client.force_login(tongluo_specialist)
    base = f"/assistance/households/{tongluo_household.pk}"
    key = f"problem:{problem.pk}"
    ledger_page = client.get(f"{base}/ledger/").content.decode()
    assert "教育资助" in ledger_page and key in ledger_page

    form = client.get(f"{base}/measures/new/?suggestion={key}").content.decode()
    assert "县教委" in form  # the kind's responsible unit, prefilled
    response = client.post(
        f"{base}/measures/new/?suggestion={key}",
        {
            "kind": Measure._meta.get_field("kind").related_model.objects.get(code="education_aid").pk,
            "content": "落实控辍保学和教育资助",
            "responsible_unit": "县教委",
            "responsible_person": "黄老师",
            "start_on": TODAY,
            "due_on": TODAY,
            "problems": [problem.pk],
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(ledger__household=tongluo_household)

    refused = client.post(f"/assistance/measures/{measure.pk}/status/", {"status": "done"}, follow=True)
    assert "完成或未见成效时须填写帮扶成效" in refused.content.decode()
    client.post(
        f"/assistance/measures/{measure.pk}/status/", {"status": "done", "effect": "已返校就读", "on": TODAY}
    )
    measure.refresh_from_db()
    assert measure.status == "done" and measure.effect == "已返校就读"

    client.post(
        f"/assistance/problems/{problem.pk}/clear/",
        {"cleared_on": TODAY, "evidence": "学校出具在校证明", "measure": measure.pk},
    )
    problem.refresh_from_db()
    assert problem.status == "cleared" and problem.cleared_measure == measure
    assert open_problem_count(village) == 0
    assert key not in client.get(f"{base}/ledger/").content.decode()


def test_dismissing_a_suggestion_on_the_page_needs_a_reason(client, tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    head = tongluo_household.members.get(name="张大山")
    client.force_login(tongluo_specialist)
    base = f"/assistance/households/{tongluo_household.pk}"
    key = f"care_subsidy:{head.pk}"
    assert f'data-key="{key}"' in client.get(f"{base}/ledger/").content.decode()
    refused = client.post(f"{base}/suggestions/dismiss/", {"key": key, "reason": ""}, follow=True)
    assert "不采纳建议须说明理由" in refused.content.decode()
    client.post(f"{base}/suggestions/dismiss/", {"key": key, "reason": "已按月领取护理补贴"})
    page = client.get(f"{base}/ledger/").content.decode()
    assert f'data-key="{key}"' not in page and "已按月领取护理补贴" in page


def test_the_household_page_shows_the_ledger_summary(client, tongluo_household, tongluo_specialist):
    services.problem_open(user=None, household=tongluo_household, kind="water", description="水源浑浊")
    client.force_login(tongluo_specialist)
    body = client.get(f"/registry/households/{tongluo_household.pk}/").content.decode()
    assert 'id="ledger-section"' in body and "1</span> 个未清零问题" in body
    assert Problem.objects.open().count() == 1
