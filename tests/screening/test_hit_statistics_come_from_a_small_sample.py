"""On PostgreSQL the hit table's filtered columns carry a statistics target of 20, so the ANALYZE a first
run makes before it commits (and autovacuum's) samples 6,000 hits instead of 30,000; the re-screens that
follow still find and update their household's hits."""

import pytest
from django.db import connection

from shouwang.registry import services as registry
from shouwang.registry.models import Household
from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import codes, screen

pytestmark = pytest.mark.django_db

FILTERED = ("household_id", "rule_code", "person_key", "person_id", "resolved_run_id", "first_seen_run_id")


def test_the_columns_queries_filter_on_are_sampled_with_a_target_of_20(pengshui):
    households = [make_household(housing_safety="unsafe") for _ in range(3)]
    Hit.objects.all().delete()
    screen()
    registry.household_update(user=None, household=Household.objects.get(pk=households[0].pk), water_safety="unsafe")
    assert codes(households[0]) == {"HOUSING_UNSAFE", "WATER_UNSAFE"} and codes(households[1]) == {"HOUSING_UNSAFE"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT a.attname, a.attstattarget FROM pg_attribute a WHERE a.attrelid = %s::regclass"
                           " AND a.attname = ANY(%s)", [Hit._meta.db_table, list(FILTERED)])
            assert dict(cursor.fetchall()) == dict.fromkeys(FILTERED, 20)
