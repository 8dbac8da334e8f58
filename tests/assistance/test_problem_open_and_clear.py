"""Problems (问题清单): one open per household and kind, cleared with a date and evidence (动态清零)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from shouwang.assistance import services
from shouwang.assistance.models import Problem
from shouwang.audit.models import AuditEntry
from tests.assistance.conftest import add_measure

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_a_visit_finding_opens_a_problem(tongluo_household, tongluo_specialist):
    problem = services.problem_open(
        user=tongluo_specialist,
        household=tongluo_household,
        kind="housing",
        description="屋顶漏雨，墙体开裂",
        visit_id=42,
    )
    assert problem.status == "open" and problem.source == "visit" and problem.visit_id == 42
    assert problem.opened_on == TODAY
    assert AuditEntry.objects.filter(
        action="assistance.problem.opened", household_id=tongluo_household.pk
    ).exists()


def test_opening_the_same_kind_again_adds_a_note_to_the_open_problem(tongluo_household, tongluo_specialist):
    first = services.problem_open(
        user=tongluo_specialist, household=tongluo_household, kind="water", description="水源浑浊"
    )
    again = services.problem_open(
        user=tongluo_specialist,
        household=tongluo_household,
        kind="water",
        description="仍未通自来水",
        source="screening",
    )
    assert again.pk == first.pk
    assert "仍未通自来水" in again.notes
    assert Problem.objects.filter(household=tongluo_household, kind="water").count() == 1


def test_another_kind_is_another_problem(tongluo_household, tongluo_specialist):
    services.problem_open(
        user=tongluo_specialist, household=tongluo_household, kind="water", description="水源浑浊"
    )
    services.problem_open(
        user=tongluo_specialist, household=tongluo_household, kind="medical", description="妻子未参加医保"
    )
    assert Problem.objects.open().filter(household=tongluo_household).count() == 2


def test_unknown_kind_or_source_is_refused_in_chinese(tongluo_household, tongluo_specialist):
    with pytest.raises(ValidationError, match="问题类别"):
        services.problem_open(
            user=tongluo_specialist, household=tongluo_household, kind="roof", description="x"
        )
    with pytest.raises(ValidationError, match="问题来源"):
        services.problem_open(
            user=tongluo_specialist,
            household=tongluo_household,
            kind="food",
            description="x",
            source="rumour",
        )


def test_a_problem_is_cleared_by_a_measure_and_a_new_one_can_open_after(ledger, tongluo_specialist):
    household = ledger.household
    problem = services.problem_open(
        user=tongluo_specialist, household=household, kind="housing", description="危房"
    )
    measure = add_measure(ledger, tongluo_specialist, code="housing", problems=[problem])
    services.measure_set_status(
        user=tongluo_specialist, measure=measure, status="done", effect="完成危房改造"
    )
    services.problem_clear(
        user=tongluo_specialist, problem=problem, cleared_on=TODAY, evidence="改造验收单", measure=measure
    )
    problem.refresh_from_db()
    assert (
        problem.status == "cleared"
        and problem.cleared_measure == measure
        and problem.evidence == "改造验收单"
    )
    assert list(measure.problems.all()) == [problem]
    reopened = services.problem_open(
        user=tongluo_specialist, household=household, kind="housing", description="再次发现裂缝"
    )
    assert reopened.pk != problem.pk


def test_clearing_needs_evidence_and_a_sensible_date(tongluo_household, tongluo_specialist):
    problem = services.problem_open(
        user=tongluo_specialist, household=tongluo_household, kind="food", description="缺粮"
    )
    with pytest.raises(ValidationError, match="佐证"):
        services.problem_clear(user=tongluo_specialist, problem=problem, cleared_on=TODAY, evidence=" ")
    with pytest.raises(ValidationError, match="不能早于发现日期"):
        services.problem_clear(
            user=tongluo_specialist,
            problem=problem,
            cleared_on=TODAY - datetime.timedelta(1),
            evidence="已送粮",
        )
    services.problem_clear(user=tongluo_specialist, problem=problem, cleared_on=TODAY, evidence="已送粮")
    with pytest.raises(ValidationError, match="不能重复清零"):
        services.problem_clear(user=tongluo_specialist, problem=problem, cleared_on=TODAY, evidence="已送粮")


def test_a_measure_of_another_household_cannot_clear_the_problem(ledger, baojia_household, baojia_officer):
    other = services.ledger_ensure(user=baojia_officer, household=baojia_household)
    measure = add_measure(other, baojia_officer)
    problem = services.problem_open(user=None, household=ledger.household, kind="food", description="缺粮")
    with pytest.raises(ValidationError, match="不属于该户"):
        services.problem_clear(user=None, problem=problem, cleared_on=TODAY, evidence="x", measure=measure)
