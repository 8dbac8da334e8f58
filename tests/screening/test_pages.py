"""Screening pages: summary by rule and area with drill-down, household section, what-if, runs."""

import pytest
from django.urls import reverse

from shouwang.audit.models import AuditEntry
from shouwang.screening.models import Hit, ScreeningParameters, ScreeningRun
from tests.conftest import BAOJIA, TONGLUO, YUSHAN, make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def hits(tongluo_household, baojia_household):
    income(tongluo_household, 2025, wage_income="5420")
    make_household(number="YS-WATER", village=TONGLUO, water_safety="unsafe")
    screen()
    return tongluo_household


def test_county_summary_counts_households_per_rule_and_township(client, county_admin, hits):
    client.force_login(county_admin)
    page = client.get(reverse("screening:summary"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "人均纯收入低于监测标准" in html and "郁山镇" in html and "保家镇" in html
    assert "rule-chart" in html and "echarts.min.js" in html
    by_rule = {r["rule"].code: r["households"] for r in page.context["rows"]}
    assert by_rule["INCOME_BELOW_LINE"] == 1 and by_rule["SEVERE_DISABILITY"] == 1
    townships = {row["area"].code: row["households"] for row in page.context["children"]}
    assert townships[YUSHAN] == 2 and townships[BAOJIA] == 0


def test_drill_down_from_township_to_village_lists_households(client, yushan_officer, hits):
    client.force_login(yushan_officer)
    villages = client.get(reverse("screening:summary")).context["children"]
    assert {r["area"].code: r["households"] for r in villages}[TONGLUO] == 2
    village = client.get(reverse("screening:summary"), {"area": TONGLUO})
    numbers = [h.number for h in village.context["page"].object_list]
    assert numbers == ["TL0001", "YS-WATER"]
    only_water = client.get(reverse("screening:households"), {"area": TONGLUO, "rule": "WATER_UNSAFE"})
    assert [h.number for h in only_water.context["page"].object_list] == ["YS-WATER"]


def test_other_township_officer_sees_nothing_of_yushan(client, baojia_officer, hits):
    client.force_login(baojia_officer)
    summary = client.get(reverse("screening:summary"))
    assert all(r["households"] == 0 for r in summary.context["rows"] if r["rule"].code != "NO_LABOUR")
    assert "TL0001" not in summary.content.decode()
    for url, params in [("screening:summary", {"area": YUSHAN}), ("screening:households", {"area": TONGLUO}),
                        ("screening:what_if", {"area": YUSHAN}), ("screening:summary", {"area": "999"})]:
        assert client.get(reverse(url), params).status_code == 404, (url, params)
    assert client.get(reverse("registry:household_detail", args=[hits.pk])).status_code == 404


def test_leader_and_liaison_get_404(client, leader, liaison, hits):
    for user in (leader, liaison):
        client.force_login(user)
        for name in ("screening:summary", "screening:households", "screening:what_if", "screening:runs"):
            assert client.get(reverse(name)).status_code == 404


def test_household_page_lists_current_hits_in_plain_chinese(client, tongluo_specialist, hits):
    client.force_login(tongluo_specialist)
    html = client.get(reverse("registry:household_detail", args=[hits.pk])).content.decode()
    assert 'id="screening-hits"' in html
    assert "人均纯收入 2,710 元 &lt; 监测标准 7,500 元（2025年度收入记录）" in html  # 5,420 for two members
    assert "张大山" in html and "持证肢体残疾二级（一二级重度）" in html


def test_household_list_on_a_page_runs_a_fixed_number_of_queries(client, county_admin, hits, django_assert_max_num_queries):
    for i in range(5):
        make_household(number=f"YS-H{i}", village=TONGLUO, housing_safety="unsafe")
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("screening:households"), {"area": TONGLUO})
    assert page.context["page"].paginator.count == 7


def test_what_if_page_shows_households_entering_and_writes_nothing(client, county_admin, hits):
    client.force_login(county_admin)
    counts = (Hit.objects.count(), ScreeningRun.objects.count(), AuditEntry.objects.count(),
              ScreeningParameters.objects.count())
    page = client.get(reverse("screening:what_if"), {"run": "1", "income_line": "2000"})
    result = page.context["result"]
    below = next(r for r in result.rules if r.code == "INCOME_BELOW_LINE")
    assert (below.current, below.what_if, below.leaving) == (1, 0, 1)
    assert 'id="what-if-rules"' in page.content.decode()
    assert counts == (Hit.objects.count(), ScreeningRun.objects.count(), AuditEntry.objects.count(),
                      ScreeningParameters.objects.count())


def test_what_if_page_reports_a_bad_value_next_to_the_field(client, county_admin, hits):
    client.force_login(county_admin)
    page = client.get(reverse("screening:what_if"), {"run": "1", "working_age_min": "70"})
    assert page.context["result"] is None
    assert "劳动年龄上限须大于下限" in page.content.decode()


def test_run_history_lists_full_runs_and_staff_can_start_one(client, county_staff, yushan_officer, hits):
    client.force_login(county_staff)
    response = client.post(reverse("screening:run_now"))
    assert response.status_code == 302
    runs = client.get(reverse("screening:runs")).context["page"].object_list
    assert len(runs) == 2 and runs[0].user == county_staff
    client.force_login(yushan_officer)
    assert client.post(reverse("screening:run_now")).status_code == 403


def test_home_panel_shows_hit_counts_for_the_users_area(client, yushan_officer, baojia_officer, hits):
    client.force_login(yushan_officer)
    panel = next(p for p in client.get(reverse("home")).context["panels"] if p["title"].startswith("风险筛查"))
    assert dict(panel["figures"])["有风险提示的户"] == 2
    client.force_login(baojia_officer)
    panel = next(p for p in client.get(reverse("home")).context["panels"] if p["title"].startswith("风险筛查"))
    assert dict(panel["figures"])["有风险提示的户"] == 0


def test_menu_has_the_screening_entry(client, yushan_officer):
    client.force_login(yushan_officer)
    assert reverse("screening:summary") in client.get(reverse("home")).content.decode()
