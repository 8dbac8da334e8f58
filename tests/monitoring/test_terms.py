"""Terms by year: 监测对象 in the transition period, 防止返贫致贫对象 from 2026; a county may keep its own."""

import datetime

import pytest
import time_machine

from shouwang.monitoring.models import Term
from shouwang.monitoring.parameters import term_for

pytestmark = pytest.mark.django_db


def test_term_changes_on_the_first_day_of_2026(db):
    assert term_for("monitored_object", on=datetime.date(2025, 12, 31)) == "监测对象"
    assert term_for("monitored_object", on=datetime.date(2026, 1, 1)) == "防止返贫致贫对象"


def test_county_term_wins_over_the_general_one(db):
    Term.objects.create(
        key="monitored_object",
        label="防返贫监测户",
        effective_from=datetime.date(2026, 6, 1),
        county_code="500243000000",
    )
    assert (
        term_for("monitored_object", on=datetime.date(2026, 7, 1), county_code="500243000000")
        == "防返贫监测户"
    )
    assert (
        term_for("monitored_object", on=datetime.date(2026, 7, 1), county_code="500101000000")
        == "防止返贫致贫对象"
    )


@pytest.mark.parametrize(("year", "term"), [(2025, "监测对象"), (2026, "防止返贫致贫对象")])
def test_pages_use_the_term_of_the_day(client, yushan_officer, year, term):
    client.force_login(yushan_officer)
    with time_machine.travel(datetime.datetime(year, 6, 1, 2, tzinfo=datetime.UTC), tick=False):
        page = client.get("/monitoring/households/").content.decode()
    heading = page.split("<h1")[1].split("</h1>")[0]
    assert term in heading
    nav = page.split("<nav")[1].split("</nav>")[0]
    assert f">{term}</a>" in nav
