"""INCOME_DROP compares the latest record with the one just before it (not an older one), and a run for
an earlier policy year compares that year's latest record with the record before it."""

import pytest

from shouwang.screening.models import Hit
from shouwang.screening.services import parameters_ensure
from tests.conftest import make_household
from tests.screening.helpers import income, screen, screened_codes

pytestmark = pytest.mark.django_db


def test_the_drop_is_measured_against_the_previous_record(pengshui):
    h = make_household()
    income(h, 2023, wage_income="20000")
    income(h, 2024, wage_income="9000")
    income(h, 2025, wage_income="8000")  # -11 % from 2024, -60 % from 2023
    assert "INCOME_DROP" not in screened_codes(h)


def test_evidence_names_the_previous_year(pengshui):
    h = make_household()
    income(h, 2022, wage_income="9000")
    income(h, 2024, wage_income="20000")
    income(h, 2025, wage_income="10000")
    assert "INCOME_DROP" in screened_codes(h)
    hit = Hit.objects.current().get(household=h, rule_code="INCOME_DROP")
    assert (hit.evidence["previous_year"], float(hit.evidence["previous"]), hit.evidence["year"]) == (2024, 20000, 2025)


def test_an_earlier_years_run_compares_that_years_records(pengshui):
    parameters_ensure(county=pengshui)
    h = make_household()
    income(h, 2023, wage_income="20000")
    income(h, 2024, wage_income="10000")
    income(h, 2025, wage_income="30000")
    screen(year=2024)
    hit = Hit.objects.current().get(household=h, rule_code="INCOME_DROP")
    assert (hit.evidence["previous_year"], hit.evidence["year"]) == (2023, 2024)
    screen(year=2026)
    assert not Hit.objects.current().filter(household=h, rule_code="INCOME_DROP").exists()
