"""Evidence is written as JSON text in SQL (on PostgreSQL a json column): numbers, dates, text and
missing values read back as the values that fired the rule, and the text is what jsonb prints, so hits
stored while the column was jsonb compare equal to a new run's evidence."""

import datetime

import pytest
from django.db import connection

from shouwang.registry import services as registry
from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


def _evidence(household, code):
    return Hit.objects.current().get(household=household, rule_code=code).evidence


def test_numbers_dates_text_and_missing_values_read_back(pengshui):
    h = make_household(housing_safety="unsafe", water_safety="unsafe", water_checked_on=datetime.date(2026, 1, 2),
                       members=[{"schooling": "dropout", "birth": datetime.date(2014, 3, 4)}])
    income(h, 2025, wage_income="5420.50")
    registry.household_event_record(user=None, household=h, kind="illness", occurred_on=datetime.date(2026, 5, 1))
    screen()
    assert _evidence(h, "HOUSING_UNSAFE") == {"checked_on": None}
    assert _evidence(h, "WATER_UNSAFE") == {"checked_on": "2026-01-02"}
    assert _evidence(h, "INCOME_BELOW_LINE") == {"year": 2025, "per_capita": 5420.5, "line": 7500}
    assert _evidence(h, "SUDDEN_EVENT") == {"kind": "illness", "occurred_on": "2026-05-01", "events": 1,
                                            "window_days": 180}
    assert _evidence(h, "SCHOOL_DROPOUT")["schooling"] == "dropout"


def test_evidence_stored_as_jsonb_text_is_not_a_change(pengshui):
    h = make_household(housing_safety="unsafe", members=[{"disability": {"category": 4, "grade": 1}}])
    income(h, 2025, wage_income="5420.50")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what the migration from jsonb leaves
            cursor.execute("SELECT count(*) FROM screening_hit WHERE evidence::text <> evidence::jsonb::text")
            assert cursor.fetchone() == (0,)
            cursor.execute("UPDATE screening_hit SET evidence = evidence::jsonb::json")
    run = screen()
    assert (run.new_count, run.changed_count, run.resolved_count) == (0, 0, 0)
