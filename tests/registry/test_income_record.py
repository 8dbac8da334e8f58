"""家庭纯收入 and 人均纯收入 are derived as DOMAIN.md defines them, over living members only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from shouwang.registry import services
from shouwang.registry.models import IncomeRecord
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "wage_income": "12000", "business_income": "5000", "property_income": "300", "transfer_income": "2700",
    "business_cost": "2000", "insurance_claims": "800", "medical_spending": "4000", "education_spending": "1500",
}


def test_net_income_is_earnings_and_transfers_less_business_costs(pengshui):
    household = make_household(members=[{"name": "甲"}, {"name": "乙"}, {"name": "丙"}])
    record = services.income_record_save(user=None, household=household, year=2025, **AMOUNTS)
    assert record.net_income == Decimal("18000.00")  # 12000 + 5000 + 300 + 2700 - 2000
    assert record.per_capita_income == Decimal("6000.00")
    assert record.member_count == 3
    assert record.rigid_spending == Decimal("4700")  # (4000 - 800) medical + 1500 education


def test_per_capita_income_counts_living_members_only(pengshui):
    household = make_household(members=[
        {"name": "甲"}, {"name": "乙"},
        {"name": "丙", "living_status": "deceased", "status_date": datetime.date(2024, 3, 1)},
        {"name": "丁", "living_status": "moved_out", "status_date": datetime.date(2024, 9, 1)},
    ])
    record = services.income_record_save(user=None, household=household, year=2025, **AMOUNTS)
    assert record.member_count == 2
    assert record.per_capita_income == Decimal("9000.00")


def test_per_capita_income_is_rounded_to_the_fen(pengshui):
    household = make_household(members=[{"name": "甲"}, {"name": "乙"}, {"name": "丙"}])
    record = services.income_record_save(user=None, household=household, year=2025, wage_income="10000")
    assert record.per_capita_income == Decimal("3333.33")


def test_saving_the_same_year_again_replaces_the_record(pengshui):
    household = make_household(members=[{"name": "甲"}, {"name": "乙"}])
    services.income_record_save(user=None, household=household, year=2025, **AMOUNTS)
    services.income_record_save(user=None, household=household, year=2025, wage_income="8000")
    record = IncomeRecord.objects.get(household=household, year=2025)
    assert (record.net_income, record.per_capita_income) == (Decimal("8000.00"), Decimal("4000.00"))


def test_income_form_shows_the_derived_figures_on_the_household_page(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    response = client.post(reverse("registry:income_edit", args=[tongluo_household.pk]),
                            {"year": "2025", **AMOUNTS})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "18000.00" in page and "9000.00" in page  # two living members


def test_negative_amounts_are_refused_next_to_the_field(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    response = client.post(reverse("registry:income_edit", args=[tongluo_household.pk]),
                            {"year": "2025", **AMOUNTS, "wage_income": "-1"})
    assert response.status_code == 200
    assert response.context["form"].errors["wage_income"]
    assert not IncomeRecord.objects.exists()
