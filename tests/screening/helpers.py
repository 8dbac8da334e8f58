"""Small helpers shared by the screening tests."""

from __future__ import annotations

import datetime
from typing import Any

from shouwang.areas.models import Area
from shouwang.registry import services as registry
from shouwang.screening.models import Hit
from shouwang.screening.services import screening_run

TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)
COUNTY = "500243000000"


def screen(year: int | None = None, area: str = COUNTY) -> Any:
    return screening_run(area=Area.objects.get(code=area), year=year)


def codes(household: Any) -> set[str]:
    return set(Hit.objects.current().filter(household=household).values_list("rule_code", flat=True))


def screened_codes(household: Any, year: int | None = None) -> set[str]:
    """The household's current hit codes after a full run (which must agree with the incremental path)."""
    before = codes(household)
    run = screen(year)
    after = codes(household)
    if year is None:
        assert before == after, "full run and incremental re-screen disagree"
        assert run.new_count == run.resolved_count == 0
    return after


def income(household: Any, year: int, **amounts: Any) -> Any:
    return registry.income_record_save(user=None, household=household, year=year, **amounts)


def born(age: int, *, days_after: int = 0) -> datetime.date:
    """A birth date giving `age` on TODAY; days_after > 0 makes the person that many days younger."""
    day = TODAY.date()
    return day.replace(year=day.year - age) + datetime.timedelta(days=days_after)
