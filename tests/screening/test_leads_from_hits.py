"""Hits on the plan's focus rules open monitoring leads through monitoring's own service."""

import pytest

from shouwang.monitoring.models import Lead, LeadEvidence
from shouwang.screening.services import leads_open_from_hits
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = pytest.mark.django_db


def test_focus_hits_open_one_lead_per_household_with_the_evidence(county_admin, tongluo_household):
    income(tongluo_household, 2025, wage_income="5420")
    make_household(number="NO-FOCUS", members=[{}])  # no focus hit
    sent = leads_open_from_hits(user=county_admin)
    assert sent == 1
    lead = Lead.objects.get(household=tongluo_household)
    assert lead.source == "screening"
    rules = {item["rule"] for item in LeadEvidence.objects.get(lead=lead).evidence["screening"]}
    assert rules == {"INCOME_BELOW_LINE", "SEVERE_DISABILITY"}
    assert not Lead.objects.exclude(household=tongluo_household).exists()


def test_a_second_call_adds_evidence_to_the_open_lead(county_admin, tongluo_household):
    leads_open_from_hits(user=county_admin)
    leads_open_from_hits(user=county_admin, rule_codes=["SEVERE_DISABILITY"])
    assert Lead.objects.filter(household=tongluo_household).count() == 1
    assert LeadEvidence.objects.filter(lead__household=tongluo_household).count() == 2


def test_with_a_run_only_hits_first_seen_in_it_are_sent(county_admin, tongluo_household):
    first = screen()  # the listener already found the tongluo hits: nothing is new in this run
    assert leads_open_from_hits(user=county_admin, run=first) == 0
    from shouwang.screening.models import Hit

    Hit.objects.all().delete()
    second = screen()
    assert leads_open_from_hits(user=county_admin, run=second) == 1
