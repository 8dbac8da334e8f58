"""A visit due in a quarter is due up to its last day and overdue from the next quarter's first day."""

import pytest

from shouwang.areas.models import Area
from shouwang.visits import services
from shouwang.visits.models import Visit
from shouwang.visits.periods import quarter_of
from shouwang.visits.selectors import visit_counts, visit_list
from tests.conftest import YUSHAN
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


def _lists(day):
    visits = Visit.objects.all()
    return {which: [v.household.number for v in visit_list(visits=visits, which=which, today=day)]
            for which in ("due", "overdue", "done")}


@pytest.fixture
def planned_in_q1(tongluo_household):
    monitor(tongluo_household)
    with travel(D(2026, 1, 5)):
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    return tongluo_household


def test_on_the_last_day_of_the_quarter_the_visit_is_due_not_overdue(planned_in_q1):
    assert _lists(D(2026, 3, 31)) == {"due": ["TL0001"], "overdue": [], "done": []}


def test_on_the_first_day_of_the_next_quarter_the_visit_is_overdue(planned_in_q1):
    lists = _lists(D(2026, 4, 1))
    assert lists["overdue"] == ["TL0001"]
    assert lists["due"] == ["TL0001"]  # still owed: the due list of Q2 carries it


def test_planning_the_next_quarter_keeps_the_overdue_visit_instead_of_adding_one(planned_in_q1):
    with travel(D(2026, 4, 1)):
        assert services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN)) == 0
    assert Visit.objects.get().due_on == D(2026, 3, 31)


def test_visit_done_on_the_quarters_last_day_counts_for_that_quarter_only(planned_in_q1, tongluo_specialist):
    from tests.visits.conftest import secured

    with travel(D(2026, 3, 31)):
        services.visit_record(user=tongluo_specialist, household=planned_in_q1, visited_on=D(2026, 3, 31),
                              form="phone", checks=secured())
    q1 = visit_counts(Visit.objects.all(), today=D(2026, 3, 31))
    q2 = visit_counts(Visit.objects.all(), today=D(2026, 4, 1), quarter=quarter_of(D(2026, 4, 1)))
    assert (q1["done"], q1["overdue"]) == (1, 0)
    assert (q2["done"], q2["due"], q2["overdue"]) == (0, 1, 0)
