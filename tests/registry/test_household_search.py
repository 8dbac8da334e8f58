"""The household list: one search box (name, ID, household number, certificate), every filter, pages, no N+1."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from shouwang.registry import services
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

YUSHAN_VILLAGE_2 = "500243102201"


@pytest.fixture
def households(pengshui):
    """Four households of 郁山镇 and one of 高谷镇, each with a trait the filters look for."""
    return {
        "severe": make_household(number="YS-A", members=[
            {"name": "张大山", "relation": "head", "disability": {"category": 4, "grade": 1}}]),
        "multi": make_household(number="YS-B", village=YUSHAN_VILLAGE_2, poverty_status="lifted", lifted_year=2019,
                                assistance_status="dibao", members=[
            {"name": "李秀英", "relation": "head", "disability": {"category": 1, "grade": 3}},
            {"name": "李小明", "relation": "son", "disability": {"category": 5, "grade": 4}}]),
        "tekun": make_household(number="YS-C", assistance_status="tekun", members=[
            {"name": "王老汉", "relation": "head", "disability": {"category": 6, "grade": 3}}]),
        "none": make_household(number="YS-D", members=[{"name": "赵平安", "relation": "head"}]),
        "baojia": make_household(number="BJ-A", village="500243103200", members=[
            {"name": "张小川", "relation": "head", "disability": {"category": 4, "grade": 1}}]),
    }


def listed(client, **params) -> list[str]:
    response = client.get(reverse("registry:household_list"), params)
    assert response.status_code == 200
    return [h.number for h in response.context["page"].object_list]


def test_search_by_name_prefix_finds_the_household_of_any_member(client, yushan_officer, households):
    client.force_login(yushan_officer)
    assert listed(client, q="李小") == ["YS-B"]
    assert listed(client, q="张") == ["YS-A"], "张小川 lives in 高谷镇"


def test_search_by_full_id_number_including_lowercase_and_full_width(client, yushan_officer, households):
    client.force_login(yushan_officer)
    person = households["tekun"].members.get()
    assert listed(client, q=person.id_number) == ["YS-C"]
    full_width = person.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    assert listed(client, q=f" {full_width} ") == ["YS-C"]


def test_search_by_household_number_prefix_and_certificate_number(client, yushan_officer, households):
    client.force_login(yushan_officer)
    assert listed(client, q="YS-") == ["YS-A", "YS-B", "YS-C", "YS-D"]
    assert listed(client, q="BJ-A") == []
    certificate = households["multi"].members.get(name="李小明").disability.certificate_number
    assert listed(client, q=certificate) == ["YS-B"]


def test_search_for_someone_of_another_township_finds_nothing(client, yushan_officer, households):
    client.force_login(yushan_officer)
    outsider = households["baojia"].members.get()
    assert listed(client, q=outsider.id_number) == []
    assert listed(client, q=outsider.disability.certificate_number) == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"village": YUSHAN_VILLAGE_2}, ["YS-B"]),
    ({"category": "4"}, ["YS-A"]),
    ({"grade": "3"}, ["YS-B", "YS-C"]),
    ({"category": "5", "grade": "4"}, ["YS-B"]),
    ({"category": "1", "grade": "4"}, []),
    ({"severe": "1"}, ["YS-A"]),
    ({"multi": "1"}, ["YS-B"]),
    ({"poverty": "lifted"}, ["YS-B"]),
    ({"assistance": "dibao"}, ["YS-B"]),
    ({"assistance": "tekun"}, ["YS-C"]),
    ({"q": "王", "assistance": "tekun"}, ["YS-C"]),
    ({"category": "bogus", "page": "abc"}, ["YS-A", "YS-B", "YS-C", "YS-D"]),
])
def test_each_filter_narrows_the_township_list(client, yushan_officer, households, params, expected):
    client.force_login(yushan_officer)
    assert listed(client, **params) == expected


def test_county_admin_filters_by_township(client, county_admin, households):
    client.force_login(county_admin)
    assert listed(client, township="500243103000") == ["BJ-A"]
    assert listed(client, township="500243102000", severe="1") == ["YS-A"]


def test_a_deceased_members_certificate_no_longer_matches_category_filters(client, yushan_officer, households):
    person = households["severe"].members.get()
    services.person_update(user=None, person=person, living_status="deceased", status_date=datetime.date(2025, 2, 1))
    client.force_login(yushan_officer)
    assert listed(client, category="4") == []
    assert listed(client, severe="1") == []


def test_filters_survive_paging_and_pages_hold_thirty(client, yushan_officer, pengshui):
    for i in range(65):
        make_household(number=f"P{i:03d}", assistance_status="dibao" if i % 2 else "none",
                       members=[{"name": f"成员{i}", "relation": "head"}])
    client.force_login(yushan_officer)
    first = client.get(reverse("registry:household_list"), {"assistance": "dibao"})
    page = first.context["page"]
    assert (page.paginator.count, len(page.object_list), page.paginator.num_pages) == (32, 30, 2)
    assert "?assistance=dibao&page=2" in first.content.decode()
    second = client.get(reverse("registry:household_list"), {"assistance": "dibao", "page": "2"})
    assert [h.number for h in second.context["page"].object_list] == ["P061", "P063"]


def test_an_empty_result_says_so(client, yushan_officer, households):
    client.force_login(yushan_officer)
    page = client.get(reverse("registry:household_list"), {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的户" in page


def test_household_list_queries_do_not_grow_with_the_page(client, yushan_officer, pengshui,
                                                          django_assert_max_num_queries):
    for i in range(30):
        make_household(number=f"Q{i:03d}", members=[
            {"name": f"户主{i}", "relation": "head", "disability": {"category": 1 + i % 7, "grade": 1 + i % 4}},
            {"name": f"配偶{i}", "relation": "spouse", "disability": {"category": 4, "grade": 3}}])
    client.force_login(yushan_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:household_list"), {"severe": "1"})
    assert len(response.context["page"].object_list) == 16  # heads of grade 1 or 2
