"""The household list's name search: a prefix of any member's name, taken literally, answered from the
name index on SQLite and on PostgreSQL whatever the database's collation."""

from __future__ import annotations

import pytest
from django.db import connection

from shouwang.registry.selectors import HouseholdFilters, household_search
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(pengshui):  # type: ignore[no-untyped-def]
    return {
        "张大山": make_household(number="N-1", members=[{"name": "张大山", "relation": "head"}]),
        "张大": make_household(number="N-2", members=[{"name": "张大", "relation": "head"}]),
        "张小川": make_household(number="N-3", members=[{"name": "张小川", "relation": "head"}]),
        "王_五": make_household(number="N-4", members=[{"name": "王_五", "relation": "head"}]),
        "王六": make_household(number="N-5", members=[{"name": "王六", "relation": "head"}]),
    }


def numbers(user, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(household_search(user=user, filters=HouseholdFilters(q=q)).values_list("number", flat=True))


def test_a_name_prefix_finds_every_name_that_starts_with_it_and_no_other(county_admin, named):
    assert numbers(county_admin, "张大") == ["N-1", "N-2"]
    assert numbers(county_admin, "张") == ["N-1", "N-2", "N-3"]
    assert numbers(county_admin, "张大山") == ["N-1"]
    assert numbers(county_admin, "大") == []


def test_wildcard_characters_in_the_search_box_are_taken_literally(county_admin, named):
    assert numbers(county_admin, "王_") == ["N-4"]
    assert numbers(county_admin, "%") == []
    assert numbers(county_admin, "_") == []


def test_the_name_search_is_answered_from_the_name_index(yushan_officer, named):
    """On PostgreSQL the index has the pattern operator class, which serves LIKE 'prefix%' under any
    collation; sequential scans are switched off so the tiny test table cannot hide an unusable index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = household_search(user=yushan_officer, filters=HouseholdFilters(q="张大")).explain()
    searched_by_name = {  # the name is the index's search condition, not a filter over a full scan
        "postgresql": "Index Cond: ((name ~>=~ '张大'::text) AND (name ~<~ '张夨'::text))",
        "sqlite": "INDEX person_name_household (name>? AND name<?)",
    }[connection.vendor]
    assert "person_name_household" in plan and searched_by_name in plan, plan
