"""On PostgreSQL each session takes hit ids from the sequence a thousand at a time (a first run inserts
half a million hits; with one id per sequence access each locked and updated the sequence's page)."""

import pytest
from django.db import connection

from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import screen

pytestmark = pytest.mark.django_db


def test_a_run_numbers_hits_from_a_cached_sequence_and_keeps_them_distinct(pengshui):
    for _ in range(3):
        make_household(housing_safety="unsafe", water_safety="unsafe")
    Hit.objects.all().delete()
    screen()
    ids = list(Hit.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 6
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_size FROM pg_sequences WHERE sequencename = %s",
                           [f"{Hit._meta.db_table}_id_seq"])
            assert cursor.fetchone() == (1000,)
