"""Completing a visit plans the next one: the following quarter, or sooner when a risk was found."""

import pytest

from shouwang.visits import services
from shouwang.visits.models import Visit
from tests.visits.conftest import D, monitor, secured, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 2, 1)):
        return services.visit_plan(user=tongluo_specialist, household=tongluo_household)


def test_visit_completed_in_q1_plans_the_next_for_q2(planned, tongluo_specialist):
    with travel(D(2026, 2, 20)):
        services.visit_record(user=tongluo_specialist, household=planned.household, visited_on=D(2026, 2, 20),
                              form="home", checks=secured())
    planned.refresh_from_db()
    assert (planned.status, planned.visited_on) == ("done", D(2026, 2, 20))
    nxt = Visit.objects.get(status="planned")
    assert (nxt.period_start, nxt.due_on, nxt.visitor) == (D(2026, 4, 1), D(2026, 6, 30), tongluo_specialist)


def test_overdue_visit_done_in_q2_counts_for_q2_and_plans_q3(planned, tongluo_specialist):
    with travel(D(2026, 4, 10)):
        services.visit_record(user=tongluo_specialist, household=planned.household, visited_on=D(2026, 4, 9),
                              form="phone", checks=secured())
    assert Visit.objects.get(status="planned").due_on == D(2026, 9, 30)


def test_risk_found_brings_the_next_visit_forward_to_next_month(planned, tongluo_specialist):
    with travel(D(2026, 2, 20)):
        services.visit_record(user=tongluo_specialist, household=planned.household, visited_on=D(2026, 2, 20),
                              form="home", checks=secured(), risk_found=True, risk_note="户主外出务工中断")
    nxt = Visit.objects.get(status="planned")
    assert (nxt.period_start, nxt.due_on) == (D(2026, 3, 1), D(2026, 3, 31))


def test_a_visit_cannot_be_recorded_in_the_future(planned, tongluo_specialist):
    from django.core.exceptions import ValidationError

    with travel(D(2026, 2, 20)), pytest.raises(ValidationError, match="访视日期不能晚于今天"):
        services.visit_record(user=tongluo_specialist, household=planned.household, visited_on=D(2026, 2, 21),
                              form="home", checks=secured())
