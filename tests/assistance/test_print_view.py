"""一户一档: the print view holds every section for a household with a full history, IDs masked."""

from __future__ import annotations

import datetime

import pytest

from shouwang.assistance import services
from shouwang.assistance.models import Ledger, Problem
from shouwang.registry.services import household_update, income_record_save
from shouwang.visits.choices import CheckItem
from shouwang.visits.services import visit_record
from tests.assistance.conftest import add_measure
from tests.monitoring.conftest import walk

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def full_history(tongluo_household, tongluo_specialist, yushan_officer, county_staff):  # type: ignore[no-untyped-def]
    household = tongluo_household
    income_record_save(
        user=None, household=household, year=TODAY.year - 1, wage_income=9000, transfer_income=1200
    )
    walk(
        household,
        to="monitored",
        specialist=tongluo_specialist,
        officer=yushan_officer,
        staff=county_staff,
        found_on=TODAY - datetime.timedelta(days=20),
    )
    household_update(user=None, household=household, water_safety="unsafe")  # screening hit → problem
    ledger = Ledger.objects.get(household=household)
    checks = dict.fromkeys(CheckItem.values, (True, "")) | {"housing": (False, "走访发现厨房墙体开裂")}
    visit_record(
        user=tongluo_specialist,
        household=household,
        visited_on=TODAY,
        form="home",
        checks=checks,
        notes="户主腿疾加重",
    )
    visit_problem = Problem.objects.get(household=household, kind="housing", source="visit")
    measure = add_measure(
        ledger,
        yushan_officer,
        code="housing",
        problems=[visit_problem],
        start_on=TODAY - datetime.timedelta(days=5),
    )
    services.follow_up_add(user=yushan_officer, measure=measure, date=TODAY, note="施工队已进场")
    services.measure_set_status(user=yushan_officer, measure=measure, status="done", effect="厨房加固完成")
    services.problem_clear(
        user=yushan_officer, problem=visit_problem, cleared_on=TODAY, evidence="加固验收照片", measure=measure
    )
    services.ledger_set_motivation(
        user=yushan_officer, ledger=ledger, low_motivation=True, note="依赖思想较重"
    )
    return household


def test_the_print_view_has_every_section(client, full_history, yushan_officer):
    client.force_login(yushan_officer)
    page = client.get(f"/assistance/households/{full_history.pk}/ledger/print/")
    body = page.content.decode()
    head = full_history.members.get(name="张大山")
    for expected in (
        "一户一档",
        "一、户基本情况",
        "二、家庭成员",
        "三、残疾情况",
        "四、家庭收入",
        "五、监测历程",
        "六、致贫返贫风险",
        "问题清单",
        "帮扶措施及成效",
        "张大山",
        "李秀英",
        "肢体",
        "二级",  # members and disabilities
        "10200.00",  # income
        "突发严重困难户",
        "因病",
        "因残",
        "县级审定",  # monitoring history with its steps
        "饮水不安全",  # the screening hit behind the causes, and its problem
        "走访发现厨房墙体开裂",
        "加固验收照片",  # a visit finding cleared with evidence
        "住房安全保障",
        "施工队已进场",
        "厨房加固完成",  # the measure, its follow-up and effect
        "依赖思想较重",
        "@page",
        "size: A4",
    ):
        assert expected in body, expected
    assert head.id_number not in body and head.id_number[:6] + "********" in body
    assert "138****5678" in body and "13812345678" not in body


def test_the_print_view_follows_scoping(client, full_history, baojia_officer):
    client.force_login(baojia_officer)
    assert client.get(f"/assistance/households/{full_history.pk}/ledger/print/").status_code == 404
