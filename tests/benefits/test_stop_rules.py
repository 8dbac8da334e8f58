"""Death, moving out and an expired or cancelled certificate stop both subsidies from the month after."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from shouwang.registry.services import disability_set, person_update
from tests.benefits.conftest import DIBAO, MILD, evaluate, give, person

pytestmark = pytest.mark.django_db
EVENT = datetime.date(2026, 3, 10)


def _today_result(rule: str = "LIVING_SUBSIDY"):  # type: ignore[no-untyped-def]
    return evaluate(rule, day=timezone.localdate())


def _paid():  # type: ignore[no-untyped-def]
    who = person(household=DIBAO, disability=MILD)
    give(who, "living_subsidy")
    return who


def test_death_stops_the_subsidy_from_the_month_after():
    who = _paid()
    person_update(user=None, person=who, living_status="deceased", status_date=EVENT)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {}
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {who.pk: "DECEASED"}


def test_moving_the_registration_out_stops_the_subsidy_from_the_month_after():
    who = _paid()
    person_update(user=None, person=who, living_status="moved_out", status_date=EVENT)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {}
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {who.pk: "MOVED_OUT"}


def test_certificate_expiry_stops_the_subsidy_from_the_month_after():
    who = _paid()
    disability_set(user=None, person=who, certificate_number=who.disability.certificate_number, category=4,
                   grade=4, status="expired", valid_until=EVENT)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {}
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {who.pk: "CERT_EXPIRED"}


def test_cancelled_certificate_stops_the_subsidy_from_the_month_after_its_date():
    who = _paid()
    disability_set(user=None, person=who, certificate_number=who.disability.certificate_number, category=4,
                   grade=4, status="cancelled", valid_until=EVENT)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {}
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result().leak == {who.pk: "CERT_CANCELLED"}


def test_care_subsidy_stops_too():
    who = person(disability={"category": 4, "grade": 1}, needs_long_term_care=True)
    give(who, "care_subsidy")
    person_update(user=None, person=who, living_status="deceased", status_date=EVENT)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result("CARE_SUBSIDY").leak == {who.pk: "DECEASED"}


def test_a_dead_person_is_not_missed_after_the_month_of_death():
    who = person(household=DIBAO, disability=MILD)
    person_update(user=None, person=who, living_status="deceased", status_date=EVENT)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)):
        assert _today_result().missed == {}


def test_ending_the_record_clears_the_leak():
    from shouwang.benefits.services import benefit_record_end

    who = person(household=DIBAO, disability=MILD)
    record = give(who, "living_subsidy")
    person_update(user=None, person=who, living_status="deceased", status_date=EVENT)
    benefit_record_end(user=None, record=record, end_on=datetime.date(2026, 3, 31), reason="死亡停发")
    assert evaluate("LIVING_SUBSIDY", day=datetime.date(2026, 4, 15)).leak == {}


YEAR_END = datetime.date(2026, 12, 31)


def _yearly(kind: str = "family_doctor", end: datetime.date = YEAR_END):  # type: ignore[no-untyped-def]
    who = person(disability=MILD)
    record = give(who, kind, datetime.date(2026, 1, 1), end)
    person_update(user=None, person=who, living_status="deceased", status_date=EVENT)
    return who, record


def test_a_yearly_benefit_still_running_after_death_is_leak():
    who, _ = _yearly()
    assert evaluate("FAMILY_DOCTOR", day=datetime.date(2026, 4, 15)).leak == {who.pk: "DECEASED"}


def test_a_yearly_benefit_ended_in_the_month_of_death_is_not_leak():
    """The contract of this year still counts as received in the year, but ended at death it was not paid
    after the event: no leak (before: every death of the year showed as DECEASED leakage)."""
    who, _ = _yearly(end=datetime.date(2026, 3, 31))
    result = evaluate("FAMILY_DOCTOR", day=datetime.date(2026, 4, 15))
    assert result.leak == {}
    assert result.missed == {}
    assert result.tally["receiving"] == 1 and result.tally["eligible"] == 0


def test_a_yearly_premium_for_a_lapsed_certificate_is_leak_only_while_it_runs():
    who = person(disability=MILD)
    record = give(who, "rehab_service", datetime.date(2026, 1, 1), YEAR_END)
    disability_set(user=None, person=who, certificate_number=who.disability.certificate_number, category=4,
                   grade=4, status="expired", valid_until=EVENT)
    person_update(user=None, person=who, needs_rehabilitation=True)
    assert evaluate("REHAB_SERVICE", day=datetime.date(2026, 4, 15)).leak == {who.pk: "CERT_EXPIRED"}
    from shouwang.benefits.services import benefit_record_end

    benefit_record_end(user=None, record=record, end_on=datetime.date(2026, 3, 31), reason="证件到期")
    assert evaluate("REHAB_SERVICE", day=datetime.date(2026, 4, 15)).leak == {}


def test_a_yearly_benefit_without_any_certificate_is_leak_even_when_ended():
    who = person()
    give(who, "family_doctor", datetime.date(2026, 1, 1), datetime.date(2026, 2, 28))
    assert evaluate("FAMILY_DOCTOR", day=datetime.date(2026, 4, 15)).leak == {who.pk: "NO_CERTIFICATE"}
