"""A coverage run writes only what changed: unchanged findings stay as they were, a repeat run writes nothing,
and the stored findings always equal those of a run over an empty findings table."""

import datetime

import pytest

from shouwang.areas.models import Area
from shouwang.benefits.models import CoverageFinding, CoverageTally
from shouwang.benefits.services import benefit_record_create, benefit_record_end, coverage_run
from tests.benefits.conftest import DAY, DIBAO, MILD, SEVERE, give, person
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


def run(day: datetime.date = DAY):  # type: ignore[no-untyped-def]
    return coverage_run(county=Area.objects.get(code=COUNTY), day=day)


def stored(r) -> set[tuple]:  # type: ignore[no-untyped-def]
    return set(r.findings.values_list("rule", "kind", "person_id", "reason", "record_id"))


@pytest.fixture
def county_people():  # type: ignore[no-untyped-def]
    unpaid = person(household=DIBAO, disability=MILD)
    paid = person(household=DIBAO, disability=SEVERE, needs_long_term_care=True)
    give(paid, "living_subsidy")
    leaking = person(disability=MILD)
    give(leaking, "living_subsidy")
    return unpaid, paid, leaking


def test_a_repeat_run_writes_nothing_and_keeps_the_same_rows(county_people):
    first = run()
    rows = {f.pk: f.first_run_id for f in CoverageFinding.objects.all()}
    assert first.new_count == len(rows) > 0
    second = run()
    assert (second.new_count, second.resolved_count) == (0, 0)
    assert {f.pk: f.first_run_id for f in CoverageFinding.objects.all()} == rows
    assert stored(second) == stored(first)
    tally = {(t.rule, t.village_id, t.missed, t.leak, t.eligible) for t in second.tallies.all()}
    assert tally == {(t.rule, t.village_id, t.missed, t.leak, t.eligible) for t in first.tallies.all()}


def test_a_change_writes_only_the_difference_and_the_earlier_run_keeps_its_findings(county_people):
    unpaid, _, leaking = county_people
    first = run()
    before = stored(first)
    record = give(unpaid, "living_subsidy")  # no longer missed
    benefit_record_end(user=None, record=leaking.benefits.get(kind="living_subsidy"), end_on=DAY.replace(day=1))
    second = run()  # the leak stops from the day after its end: gone too
    assert second.resolved_count == 2
    assert second.new_count == 0
    assert ("LIVING_SUBSIDY", "missed", unpaid.pk, "MISSED", None) not in stored(second)
    assert ("LIVING_SUBSIDY", "leak", leaking.pk, "NOT_DIBAO", leaking.benefits.get().pk) not in stored(second)
    assert stored(first) == before  # the earlier run still reads as it was
    benefit_record_end(user=None, record=record, end_on=DAY.replace(day=1))
    third = run()
    assert third.new_count == 1
    assert ("LIVING_SUBSIDY", "missed", unpaid.pk, "MISSED", None) in stored(third)


def test_incremental_findings_equal_a_fresh_run(county_people):
    unpaid, paid, _ = county_people
    run()
    give(unpaid, "living_subsidy")
    give(paid, "living_subsidy")  # two running at once: DUPLICATE leak
    benefit_record_create(user=None, person=unpaid, kind="care_subsidy", start_on=datetime.date(2025, 1, 1))
    incremental = run()
    kept = stored(incremental)
    CoverageFinding.objects.all().delete()
    fresh = run()
    assert fresh.new_count == len(kept)
    assert stored(fresh) == kept
    assert ("LIVING_SUBSIDY", "leak", paid.pk, "DUPLICATE") in {k[:4] for k in kept}


def test_findings_resolved_before_the_kept_runs_and_old_tallies_are_pruned(county_people):
    unpaid, _, _ = county_people
    first = run()
    give(unpaid, "living_subsidy")
    second = run()  # resolves the missed finding
    assert CoverageFinding.objects.filter(resolved_run=second).count() == 1
    third = run()
    assert not CoverageFinding.objects.filter(resolved_run=second).exists()  # in no kept run any more
    assert not CoverageTally.objects.filter(run=first).exists()
    assert CoverageTally.objects.filter(run=second).exists() and CoverageTally.objects.filter(run=third).exists()
    assert stored(third) == stored(second)
