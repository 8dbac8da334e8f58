"""The first run of an area (its households have no current hit) writes every hit straight from the rules;
what it writes is exactly what the diff of a later run keeps, and later runs diff against it."""

import pytest
from django.db import IntegrityError, connection, transaction

from shouwang.registry import services as registry
from shouwang.registry.models import Household
from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


def _current():
    return {(h.rule_code, h.household_id, h.person_id, h.rule_version, h.parameter_year, repr(sorted(h.evidence.items())))
            for h in Hit.objects.current()}


def test_a_first_run_writes_the_hits_the_change_listener_kept(pengshui):
    a = make_household(housing_safety="unsafe", members=[{"disability": {"category": 4, "grade": 1}},
                                                         {"medical_insurance": False}])
    income(a, 2025, wage_income="3000")
    make_household(water_safety="unsafe", members=[{"labour_capacity": "lost"}])
    kept = _current()
    Hit.objects.all().delete()
    first = screen()
    assert _current() == kept
    assert first.new_count == first.total_hits == len(kept) and first.resolved_count == first.changed_count == 0
    assert set(Hit.objects.values_list("run_id", "first_seen_run_id").distinct()) == {(first.pk, first.pk)}
    again = screen()
    assert (again.new_count, again.resolved_count, again.changed_count) == (0, 0, 0)


def test_a_run_after_the_first_resolves_what_changed(pengshui):
    h = make_household(housing_safety="unsafe")
    Hit.objects.all().delete()
    screen()
    Household.objects.filter(pk=h.pk).update(housing_safety="safe")
    run = screen()
    assert run.resolved_count == 1
    registry.household_update(user=None, household=Household.objects.get(pk=h.pk), water_safety="unsafe")
    assert set(Hit.objects.current().filter(household=h).values_list("rule_code", flat=True)) == {"WATER_UNSAFE"}


def test_an_area_with_hits_elsewhere_still_gets_its_first_run(pengshui):
    """Hits in another township do not stop a township's first run, nor are they touched by it."""
    yushan = make_household(housing_safety="unsafe")
    baojia = make_household(village="500243103200", housing_safety="unsafe")
    Hit.objects.filter(household=yushan).delete()
    others = set(Hit.objects.filter(household=baojia).values_list("pk", "run_id"))
    run = screen(area="500243102000")  # 郁山镇
    assert run.new_count == 1 and Hit.objects.current().filter(household=yushan, first_seen_run=run).exists()
    assert set(Hit.objects.filter(household=baojia).values_list("pk", "run_id")) == others


def test_after_a_first_run_the_hit_table_still_refuses_a_second_current_hit(pengshui):
    """A first run over every household builds the current-hit indexes (and on PostgreSQL, on a table with
    little history, the primary key) again after its insert; they must come back, unique, and serve the
    next run's diff. The table has no other index (nothing reads hits by person)."""
    h = make_household(housing_safety="unsafe")
    Hit.objects.all().delete()
    if connection.vendor == "postgresql":  # statistics that say the hit table is empty, as a new county's is
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Hit._meta.db_table}, {Household._meta.db_table}")
    screen()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Hit._meta.db_table)
    indexes = {name for name, c in constraints.items() if c["index"] or c["primary_key"] or c["unique"]}
    assert indexes - {name for name, c in constraints.items() if c["primary_key"]} == {
        "screening_hit_current", "screening_hit_rule_household"}
    assert [c["columns"] for c in constraints.values() if c["primary_key"]] == [["id"]]
    duplicate = Hit.objects.current().get(household=h)
    duplicate.resolved_run_id = duplicate.run_id  # not current: only the primary key can refuse it
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)
    hit = Hit.objects.current().get(household=h)
    hit.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        hit.save()
    Household.objects.filter(pk=h.pk).update(housing_safety="safe", water_safety="unsafe")
    run = screen()
    assert (run.new_count, run.resolved_count) == (1, 1)
    assert set(Hit.objects.current().filter(household=h).values_list("rule_code", flat=True)) == {"WATER_UNSAFE"}


def _hit_indexes():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Hit._meta.db_table)
    return {name: (c["columns"], c["unique"]) for name, c in constraints.items() if c["index"] or c["primary_key"]}


def test_a_first_run_that_fails_leaves_the_hit_indexes_as_they_were(pengshui, monkeypatch):
    """The first run drops the current-hit indexes before it inserts; when a rule fails half-way the
    whole run is rolled back, indexes included, and the next run finds them and works."""
    from shouwang.screening import engine

    h = make_household(housing_safety="unsafe")
    Hit.objects.all().delete()
    before = _hit_indexes()
    assert {"screening_hit_current", "screening_hit_rule_household"} <= set(before)
    real = engine._insert_rows
    done, dropped = [], []

    def failing(cursor, rule, *args):
        if done:
            dropped.append(set(before) - set(_hit_indexes()))
            raise RuntimeError("the database went away")
        done.append(rule.code)
        return real(cursor, rule, *args)

    monkeypatch.setattr(engine, "_insert_rows", failing)
    with pytest.raises(RuntimeError):
        screen()
    monkeypatch.setattr(engine, "_insert_rows", real)
    # the run had dropped them (on PostgreSQL the primary key too)
    assert len(dropped) == 1 and {"screening_hit_current", "screening_hit_rule_household"} <= dropped[0]
    assert _hit_indexes() == before
    assert not Hit.objects.exists()
    run = screen()
    assert run.new_count == 1 and Hit.objects.current().get(household=h).rule_code == "HOUSING_UNSAFE"
