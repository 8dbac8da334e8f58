"""A run records what is new and what resolved since the previous run; unchanged hits stay untouched."""

import pytest

from shouwang.areas.models import Area
from shouwang.registry import services as registry
from shouwang.screening.models import Hit, RunKind, ScreeningRun
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


def test_second_run_without_changes_rewrites_nothing(pengshui):
    h = make_household(housing_safety="unsafe", members=[{"disability": {"category": 4, "grade": 1}}])
    first = screen()
    before = list(Hit.objects.filter(household=h).values_list("pk", "run_id", "first_seen_run_id", "evidence"))
    second = screen()
    assert (second.new_count, second.resolved_count, second.changed_count) == (0, 0, 0)
    assert list(Hit.objects.filter(household=h).values_list("pk", "run_id", "first_seen_run_id", "evidence")) == before
    assert second.hit_counts == first.hit_counts
    assert second.hit_counts["HOUSING_UNSAFE"] == 1 and second.hit_counts["SEVERE_DISABILITY"] == 1


def test_run_counts_new_and_resolved_hits(pengshui):
    fixed = make_household(housing_safety="unsafe")
    screen()
    registry.household_update(user=None, household=fixed, housing_safety="safe")
    make_household(water_safety="unsafe")
    # The registry listener already re-screened both; a full run then finds nothing more to do.
    assert screen().new_count == 0
    resolved = Hit.objects.get(household=fixed, rule_code="HOUSING_UNSAFE")
    assert resolved.resolved_run_id is not None
    household_runs = ScreeningRun.objects.filter(kind=RunKind.HOUSEHOLD)
    assert household_runs.filter(resolved_count=1).exists() and household_runs.filter(new_count=1).exists()


def test_full_run_finds_what_changed_behind_the_registrys_back(pengshui):
    """Rows changed without the services (a bulk load) are caught by the next full run."""
    from shouwang.registry.models import Household

    a = make_household(housing_safety="unsafe")
    b = make_household()
    screen()
    Household.objects.filter(pk=a.pk).update(housing_safety="safe")
    Household.objects.filter(pk=b.pk).update(housing_safety="unsafe")
    run = screen()
    assert (run.new_count, run.resolved_count) == (1, 1)
    assert Hit.objects.current().filter(household=b, rule_code="HOUSING_UNSAFE", first_seen_run=run).exists()


def test_changed_evidence_updates_the_hit_in_place(pengshui):
    h = make_household()
    income(h, 2025, wage_income="5000")
    hit = Hit.objects.current().get(household=h, rule_code="INCOME_BELOW_LINE")
    income(h, 2025, wage_income="4000")
    again = Hit.objects.current().get(household=h, rule_code="INCOME_BELOW_LINE")
    assert again.pk == hit.pk and again.first_seen_run_id == hit.first_seen_run_id
    assert float(again.evidence["per_capita"]) == 4000


def test_a_hit_that_returns_is_a_new_hit_and_history_is_kept(pengshui):
    h = make_household(water_safety="unsafe")
    registry.household_update(user=None, household=h, water_safety="safe")
    registry.household_update(user=None, household=h, water_safety="unsafe")
    rows = Hit.objects.filter(household=h, rule_code="WATER_UNSAFE").order_by("pk")
    assert [r.resolved_run_id is None for r in rows] == [False, True]


def test_area_run_leaves_other_townships_alone(pengshui):
    from shouwang.screening.models import Hit as H

    tongluo = make_household(housing_safety="unsafe")
    baojia = make_household(village="500243103200", housing_safety="unsafe")
    H.objects.filter(household=baojia).delete()  # as if never screened
    run = screen(area="500243102000")  # 郁山镇 only
    assert run.households == 1 and run.hit_counts["HOUSING_UNSAFE"] == 1
    assert not H.objects.filter(household=baojia).exists()
    assert H.objects.current().filter(household=tongluo).exists()


def test_a_county_run_leaves_another_countys_households_alone(pengshui):
    """With two counties in one database the run is restricted to its own county's households."""
    from shouwang.areas.services import areas_load_county

    youyang = areas_load_county(county_code="500242").county
    village = Area.objects.filter(county_code=youyang.code, level=3).order_by("code").first()
    mine = make_household(housing_safety="unsafe")
    theirs = make_household(village=village.code, housing_safety="unsafe")
    Hit.objects.all().delete()
    run = screen()
    assert run.households == 1 and run.new_count == 1
    assert Hit.objects.current().filter(household=mine).exists()
    assert not Hit.objects.filter(household=theirs).exists()


def test_an_edit_that_changes_no_hit_writes_no_run(pengshui):
    h = make_household(housing_safety="unsafe")
    runs = ScreeningRun.objects.count()
    hits = list(Hit.objects.filter(household=h).values_list("pk", "run_id", "evidence"))
    registry.household_update(user=None, household=h, address="新地址 1 号")
    assert ScreeningRun.objects.count() == runs
    assert list(Hit.objects.filter(household=h).values_list("pk", "run_id", "evidence")) == hits
    registry.household_update(user=None, household=h, water_safety="unsafe")
    assert ScreeningRun.objects.filter(kind=RunKind.HOUSEHOLD).latest("pk").new_count == 1
