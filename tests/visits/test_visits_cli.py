"""`shouwang visits due|overdue [--area CODE] [--json]` lists what a township or village owes."""

import io
import json

import pytest
from django.core.management import call_command

from shouwang.areas.models import Area
from shouwang.visits import services
from tests.conftest import COUNTY, YUSHAN
from tests.visits.conftest import D, monitor, travel

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("visits", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def planned(tongluo_household, baojia_household, tongluo_specialist):
    monitor(tongluo_household)
    monitor(baojia_household)
    with travel(D(2026, 1, 5)):
        services.visits_schedule(user=None, area=Area.objects.get(code=COUNTY))


def test_due_as_json_for_a_township(planned):
    with travel(D(2026, 2, 1)):
        rows = json.loads(_run("due", "--area", YUSHAN, "--json"))
    assert [(r["household"], r["due_on"], r["overdue"], r["visitor"]) for r in rows] == [
        ("TL0001", "2026-03-31", False, "tongluo")]


def test_overdue_after_the_quarter_for_the_whole_county(planned):
    with travel(D(2026, 4, 1)):
        rows = json.loads(_run("overdue", "--area", "500243", "--json"))
    assert sorted(r["household"] for r in rows) == ["BJ0001", "TL0001"]
    with travel(D(2026, 3, 31)):
        assert json.loads(_run("overdue", "--area", "500243", "--json")) == []


def test_table_output_counts_households(planned):
    with travel(D(2026, 4, 1)):
        text = _run("overdue", "--area", YUSHAN)
    assert "TL0001" in text and "逾期" in text and "1 户" in text


def test_schedule_and_sweep_from_the_cli(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 1, 5)):
        assert json.loads(_run("schedule", "--area", YUSHAN, "--json")) == {"area": YUSHAN, "planned": 1}
    with travel(D(2026, 4, 2)):
        assert json.loads(_run("sweep", "--json")) == {"visits": 1, "referrals": 0}
        assert json.loads(_run("sweep", "--json")) == {"visits": 0, "referrals": 0}


def test_unknown_area_is_a_clear_error(pengshui):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="区划代码不存在"):
        _run("due", "--area", "999999999999")
