"""Income rules read the household's latest income record and fire on the configured figures
(2026 defaults: line 7,500 yuan, warning band 50 %, drop 30 %, rigid spending 50 %, transfers 50 %)."""

from decimal import Decimal

import pytest

from tests.conftest import make_household
from tests.screening.helpers import TODAY, income, screened_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def single(pengshui):
    return make_household(number="INC-1")


@pytest.mark.parametrize(("wage", "fires"), [("5420", True), ("7499.99", True), ("7500", False), ("9000", False)])
def test_income_below_line_fires_strictly_below_the_line(single, wage, fires):
    income(single, 2025, wage_income=wage)
    assert ("INCOME_BELOW_LINE" in screened_codes(single)) is fires


@pytest.mark.parametrize(("wage", "fires"), [("7499", False), ("7500", True), ("11249.99", True), ("11250", False)])
def test_income_near_line_fires_between_the_line_and_the_band(single, wage, fires):
    income(single, 2025, wage_income=wage)
    assert ("INCOME_NEAR_LINE" in screened_codes(single)) is fires


def test_income_rules_use_the_latest_record_only(single):
    income(single, 2024, wage_income="3000")
    income(single, 2025, wage_income="20000")
    assert not {"INCOME_BELOW_LINE", "INCOME_NEAR_LINE"} & screened_codes(single)


def test_income_below_line_evidence_names_the_year_and_values(single):
    from shouwang.screening.models import Hit
    from shouwang.screening.rules import explain

    income(single, 2025, wage_income="5420")
    screened_codes(single)
    hit = Hit.objects.current().get(household=single, rule_code="INCOME_BELOW_LINE")
    assert hit.evidence["year"] == 2025 and float(hit.evidence["per_capita"]) == 5420
    assert explain(hit.rule_code, hit.evidence) == "人均纯收入 5,420 元 < 监测标准 7,500 元（2025年度收入记录）"


@pytest.mark.parametrize(("now", "fires"), [("7000", True), ("7000.01", False), ("12000", False)])
def test_income_drop_fires_when_per_capita_income_falls_by_the_ratio(single, now, fires):
    income(single, 2024, wage_income="10000")
    income(single, 2025, wage_income=now)
    assert ("INCOME_DROP" in screened_codes(single)) is fires


@pytest.mark.parametrize(("now", "fires"), [("717.57", True), ("717.58", False)])
def test_income_drop_boundary_holds_where_floating_arithmetic_is_a_hair_off(single, now, fires):
    """717.57 is exactly 70% of 1,025.10, a drop of exactly 30%; in binary floating point (SQLite) the
    difference comes out a ten-billionth above zero, which must still count as the boundary."""
    income(single, 2024, wage_income="1025.10")
    income(single, 2025, wage_income=now)
    assert ("INCOME_DROP" in screened_codes(single)) is fires


@pytest.mark.parametrize(("now", "fires"), [("0", True), ("0.01", False)])
def test_a_drop_ratio_of_100_percent_fires_only_when_the_income_fell_to_nothing(single, pengshui, now, fires):
    """The run keeps aside only households whose income fell below the previous record's; a ratio of 1
    (the steepest a real drop can be) still finds its boundary among them."""
    from shouwang.screening.selectors import parameters_in_effect
    from shouwang.screening.services import parameters_ensure, parameters_update

    parameters_ensure(county=pengshui)
    parameters_update(user=None, parameters=parameters_in_effect("500243", TODAY.date()),
                      income_drop_ratio=Decimal("1"))
    income(single, 2024, wage_income="10000")
    income(single, 2025, wage_income=now)
    assert ("INCOME_DROP" in screened_codes(single)) is fires


def test_income_drop_needs_a_previous_record(single):
    income(single, 2025, wage_income="100")
    assert "INCOME_DROP" not in screened_codes(single)


@pytest.mark.parametrize(("medical", "claims", "fires"), [
    ("5000", "0", True), ("4999.99", "0", False), ("6000", "1000", True), ("6000", "1000.01", False),
])
def test_rigid_spending_fires_at_half_the_net_income(single, medical, claims, fires):
    income(single, 2025, wage_income="10000", medical_spending=medical, insurance_claims=claims)
    assert ("RIGID_SPENDING" in screened_codes(single)) is fires


def test_rigid_spending_counts_education_too(single):
    income(single, 2025, wage_income="10000", medical_spending="2000", education_spending="3000")
    assert "RIGID_SPENDING" in screened_codes(single)


@pytest.mark.parametrize(("transfer", "fires"), [("5000", False), ("5000.01", True), ("0", False)])
def test_transfer_dependent_fires_when_transfers_are_more_than_half(single, transfer, fires):
    income(single, 2025, wage_income="5000", transfer_income=transfer)
    assert ("TRANSFER_DEPENDENT" in screened_codes(single)) is fires


def test_household_without_income_record_has_no_income_hits(single):
    assert not {"INCOME_BELOW_LINE", "INCOME_NEAR_LINE", "INCOME_DROP", "RIGID_SPENDING",
                "TRANSFER_DEPENDENT"} & screened_codes(single)
