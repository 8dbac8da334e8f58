"""A full run resolves exactly the hits no rule finds any more, whichever rules lost them, and leaves the
hits of every other rule untouched (the resolve pass reads only the rules that lost hits)."""

import pytest

from shouwang.registry.models import Household, Person
from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import screen

pytestmark = pytest.mark.django_db


def _rows():
    return set(Hit.objects.values_list("pk", "rule_code", "household_id", "run_id", "resolved_run_id"))


def test_hits_lost_on_one_rule_and_gained_on_another_are_both_recorded(pengshui):
    a = make_household(housing_safety="unsafe", members=[{"disability": {"category": 4, "grade": 1}}])
    b = make_household(water_safety="safe", members=[{"medical_insurance": False}])
    screen()
    kept = {row for row in _rows() if row[1] not in ("HOUSING_UNSAFE",)}
    # Behind the registry's back: a loses its housing hit, b gains a water hit; the totals stay equal.
    Household.objects.filter(pk=a.pk).update(housing_safety="safe")
    Household.objects.filter(pk=b.pk).update(water_safety="unsafe")
    run = screen()
    assert (run.new_count, run.resolved_count) == (1, 1)
    housing = Hit.objects.get(household=a, rule_code="HOUSING_UNSAFE")
    assert housing.resolved_run_id == run.pk
    assert Hit.objects.current().filter(household=b, rule_code="WATER_UNSAFE", first_seen_run=run).exists()
    assert kept <= _rows()  # the severe-disability and insurance hits were not rewritten


def test_several_rules_losing_hits_in_one_run(pengshui):
    h = make_household(housing_safety="unsafe", water_safety="unsafe",
                       members=[{"medical_insurance": False}, {"disability": {"category": 4, "grade": 1}}])
    screen()
    Household.objects.filter(pk=h.pk).update(housing_safety="safe", water_safety="safe")
    Person.objects.filter(household=h).update(medical_insurance=True)
    run = screen()
    assert run.resolved_count == 3 and run.new_count == 0
    current = set(Hit.objects.current().filter(household=h).values_list("rule_code", flat=True))
    assert "SEVERE_DISABILITY" in current
    assert not current & {"HOUSING_UNSAFE", "WATER_UNSAFE", "NO_MEDICAL_INSURANCE"}


def test_hits_of_a_retired_rule_are_resolved(pengshui):
    h = make_household(housing_safety="unsafe")
    first = screen()
    Hit.objects.create(rule_code="RETIRED_RULE", rule_version=1, parameter_year=first.parameter_year,
                       household=h, person_key=0, evidence={}, run=first, first_seen_run=first)
    run = screen()
    assert run.resolved_count == 1
    assert Hit.objects.get(rule_code="RETIRED_RULE").resolved_run_id == run.pk
    assert Hit.objects.current().filter(household=h, rule_code="HOUSING_UNSAFE").exists()
