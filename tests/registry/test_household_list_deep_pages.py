"""Deep pages of the household list show exactly the households an ordered slice would."""

import datetime

import pytest
from django.urls import reverse

from shouwang.registry.demo import demo_county_generate
from shouwang.registry.models import Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_every_page_shows_the_next_thirty_households_in_number_order(client, county_admin, pengshui):
    demo_county_generate(county=pengshui, households=100, seed=2, today=datetime.date(2026, 6, 30))
    for number in ("1001", "9001"):  # created last, but first and last in number order
        make_household(number=number)
    numbers = list(Household.objects.order_by("number").values_list("number", flat=True))
    client.force_login(county_admin)
    shown = []
    for page in (1, 2, 3, 4):  # 30 + 30 + 30 + 12
        response = client.get(reverse("registry:household_list"), {"page": page})
        shown += [h.number for h in response.context["page"].object_list]
    assert shown == numbers


def test_a_filtered_deep_page_keeps_the_filter_and_the_joins(client, county_admin, pengshui,
                                                              django_assert_max_num_queries):
    demo_county_generate(county=pengshui, households=200, seed=2, today=datetime.date(2026, 6, 30))
    severe = list(Household.objects.filter(severe_count__gt=0).order_by("number"))
    client.force_login(county_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:household_list"), {"severe": "1", "page": 2})
    page = response.context["page"]
    assert [h.pk for h in page.object_list] == [h.pk for h in severe[30:60]]
    assert page.paginator.count == len(severe)
    assert severe[30].village.name in response.content.decode()
