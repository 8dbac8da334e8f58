"""An area's first run inserts its hits without a diff, so a household re-screen must not write hits between
the run's check that the area has none and its commit. On PostgreSQL (read committed) table locks order
them; SQLite takes its write lock when the run's transaction begins (IMMEDIATE), before that check."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from shouwang.screening import engine, services
from shouwang.screening.models import Hit
from tests.conftest import make_household
from tests.screening.helpers import screen

pytestmark = pytest.mark.django_db(transaction=True)


def _severe_unsafe_household():  # type: ignore[no-untyped-def]
    h = make_household(housing_safety="unsafe", members=[{"disability": {"category": 4, "grade": 1}}])
    Hit.objects.all().delete()  # no current hit anywhere: the next run of any area is a first run
    return h


def _rescreen_in_another_connection(household_id: int, errors: list[Exception]) -> threading.Thread:
    def other() -> None:
        try:
            with transaction.atomic():
                services.households_rescreen([household_id])
        except Exception as exc:  # noqa: BLE001 - the test reports whatever the other connection met
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    return thread


def _current_keys() -> list[tuple[int, str, str]]:
    return list(Hit.objects.current().values_list("household_id", "rule_code", "person_key"))


def _sqlite_orders_them() -> bool:
    if connection.vendor != "sqlite":
        return False
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    return True


@pytest.mark.parametrize("area", ["county", "township"])
def test_a_rescreen_committed_just_after_the_runs_check_turns_it_into_a_diff_run(pengshui, area, monkeypatch):
    if _sqlite_orders_them():
        return
    h = _severe_unsafe_household()
    real: Callable[..., bool] = engine.current_hits_exist
    errors: list[Exception] = []
    calls: list[bool] = []

    def check_then_rescreen(ctx):  # type: ignore[no-untyped-def]
        found = real(ctx)
        calls.append(found)
        if len(calls) == 1:  # between the run's first question and its lock
            _rescreen_in_another_connection(h.pk, errors).join(timeout=20)
        return found

    monkeypatch.setattr(engine, "current_hits_exist", check_then_rescreen)
    run = screen(area=h.township_id if area == "township" else "500243000000")

    assert not errors, errors
    assert calls == [False, True]  # asked again under the lock, the re-screen's hits are seen
    keys = _current_keys()
    assert len(keys) == len(set(keys)) and {k[1] for k in keys} >= {"HOUSING_UNSAFE", "SEVERE_DISABILITY"}
    assert run.new_count == 0  # the re-screen had written them


@pytest.mark.parametrize("area", ["county", "township"])
def test_a_rescreen_during_a_first_run_waits_for_it_and_then_agrees(pengshui, area, monkeypatch):
    if _sqlite_orders_them():
        return
    h = _severe_unsafe_household()
    real = engine._insert_rule
    errors: list[Exception] = []
    threads: list[threading.Thread] = []

    def insert_with_a_rescreen_started(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not threads:
            threads.append(_rescreen_in_another_connection(h.pk, errors))
            threads[0].join(timeout=1)
            assert threads[0].is_alive(), "the re-screen wrote hits while the first run was inserting"
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_insert_rule", insert_with_a_rescreen_started)
    run = screen(area=h.township_id if area == "township" else "500243000000")
    threads[0].join(timeout=20)

    assert not threads[0].is_alive() and not errors, errors
    keys = _current_keys()
    assert len(keys) == len(set(keys)) and {k[1] for k in keys} >= {"HOUSING_UNSAFE", "SEVERE_DISABILITY"}
    assert run.new_count == len(keys)  # the first run wrote them all; the re-screen found nothing to change
