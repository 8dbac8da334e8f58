"""A person without a certificate is one fact row whichever record tables hold their records (the family
doctor contracts are aggregated in a table of their own, see `facts.OWN_TABLE`)."""

import datetime

import pytest

from shouwang.areas.models import Area
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, DIBAO, give, person
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


def _leaks(run):  # type: ignore[no-untyped-def]
    return {(f.rule, f.person_id): f.reason for f in run.findings.filter(kind="leak")}


def test_a_subsidy_and_a_family_doctor_contract_without_a_certificate_are_each_leak_once():
    both = person(household=DIBAO)
    give(both, "living_subsidy")
    give(both, "family_doctor", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    doctor_only = person()
    give(doctor_only, "family_doctor", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    assert _leaks(run) == {
        ("LIVING_SUBSIDY", both.pk): "NO_CERTIFICATE",
        ("FAMILY_DOCTOR", both.pk): "NO_CERTIFICATE",
        ("FAMILY_DOCTOR", doctor_only.pk): "NO_CERTIFICATE",
    }
    receiving = {t.rule: t.receiving for t in run.tallies.filter(rule__in=["LIVING_SUBSIDY", "FAMILY_DOCTOR"])}
    assert receiving == {"LIVING_SUBSIDY": 1, "FAMILY_DOCTOR": 2}
