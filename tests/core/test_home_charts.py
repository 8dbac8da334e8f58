"""The home page charts: certified disabled persons by category and by township, aggregates only."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from shouwang.registry import services
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def chart(page: str, name: str) -> dict[str, int]:
    match = re.search(rf'<script id="data-{name}" type="application/json">(.*?)</script>', page, re.S)
    assert match, f"chart data {name} missing"
    return dict(json.loads(match.group(1)))


@pytest.fixture
def registry(pengshui):
    make_household(members=[{"name": "张大山", "relation": "head", "disability": {"category": 4, "grade": 2}},
                            {"name": "李秀英", "disability": {"category": 1, "grade": 3}}])
    make_household(village="500243103200", members=[
        {"name": "王小川", "relation": "head", "disability": {"category": 4, "grade": 1}}])
    dead = make_household(members=[{"name": "赵已故", "relation": "head", "disability": {"category": 6, "grade": 1}}])
    services.person_update(user=None, person=dead.members.get(), living_status="deceased",
                           status_date=datetime.date(2025, 1, 1))


def test_leader_sees_counts_by_category_and_township_but_no_names(client, leader, registry):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    by_category = chart(page, "by-category")
    assert (by_category["肢体"], by_category["视力"], by_category["精神"], len(by_category)) == (2, 1, 0, 7)
    by_area = chart(page, "by-area")
    assert (by_area["郁山镇"], by_area["高谷镇"], len(by_area)) == (2, 1, 39)
    assert list(by_area)[0] == "郁山镇", "largest first"
    for name in ("张大山", "李秀英", "王小川", "赵已故"):
        assert name not in page


def test_township_officer_sees_villages_of_the_township(client, yushan_officer, registry):
    client.force_login(yushan_officer)
    page = client.get(reverse("home")).content.decode()
    by_area = chart(page, "by-area")
    assert by_area["铜锣村"] == 2 and "高谷镇" not in by_area
    assert sum(chart(page, "by-category").values()) == 2


def test_village_specialist_gets_no_empty_area_chart(client, tongluo_specialist, registry):
    client.force_login(tongluo_specialist)
    page = client.get(reverse("home")).content.decode()
    assert 'id="data-by-area"' not in page
    assert sum(chart(page, "by-category").values()) == 2
