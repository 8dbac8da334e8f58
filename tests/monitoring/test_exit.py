"""Exit (风险消除): criteria shown met or not; village → township → county; no-labour households stay
tracked; history is kept and the household can re-enter."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.areas.models import Area
from shouwang.monitoring import criteria, services
from shouwang.monitoring.models import Lead, MonitoringCase
from shouwang.monitoring.selectors import monitored_households
from shouwang.registry import services as registry
from tests.conftest import make_household
from tests.monitoring.conftest import D, open_lead, walk

pytestmark = pytest.mark.django_db

EXIT_DAY = D(2026, 10, 20)  # more than 6 months after confirmation on 2026-03-11


@pytest.fixture
def secured(tongluo_household):  # type: ignore[no-untyped-def]
    """两不愁三保障 and water secured, income well above the line."""
    registry.household_update(
        user=None,
        household=tongluo_household,
        food_clothing="safe",
        housing_safety="safe",
        water_safety="safe",
    )
    registry.income_record_save(user=None, household=tongluo_household, year=2026, wage_income=40000)
    return tongluo_household


@pytest.fixture
def one_measure(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(criteria, "measures_done", lambda household: 1)


def _monitored(household, specialist, officer, staff):  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 3, 31, 2, tzinfo=datetime.UTC), tick=False):
        return walk(household, to="monitored", specialist=specialist, officer=officer, staff=staff)


def test_household_exits_through_village_township_and_county(
    secured, one_measure, tongluo_specialist, yushan_officer, county_staff
):
    case = _monitored(secured, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 10, 25, 2, tzinfo=datetime.UTC), tick=False):
        assert criteria.exit_check(case, today=EXIT_DAY).may_exit
        services.monitoring_exit_propose(user=tongluo_specialist, case=case, reviewed_on=EXIT_DAY)
        assert monitored_households(Area.objects.get(code="500243102200")).exists()  # still monitored
        services.monitoring_exit_review_township(user=yushan_officer, case=case, reviewed_on=EXIT_DAY)
        services.monitoring_exit_confirm(user=county_staff, case=case, exited_on=EXIT_DAY)
    case.refresh_from_db()
    assert case.stage == "exited" and case.exited_on == EXIT_DAY
    assert {c["code"] for c in case.exit_criteria if c["met"]} >= {"months", "measures", "income", "water"}
    assert not monitored_households(Area.objects.get(code="500243102200")).exists()


def test_exit_is_refused_before_six_months_and_lists_what_is_missing(
    secured, one_measure, tongluo_specialist, yushan_officer, county_staff
):
    case = _monitored(secured, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 5, 2, 2, tzinfo=datetime.UTC), tick=False):
        check = criteria.exit_check(case, today=D(2026, 5, 1))
        assert [c.code for c in check.criteria if not c.met] == ["months"]
        with pytest.raises(ValidationError, match="风险消除条件未全部满足：纳入监测满6个月"):
            services.monitoring_exit_propose(user=tongluo_specialist, case=case, reviewed_on=D(2026, 5, 1))


def test_without_the_ledger_no_measure_counts_and_the_page_says_so(
    secured, monkeypatch, tongluo_specialist, yushan_officer, county_staff
):
    import builtins

    real_import = builtins.__import__

    def no_assistance(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "shouwang.assistance.selectors":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_assistance)
    case = _monitored(secured, tongluo_specialist, yushan_officer, county_staff)
    measures = next(c for c in criteria.exit_check(case, today=EXIT_DAY).criteria if c.code == "measures")
    assert not measures.met
    assert "帮扶台账尚未启用" in measures.detail


def test_no_labour_household_cannot_be_marked_eliminated(
    pengshui, one_measure, tongluo_specialist, yushan_officer, county_staff
):
    household = make_household(
        members=[
            {
                "name": "赵老汉",
                "relation": "head",
                "labour_capacity": "none",
                "disability": {"category": 4, "grade": 1},
            }
        ],
        food_clothing="safe",
        housing_safety="safe",
        water_safety="safe",
    )
    registry.income_record_save(user=None, household=household, year=2026, transfer_income=20000)
    case = _monitored(household, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 10, 25, 2, tzinfo=datetime.UTC), tick=False):
        check = criteria.exit_check(case, today=EXIT_DAY)
        assert check.all_met and not check.has_labour and not check.may_exit
        with pytest.raises(ValidationError, match="无劳动能力成员，不能标注风险消除"):
            services.monitoring_exit_propose(user=tongluo_specialist, case=case, reviewed_on=EXIT_DAY)
    case.refresh_from_db()
    assert case.stage == "monitored"


def test_township_can_send_an_exit_back(
    secured, one_measure, tongluo_specialist, yushan_officer, county_staff
):
    case = _monitored(secured, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 10, 25, 2, tzinfo=datetime.UTC), tick=False):
        services.monitoring_exit_propose(user=tongluo_specialist, case=case, reviewed_on=EXIT_DAY)
        with pytest.raises(PermissionDenied):
            services.monitoring_exit_review_township(user=county_staff, case=case, reviewed_on=EXIT_DAY)
        services.monitoring_exit_reject(user=yushan_officer, case=case, reason="务工收入尚不稳定")
    case.refresh_from_db()
    assert case.stage == "monitored"
    assert case.steps.last().note == "务工收入尚不稳定"


def test_exited_household_keeps_its_history_and_can_re_enter(
    secured, one_measure, tongluo_specialist, yushan_officer, county_staff
):
    first = _monitored(secured, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 10, 25, 2, tzinfo=datetime.UTC), tick=False):
        services.monitoring_exit_propose(user=tongluo_specialist, case=first, reviewed_on=EXIT_DAY)
        services.monitoring_exit_review_township(user=yushan_officer, case=first, reviewed_on=EXIT_DAY)
        services.monitoring_exit_confirm(user=county_staff, case=first, exited_on=EXIT_DAY)
    with time_machine.travel(datetime.datetime(2027, 2, 28, 2, tzinfo=datetime.UTC), tick=False):
        second = walk(
            secured,
            to="monitored",
            specialist=tongluo_specialist,
            officer=yushan_officer,
            staff=county_staff,
            found_on=D(2027, 2, 1),
        )
    assert second.pk != first.pk
    assert MonitoringCase.objects.filter(household=secured).count() == 2
    assert Lead.objects.filter(household=secured).count() == 2
    first.refresh_from_db()
    assert first.stage == "exited"
    assert list(monitored_households(Area.objects.get(code="500243102200"))) == [secured]


def test_new_evidence_for_a_monitored_household_joins_its_case(
    tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    case = _monitored(tongluo_household, tongluo_specialist, yushan_officer, county_staff)
    with time_machine.travel(datetime.datetime(2026, 4, 5, 2, tzinfo=datetime.UTC), tick=False):
        lead = open_lead(tongluo_household, found_on=D(2026, 4, 4), source="screening")
    assert lead.pk == case.lead_id
    assert lead.evidence.count() == 2
