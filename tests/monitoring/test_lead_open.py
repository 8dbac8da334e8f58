"""lead_open: one active lead per household; more evidence joins it; a monitored household gets no new lead."""

import datetime

import pytest

from shouwang.audit.models import AuditEntry
from shouwang.monitoring.models import Lead
from shouwang.monitoring.services import lead_open

pytestmark = pytest.mark.django_db


def test_first_signal_opens_a_lead_with_its_evidence(tongluo_household, tongluo_specialist):
    lead = lead_open(
        user=tongluo_specialist,
        household=tongluo_household,
        source="visit",
        evidence={"finding": "住院"},
        found_on=datetime.date(2026, 3, 2),
        note="入户发现",
    )
    assert lead.status == "open"
    assert lead.found_on == datetime.date(2026, 3, 2)
    assert [e.evidence for e in lead.evidence.all()] == [{"finding": "住院"}]
    assert AuditEntry.objects.filter(
        action="monitoring.lead.opened", household_id=tongluo_household.pk
    ).exists()


def test_second_signal_joins_the_open_lead(tongluo_household, tongluo_specialist):
    first = lead_open(user=None, household=tongluo_household, source="screening", evidence={"rule": "H01"})
    second = lead_open(
        user=tongluo_specialist, household=tongluo_household, source="visit", evidence={"x": 1}
    )
    assert second.pk == first.pk
    assert Lead.objects.filter(household=tongluo_household).count() == 1
    assert sorted(e.source for e in first.evidence.all()) == ["screening", "visit"]
    assert first.source == "screening"


def test_unknown_source_is_refused_in_chinese(tongluo_household):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="线索来源无效"):
        lead_open(user=None, household=tongluo_household, source="rumour", evidence={})
