"""Measure records: planned → in progress → done / not effective, with follow-ups, effect and overdue flag."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shouwang.assistance import services
from shouwang.assistance.models import Measure
from shouwang.assistance.selectors import measures_done_count
from shouwang.audit.models import AuditEntry
from tests.assistance.conftest import add_measure

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_a_measure_runs_from_planned_to_done_with_its_effect(ledger, yushan_officer):
    measure = add_measure(ledger, yushan_officer, amount=Decimal("3000"))
    assert measure.status == "planned"
    services.measure_set_status(user=yushan_officer, measure=measure, status="in_progress")
    services.follow_up_add(user=yushan_officer, measure=measure, date=TODAY, note="已到岗")
    services.measure_set_status(
        user=yushan_officer, measure=measure, status="done", effect="稳定就业", income_after=Decimal("9800")
    )
    measure.refresh_from_db()
    assert (measure.status, measure.done_on, measure.effect) == ("done", TODAY, "稳定就业")
    assert measure.income_after == Decimal("9800")
    assert [f.note for f in measure.follow_ups.all()] == ["已到岗"]
    assert measures_done_count(ledger.household) == 1
    actions = set(
        AuditEntry.objects.filter(object_type="assistance.measure").values_list("action", flat=True)
    )
    assert {
        "assistance.measure.created",
        "assistance.measure.in_progress",
        "assistance.measure.done",
        "assistance.measure.followed_up",
    } <= actions


def test_a_done_measure_cannot_change_status(ledger, yushan_officer):
    measure = add_measure(ledger, yushan_officer)
    services.measure_set_status(user=yushan_officer, measure=measure, status="done", effect="已落实")
    with pytest.raises(ValidationError, match="不能从“已完成”改为“实施中”"):
        services.measure_set_status(user=yushan_officer, measure=measure, status="in_progress")


def test_a_planned_measure_cannot_be_judged_not_effective_before_it_runs(ledger, yushan_officer):
    measure = add_measure(ledger, yushan_officer)
    with pytest.raises(ValidationError, match="不能从“计划”改为“未见成效”"):
        services.measure_set_status(user=yushan_officer, measure=measure, status="not_effective", effect="x")


def test_a_not_effective_measure_can_be_resumed(ledger, yushan_officer):
    measure = add_measure(ledger, yushan_officer)
    services.measure_set_status(user=yushan_officer, measure=measure, status="in_progress")
    services.measure_set_status(user=yushan_officer, measure=measure, status="not_effective", effect="未稳定")
    services.measure_set_status(user=yushan_officer, measure=measure, status="in_progress")
    assert Measure.objects.get(pk=measure.pk).status == "in_progress"
    assert measures_done_count(ledger.household) == 0


def test_done_needs_an_effect(ledger, yushan_officer):
    measure = add_measure(ledger, yushan_officer)
    with pytest.raises(ValidationError, match="帮扶成效"):
        services.measure_set_status(user=yushan_officer, measure=measure, status="done")


def test_due_date_before_start_is_refused(ledger, yushan_officer):
    with pytest.raises(ValidationError, match="完成时限不能早于开始日期"):
        add_measure(ledger, yushan_officer, start_on=TODAY, due_on=TODAY - datetime.timedelta(days=1))


def test_a_measure_past_its_due_date_and_not_done_is_overdue(ledger, yushan_officer):
    late = add_measure(ledger, yushan_officer, due_on=TODAY - datetime.timedelta(days=1))
    finished = add_measure(ledger, yushan_officer, due_on=TODAY - datetime.timedelta(days=1))
    services.measure_set_status(user=yushan_officer, measure=finished, status="done", effect="已落实")
    add_measure(ledger, yushan_officer)
    assert list(Measure.objects.overdue()) == [late]
    finished.refresh_from_db()
    assert late.is_overdue() and not finished.is_overdue()
