"""The parameters of the chosen year decide the outcome, and the hit records which year it used."""

import pytest

from shouwang.areas.models import Area
from shouwang.screening.models import Hit, ScreeningParameters
from shouwang.screening.selectors import parameters_for
from shouwang.screening.services import parameters_ensure, parameters_update
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(pengshui, county_admin):
    parameters_ensure(county=pengshui, user=county_admin)
    return pengshui


def test_seeded_years_are_2021_to_2026_and_unconfirmed(seeded):
    rows = ScreeningParameters.objects.filter(county=seeded).order_by("year")
    assert [r.year for r in rows] == [2021, 2022, 2023, 2024, 2025, 2026]
    assert rows[0].income_line == 6000
    assert not any(r.confirmed for r in rows)


def test_seeding_twice_adds_nothing(seeded):
    assert parameters_ensure(county=seeded) == []
    assert ScreeningParameters.objects.filter(county=seeded).count() == 6


def test_income_between_two_years_lines_fires_only_under_the_higher_line(seeded):
    h = make_household()
    income(h, 2021, wage_income="6200")  # above 2021's 6,000, below 2022's 6,500
    screen(year=2021)
    assert not Hit.objects.current().filter(household=h, rule_code="INCOME_BELOW_LINE").exists()
    run = screen(year=2022)
    hit = Hit.objects.current().get(household=h, rule_code="INCOME_BELOW_LINE")
    assert (hit.parameter_year, hit.first_seen_run_id, hit.evidence["line"]) == (2022, run.pk, 6500)


def test_a_year_only_sees_income_records_up_to_that_year(seeded):
    h = make_household()
    income(h, 2021, wage_income="5000")
    income(h, 2025, wage_income="50000")
    screen(year=2022)
    assert Hit.objects.current().get(household=h, rule_code="INCOME_BELOW_LINE").evidence["year"] == 2021
    screen(year=2026)
    assert not Hit.objects.current().filter(household=h, rule_code="INCOME_BELOW_LINE").exists()


def test_changing_a_years_line_changes_the_next_run(seeded, county_admin):
    h = make_household()
    income(h, 2025, wage_income="8000")
    screen(year=2026)
    assert not Hit.objects.current().filter(household=h, rule_code="INCOME_BELOW_LINE").exists()
    params = ScreeningParameters.objects.get(county=seeded, year=2026)
    parameters_update(user=county_admin, parameters=params, income_line=8500, confirmed=True)
    run = screen(year=2026)
    assert Hit.objects.current().filter(household=h, rule_code="INCOME_BELOW_LINE").exists()
    assert run.new_count >= 1


def test_parameters_for_falls_back_to_the_latest_earlier_year(seeded):
    assert parameters_for("500243", 2030).year == 2026
    assert parameters_for("500243000000", 2023).income_line == 6900


def test_parameters_for_a_county_without_rows_gives_unconfirmed_defaults(db):
    Area.objects.create(code="500242000000", name="酉阳", level=1, county_code="500242000000")
    params = parameters_for("500242", 2021)
    assert params.pk is None and params.income_line == 6000 and params.visit_period_months == 3
    assert not params.confirmed
