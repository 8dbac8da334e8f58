"""A person's several records of one kind make one row of facts, as their aggregates would: the latest
record, the count of running records, the last start of a course, whether any yearly record still runs
(on SQLite each record is merged into the row one by one; on PostgreSQL they are grouped first)."""

import datetime

import pytest

from shouwang.benefits.models import CoverageFact
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, SEVERE, give, person

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_records_are_merged_as_aggregates(pengshui):
    who = person(disability=SEVERE, needs_long_term_care=True)
    first = give(who, "care_subsidy", D(2025, 1, 1))
    second = give(who, "care_subsidy", D(2024, 6, 1))  # started earlier, written later: the latest id
    give(who, "care_subsidy", D(2024, 1, 1), D(2025, 12, 31))  # ended last year: does not count
    give(who, "vocational_training", D(2023, 5, 1))
    give(who, "practical_training", D(2024, 9, 1))
    give(who, "vocational_training", D(2021, 2, 1))
    ended = give(who, "family_doctor", D(2026, 1, 1), D(2026, 2, 28))
    give(who, "family_doctor", D(2025, 1, 1), D(2025, 12, 31))

    coverage_run(county=pengshui, day=DAY)

    fact = CoverageFact.objects.get(person_id=who.pk)
    assert (fact.rec_care_subsidy, fact.n_care_subsidy) == (second.pk, 2)
    assert first.pk < second.pk
    assert fact.rec_family_doctor == ended.pk and fact.on_family_doctor is False
    assert fact.rec_training is not None and fact.late_training is False
    give(who, "family_doctor", D(2026, 3, 1))
    coverage_run(county=pengshui, day=DAY)
    assert CoverageFact.objects.get(person_id=who.pk).on_family_doctor is True


def test_the_last_course_start_decides_a_course_after_death(pengshui):
    who = person(disability=SEVERE, living_status="deceased", status_date=D(2024, 1, 10))
    give(who, "vocational_training", D(2023, 5, 1))
    give(who, "practical_training", D(2024, 9, 1))  # after the death
    give(who, "vocational_training", D(2021, 2, 1))

    run = coverage_run(county=pengshui, day=DAY)

    assert CoverageFact.objects.get(person_id=who.pk).late_training is True
    assert run.findings.filter(rule="TRAINING", kind="leak", person=who, reason="RECORD_AFTER_STOP").exists()
