"""Over an area, SEVERE_DISABILITY is driven by the grade 1-2 certificates, each looking its person up by
id: on PostgreSQL its statement runs with hash and merge joins off (the planner hashed the certificates
and scanned every person), and the run's other statements keep the settings they had."""

import pytest
from django.db import connection, transaction

from shouwang.screening import engine
from tests.conftest import make_household
from tests.screening.helpers import codes, screen

pytestmark = pytest.mark.django_db


def _join_settings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin')"
                       if connection.vendor == "postgresql" else "SELECT 'on', 'on'")
        return cursor.fetchone()


def test_only_the_severe_disability_statement_joins_by_nested_loops(pengshui, monkeypatch):
    severe = make_household(members=[{"disability": {"category": 4, "grade": 1}}])
    mild = make_household(members=[{"disability": {"category": 4, "grade": 3}}])
    seen = {}
    insert_rows = engine._insert_rows

    def recording(cursor, rule, *args):
        seen[rule.code] = _join_settings()
        return insert_rows(cursor, rule, *args)

    monkeypatch.setattr(engine, "_insert_rows", recording)
    with transaction.atomic():
        screen()
        assert _join_settings() == ("on", "on")
    off = ("off", "off") if connection.vendor == "postgresql" else ("on", "on")
    assert seen.pop("SEVERE_DISABILITY") == off and set(seen.values()) == {("on", "on")}
    assert "SEVERE_DISABILITY" in codes(severe) and "SEVERE_DISABILITY" not in codes(mild)
