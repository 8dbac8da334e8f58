"""Open problems per area with their age, county → township → village; cleared ones drop out (target 0)."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command

from shouwang.areas.models import Area
from shouwang.assistance import services
from shouwang.assistance.selectors import open_problem_count, open_problems_by_child_area

pytestmark = pytest.mark.django_db
COUNTY, YUSHAN, TONGLUO, BAOJIA = "500243000000", "500243102000", "500243102200", "500243103000"


@pytest.fixture
def problems(tongluo_household, baojia_household):  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.date.today() - datetime.timedelta(days=12)):
        old = services.problem_open(
            user=None, household=tongluo_household, kind="housing", description="危房"
        )
    services.problem_open(user=None, household=tongluo_household, kind="water", description="水源浑浊")
    services.problem_open(user=None, household=baojia_household, kind="medical", description="未参保")
    return old


def test_counts_per_area_and_the_oldest_age(problems):
    county, yushan = Area.objects.get(code=COUNTY), Area.objects.get(code=YUSHAN)
    assert open_problem_count(county) == 3 and open_problem_count(yushan) == 2
    rows = {r.area.code: r for r in open_problems_by_child_area(county, today=datetime.date.today())}
    assert rows[YUSHAN].open_count == 2 and rows[YUSHAN].oldest_days == 12
    assert rows[BAOJIA].open_count == 1
    assert sum(r.open_count for r in rows.values()) == 3
    assert len(rows) == Area.objects.filter(parent_id=COUNTY).count()  # townships at zero are listed too
    villages = {
        r.area.code: r.open_count for r in open_problems_by_child_area(yushan, today=datetime.date.today())
    }
    assert villages[TONGLUO] == 2


def test_clearing_a_problem_lowers_the_count_by_one(problems):
    county = Area.objects.get(code=COUNTY)
    services.problem_clear(user=None, problem=problems, cleared_on=datetime.date.today(), evidence="已改造")
    assert open_problem_count(county) == 2


def test_the_page_drills_down_from_county_to_village(client, problems, county_admin):
    client.force_login(county_admin)
    county_page = client.get("/assistance/problems/").content.decode()
    assert 'id="open-total">3<' in county_page and f'href="?area={YUSHAN}"' in county_page
    township_page = client.get(f"/assistance/problems/?area={YUSHAN}").content.decode()
    assert 'id="open-total">2<' in township_page and f'href="?area={TONGLUO}"' in township_page
    village_page = client.get(f"/assistance/problems/?area={TONGLUO}").content.decode()
    assert "危房" in village_page and "未参保" not in village_page


def test_the_cli_lists_open_problems_of_an_area_as_json(problems, capsys):
    call_command("problems", "open", "--area", YUSHAN, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["open"] == 2
    assert {p["kind"] for p in data["problems"]} == {"housing", "water"}
    assert max(p["age_days"] for p in data["problems"]) == 12
    call_command("problems", "open", "--area", "500243")
    assert "未清零问题 3 个" in capsys.readouterr().out


def test_the_home_page_shows_the_open_problem_count_of_the_users_area(client, problems, yushan_officer):
    client.force_login(yushan_officer)
    body = client.get("/").content.decode()
    assert "动态清零" in body and "未清零问题" in body
