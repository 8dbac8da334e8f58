"""A sudden event found on a visit is recorded on the registry, re-screens the household and opens a lead."""

import pytest

from shouwang.monitoring.models import Lead
from shouwang.registry import services as registry
from shouwang.registry.models import HouseholdEvent
from shouwang.visits import services
from shouwang.visits.models import Referral
from tests.visits.conftest import D, secured, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def rescreened(monkeypatch):
    """Record the household ids handed to the change listeners (screening re-runs a household there)."""
    seen: list[int] = []
    monkeypatch.setattr(registry, "HOUSEHOLD_CHANGE_LISTENERS", [*registry.HOUSEHOLD_CHANGE_LISTENERS, seen.extend])
    return seen


def _record_illness(household, user):
    with travel(D(2026, 3, 20)):
        return services.visit_record(
            user=user, household=household, visited_on=D(2026, 3, 18), form="home", checks=secured(),
            events=[{"kind": "illness", "occurred_on": D(2026, 3, 2), "description": "户主突发脑梗住院"}],
            income_change="down", income_note="住院期间停工")


def test_illness_is_recorded_as_a_household_event(tongluo_household, tongluo_specialist, rescreened):
    _record_illness(tongluo_household, tongluo_specialist)
    event = HouseholdEvent.objects.get(household=tongluo_household)
    assert (event.kind, event.occurred_on, event.description) == ("illness", D(2026, 3, 2), "户主突发脑梗住院")


def test_the_household_is_handed_to_re_screening(tongluo_household, tongluo_specialist, rescreened):
    _record_illness(tongluo_household, tongluo_specialist)
    assert tongluo_household.pk in rescreened


def test_re_screening_finds_the_sudden_event(tongluo_household, tongluo_specialist):
    from shouwang.screening.models import Hit

    assert not Hit.objects.current().filter(household=tongluo_household, rule_code="SUDDEN_EVENT").exists()
    _record_illness(tongluo_household, tongluo_specialist)
    hit = Hit.objects.current().get(household=tongluo_household, rule_code="SUDDEN_EVENT")
    assert hit.evidence["kind"] == "illness"


def test_an_unmonitored_household_with_an_event_gets_a_visit_lead(tongluo_household, tongluo_specialist,
                                                                 rescreened):
    visit = _record_illness(tongluo_household, tongluo_specialist)
    lead = Lead.objects.get(household=tongluo_household)
    assert (lead.source, lead.status, lead.found_on) == ("visit", "open", D(2026, 3, 18))
    assert visit.risk_found
    assert Referral.objects.filter(visit=visit, subject="走访发现风险：因病").count() == 3


def test_the_income_change_is_kept_on_the_visit(tongluo_household, tongluo_specialist, rescreened):
    visit = _record_illness(tongluo_household, tongluo_specialist)
    visit.refresh_from_db()
    assert (visit.income_change, visit.income_note) == ("down", "住院期间停工")
