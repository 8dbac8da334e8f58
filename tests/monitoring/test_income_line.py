"""The exit check reads the monitoring income line from screening's yearly parameters."""

import datetime
from decimal import Decimal

import pytest

from shouwang.monitoring.criteria import exit_check
from shouwang.monitoring.parameters import income_line_for
from shouwang.registry import services as registry
from shouwang.screening.defaults import default_values
from shouwang.screening.models import ScreeningParameters
from tests.monitoring.conftest import walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_income_line_comes_from_the_screening_parameters(pengshui):
    ScreeningParameters.objects.create(
        county_id="500243000000", **(default_values(2026) | {"income_line": 8123})
    )
    assert income_line_for("500243000000", 2026) == Decimal("8123")


def test_income_below_the_screening_line_is_not_stable(
    tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    ScreeningParameters.objects.create(
        county_id="500243000000", **(default_values(2026) | {"income_line": 9000})
    )
    registry.income_record_save(
        user=None, household=tongluo_household, year=2026, wage_income=17000
    )  # 8500 each
    case = walk(
        tongluo_household,
        to="monitored",
        specialist=tongluo_specialist,
        officer=yushan_officer,
        staff=county_staff,
    )
    income = next(
        c for c in exit_check(case, today=datetime.date(2026, 10, 1)).criteria if c.code == "income"
    )
    assert not income.met
    assert "8500.00" in income.detail and "9000" in income.detail
