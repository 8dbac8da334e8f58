"""On PostgreSQL a first run over every household writes its hits in the order of the rule index (rule
code, then household), so building that index again after the insert finds the rows already sorted."""

import pytest
from django.db import connection

from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


def test_a_first_run_numbers_its_hits_by_rule_code_then_household(pengshui):
    households = [make_household(housing_safety="unsafe", water_safety="unsafe",
                                 members=[{"disability": {"category": 4, "grade": 1}}, {"medical_insurance": False}])
                  for _ in range(3)]
    for household in households:
        income(household, 2025, wage_income="3000")
    kept = set(Hit.objects.current().values_list("rule_code", "household_id", "person_id"))
    Hit.objects.all().delete()
    screen()
    written = list(Hit.objects.order_by("pk").values_list("rule_code", "household_id", "person_id"))
    assert set(written) == kept and len({code for code, _, _ in written}) >= 5
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the database's own order of the codes (its collation's)
            cursor.execute("SELECT rule_code, household_id FROM screening_hit ORDER BY rule_code, household_id")
            assert [(code, household) for code, household, _ in written] == cursor.fetchall()
