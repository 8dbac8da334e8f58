"""The demo step plans last quarter's and this quarter's visits, records some and leaves some overdue."""

import io

import pytest

from shouwang.areas.models import Area
from shouwang.visits.demo import demo_visits
from shouwang.visits.models import Visit
from tests.conftest import COUNTY, make_household
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


def test_demo_leaves_done_due_and_overdue_visits(pengshui):
    for i in range(10):
        monitor(make_household(number=f"DEMO{i}"), since=D(2025, 6, 1))
    out = io.StringIO()
    with travel(D(2026, 2, 20)):
        demo_visits(Area.objects.get(code=COUNTY), 1, out)
    done = Visit.objects.filter(status="done")
    assert done.filter(visited_on__lt=D(2026, 1, 1)).count() == 7
    assert Visit.objects.filter(status="planned", due_on=D(2025, 12, 31)).count() == 3  # overdue
    assert Visit.objects.filter(status="planned", due_on=D(2026, 3, 31)).exists()
    overdue = Visit.objects.overdue(D(2026, 2, 20)).count()  # also monthly follow-ups after a failed item
    assert overdue >= 3
    assert f"逾期未访 {overdue} 户" in out.getvalue()
