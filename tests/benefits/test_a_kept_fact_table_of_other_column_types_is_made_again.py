"""Kept facts: a fact table kept by an older release with other declared column types (on SQLite the type
decides how a column compares with a date), or another index, or receiving counts of another shape, is
made again and filled by the next run, not reused."""

import pytest
from django.db import connection

from shouwang.benefits import facts
from shouwang.benefits.models import CoverageFact
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, SEVERE, give, person

pytestmark = pytest.mark.django_db


def _older_release_table() -> None:
    """The fact table as a release that declared the birth date with another type made it (indexes alike)."""
    now = facts._table_sql(CoverageFact, temporary=False)
    sqlite = connection.vendor == "sqlite"
    older = now.replace('"birth_date" text', '"birth_date" date') if sqlite else now.replace(
        '"birth_date" date', '"birth_date" text')
    assert older != now
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {facts.FACT_TABLE}")
        cursor.execute(older)
        for statement in facts._index_statements():
            cursor.execute(statement.text)


def test_the_next_run_makes_the_table_again_and_finds_what_it_found(pengshui):
    who = person(disability=SEVERE)
    first = coverage_run(county=pengshui, day=DAY)
    assert first.findings.filter(rule="FAMILY_DOCTOR", kind="missed", person=who).exists()
    _older_release_table()

    again = coverage_run(county=pengshui, day=DAY)

    assert again.findings.filter(rule="FAMILY_DOCTOR", kind="missed", person=who).exists()
    assert again.resolved_count == 0
    with connection.cursor() as cursor:
        assert facts._same_definition(cursor)


def test_a_kept_table_with_another_index_is_made_again(pengshui):
    who = person(disability=SEVERE)
    coverage_run(county=pengshui, day=DAY)
    name = next(iter(facts.INDEXES))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
        cursor.execute(f"CREATE INDEX {name} ON {facts.FACT_TABLE} (person_id, household_id)")
        cursor.execute(f"DELETE FROM {facts.FACT_TABLE}")  # noqa: S608 - were the table kept, nobody would be found

    again = coverage_run(county=pengshui, day=DAY)

    assert again.findings.filter(rule="FAMILY_DOCTOR", kind="missed", person=who).exists()
    with connection.cursor() as cursor:
        assert facts._kept_as_made_now(cursor) is True


def _counts_kept_as(county, create: str, *, emptied: bool) -> None:
    """A counted person, then the counts table replaced by `create` (and the facts emptied: were the tables
    kept, nobody would be counted)."""
    give(person(disability=SEVERE), "family_doctor", start=DAY.replace(month=1, day=1))
    coverage_run(county=county, day=DAY)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {facts.COUNT_TABLE}")
        cursor.execute(create)
        if emptied:
            cursor.execute(f"DELETE FROM {facts.FACT_TABLE}")  # noqa: S608


def _receiving_and_kept(county, expected: int) -> None:
    again = coverage_run(county=county, day=DAY)
    assert sum(t.receiving for t in again.tallies.filter(rule="FAMILY_DOCTOR")) == expected
    with connection.cursor() as cursor:
        assert facts._kept_as_made_now(cursor) is True


def test_a_kept_counts_table_of_another_shape_is_made_again(pengshui):
    _counts_kept_as(pengshui, f"CREATE TABLE {facts.COUNT_TABLE} (county_id varchar(12) NOT NULL, village_id varchar(12)"
                    " NOT NULL, received integer NOT NULL, n integer NOT NULL,"
                    " PRIMARY KEY (county_id, village_id, received))", emptied=True)  # as an older release kept it
    _receiving_and_kept(pengshui, 1)


def test_a_kept_counts_table_without_its_key_is_made_again(pengshui):
    # the right columns, but no key for the counts' upserts to meet; the facts kept, and a refresh counts
    # a second person in
    _counts_kept_as(pengshui, f"CREATE TABLE {facts.COUNT_TABLE} (pattern bigint NOT NULL, county_id varchar(12) NOT NULL,"
                    " n integer NOT NULL)", emptied=False)
    give(person(disability=SEVERE), "family_doctor", start=DAY.replace(month=1, day=1))
    _receiving_and_kept(pengshui, 2)
