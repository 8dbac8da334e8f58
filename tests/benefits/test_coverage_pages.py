"""Coverage pages: rates per rule and area, scoped missed/leak lists linking to persons, drill-down."""

import pytest
from django.urls import reverse

from shouwang.areas.models import Area
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, DIBAO, MILD, give, person
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings():  # type: ignore[no-untyped-def]
    tongluo = person(household=DIBAO, disability=MILD, name="铜锣未享")
    baojia = person(household=DIBAO, disability=MILD, name="保家未享", village="500243103200")
    dead = person(household=DIBAO, disability=MILD, name="保家已故", village="500243103200",
                  living_status="deceased", status_date=DAY.replace(month=1))
    give(dead, "living_subsidy")
    coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    return tongluo, baojia, dead


def test_county_admin_sees_rate_per_rule_and_the_chart(client, county_admin, findings):
    client.force_login(county_admin)
    page = client.get(reverse("benefits:overview")).content.decode()
    assert "困难残疾人生活补贴" in page and "LIVING_SUBSIDY" in page
    assert "coverage-chart" in page and "echarts.min.js" in page
    assert "0.0%" in page  # 2 eligible, none covered


def test_missed_list_links_each_row_to_the_person(client, county_admin, findings):
    tongluo, baojia, _ = findings
    client.force_login(county_admin)
    page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?kind=missed").content.decode()
    assert reverse("registry:person_detail", args=[tongluo.pk]) in page
    assert reverse("registry:person_detail", args=[baojia.pk]) in page
    assert tongluo.id_number not in page  # masked


def test_leak_list_gives_the_reason(client, county_admin, findings):
    _, _, dead = findings
    client.force_login(county_admin)
    page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?kind=leak").content.decode()
    assert "保家已故" in page and "已死亡，应自死亡次月起停发" in page


def test_township_officer_sees_only_own_township(client, yushan_officer, findings):
    client.force_login(yushan_officer)
    page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?kind=missed").content.decode()
    assert "铜锣未享" in page and "保家未享" not in page


def test_other_township_cannot_ask_for_yushan(client, baojia_officer, findings):
    client.force_login(baojia_officer)
    url = reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?area=500243102000"
    assert client.get(url).status_code == 404
    assert client.get(reverse("benefits:overview") + "?area=500243102200").status_code == 404


def test_county_drills_down_to_townships_and_villages(client, county_admin, findings):
    client.force_login(county_admin)
    county_page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"])).content.decode()
    assert "郁山镇" in county_page and "?area=500243103000" in county_page
    township_page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?area=500243102000")
    assert "铜锣村" in township_page.content.decode()


def test_leader_sees_aggregates_but_no_names(client, leader, findings):
    client.force_login(leader)
    assert client.get(reverse("benefits:overview")).status_code == 200
    page = client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?kind=missed").content.decode()
    assert "铜锣未享" not in page


def test_liaison_has_no_coverage_pages(client, liaison, findings):
    client.force_login(liaison)
    assert client.get(reverse("benefits:overview")).status_code == 403


def test_list_page_query_count_does_not_grow_with_rows(client, county_admin, findings, django_assert_max_num_queries):
    client.force_login(county_admin)
    with django_assert_max_num_queries(13):
        client.get(reverse("benefits:rule", args=["LIVING_SUBSIDY"]) + "?kind=missed")


def test_training_page_counts_vocational_and_practical_separately(client, county_admin):
    import datetime

    willing = {"training_need": True, "training_willing": True, "training_able": True}
    both = person(disability=MILD, **willing)
    give(both, "vocational_training", datetime.date(2022, 5, 1))
    give(both, "practical_training", datetime.date(2023, 5, 1))
    practical = person(disability=MILD, **willing)
    give(practical, "practical_training", datetime.date(2024, 5, 1))
    coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    client.force_login(county_admin)
    page = client.get(reverse("benefits:rule", args=["TRAINING"])).content.decode()
    assert "职业技能培训 1；实用技术培训 2" in page


def test_home_page_shows_missed_and_leak_totals_of_the_area(client, yushan_officer, findings):
    client.force_login(yushan_officer)
    panel = client.get(reverse("home")).content.decode()
    assert "政策落实（2026-03-15核查）" in panel
    assert reverse("benefits:overview") in panel
