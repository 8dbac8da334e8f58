"""Suggested measures follow the plan's rule, each branch on a household built for it, with its reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from shouwang.assistance import services
from shouwang.assistance.models import AssistanceParameters, SuggestionRecord
from shouwang.assistance.suggestions import suggestions_for
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def born(years: int) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=30)


def ledger_of(user, members, **fields):  # type: ignore[no-untyped-def]
    household = make_household(members=members, **fields)
    return services.ledger_ensure(user=user, household=household)


def keys(ledger) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.key for s in suggestions_for(ledger)}


def test_a_member_able_to_work_gets_development_help(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [
            {"name": "赵强", "birth": born(40), "labour_capacity": "normal"},
            {
                "name": "赵母",
                "birth": born(70),
                "labour_capacity": "none",
                "disability": {"category": 4, "grade": 3},
            },
        ],
    )
    suggestions = {s.key: s for s in suggestions_for(ledger)}
    assert suggestions["development:employment"].kind.category == "development"
    assert "赵强有劳动能力" in suggestions["development:employment"].reason
    assert not {"safety_net:dibao", "safety_net:tekun"} & set(suggestions)


def test_a_trainable_member_gets_vocational_training(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [
            {
                "name": "钱明",
                "birth": born(30),
                "labour_capacity": "weak",
                "training_need": True,
                "training_willing": True,
                "training_able": True,
            }
        ],
    )
    person = ledger.household.members.get()
    assert f"development:training:{person.pk}" in keys(ledger)


def test_a_household_nobody_in_can_earn_gets_dibao(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [
            {"name": "孙老汉", "birth": born(72), "labour_capacity": "none"},
            {
                "name": "孙大",
                "birth": born(45),
                "labour_capacity": "lost",
                "disability": {"category": 5, "grade": 3},
            },
        ],
    )
    suggestions = {s.key: s for s in suggestions_for(ledger)}
    assert suggestions["safety_net:dibao"].kind.name == "低保"
    assert "孙大丧失劳动力" in suggestions["safety_net:dibao"].reason
    assert "development:employment" not in suggestions


def test_a_person_alone_who_cannot_work_gets_tekun(pengshui, yushan_officer):
    ledger = ledger_of(yushan_officer, [{"name": "李独居", "birth": born(66), "labour_capacity": "none"}])
    assert keys(ledger) >= {"safety_net:tekun"}
    assert "safety_net:dibao" not in keys(ledger)


def test_a_household_already_on_dibao_is_not_suggested_the_safety_net_again(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [{"name": "周某", "birth": born(66), "labour_capacity": "none"}],
        assistance_status="dibao",
    )
    assert not {"safety_net:tekun", "safety_net:dibao"} & keys(ledger)


def test_low_motivation_flag_suggests_fuzhi_fuzhi(pengshui, yushan_officer):
    ledger = ledger_of(yushan_officer, [{"name": "吴闲", "birth": born(35)}])
    assert "motivation" not in keys(ledger)
    with pytest.raises(ValidationError, match="具体表现"):
        services.ledger_set_motivation(user=yushan_officer, ledger=ledger, low_motivation=True)
    services.ledger_set_motivation(
        user=yushan_officer, ledger=ledger, low_motivation=True, note="不愿外出务工"
    )
    assert "motivation" in keys(ledger)


def test_a_young_disabled_child_gets_child_rehabilitation_and_an_older_one_does_not(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [
            {"name": "郑父", "birth": born(35)},
            {
                "name": "郑小",
                "birth": born(4),
                "labour_capacity": "none",
                "disability": {"category": 2, "grade": 3},
            },
            {
                "name": "郑大",
                "birth": born(9),
                "labour_capacity": "none",
                "disability": {"category": 2, "grade": 3},
            },
        ],
    )
    small, big = ledger.household.members.get(name="郑小"), ledger.household.members.get(name="郑大")
    found = keys(ledger)
    assert f"child_rehab:{small.pk}" in found and f"child_rehab:{big.pk}" not in found


def test_child_rehabilitation_categories_are_county_parameters(pengshui, yushan_officer):
    ledger = ledger_of(
        yushan_officer,
        [
            {"name": "冯父", "birth": born(35)},
            {
                "name": "冯小",
                "birth": born(3),
                "labour_capacity": "none",
                "disability": {"category": 6, "grade": 3},
            },
        ],
    )
    child = ledger.household.members.get(name="冯小")
    assert f"child_rehab:{child.pk}" in keys(ledger)
    AssistanceParameters.objects.create(
        county_code="500243000000", year=TODAY.year, child_rehab_categories=[1, 2, 3, 4, 5]
    )
    assert f"child_rehab:{child.pk}" not in keys(ledger)


def test_a_severely_disabled_member_gets_a_care_subsidy_check(tongluo_household, yushan_officer):
    ledger = services.ledger_ensure(user=yushan_officer, household=tongluo_household)
    head = tongluo_household.members.get(name="张大山")
    suggestion = next(s for s in suggestions_for(ledger) if s.key == f"care_subsidy:{head.pk}")
    assert suggestion.kind.code == "two_subsidies" and "护理补贴" in suggestion.reason


def test_an_open_problem_suggests_the_measure_that_answers_it(ledger, tongluo_specialist):
    problem = services.problem_open(
        user=tongluo_specialist, household=ledger.household, kind="water", description="未通自来水"
    )
    suggestion = next(s for s in suggestions_for(ledger) if s.key == f"problem:{problem.pk}")
    assert suggestion.kind.name == "饮水安全保障"


def test_accepting_creates_the_measure_prefilled_and_the_suggestion_is_not_asked_again(
    ledger, yushan_officer
):
    problem = services.problem_open(
        user=yushan_officer, household=ledger.household, kind="housing", description="危房"
    )
    key = f"problem:{problem.pk}"
    measure = services.suggestion_accept(
        user=yushan_officer,
        ledger=ledger,
        key=key,
        responsible_unit="县住建委",
        responsible_person="马工",
        start_on=TODAY,
        due_on=TODAY,
    )
    assert measure.kind.code == "housing" and list(measure.problems.all()) == [problem]
    assert measure.suggestion_key == key
    assert key not in keys(ledger)
    with pytest.raises(ValidationError, match="已处理"):
        services.suggestion_dismiss(user=yushan_officer, ledger=ledger, key=key, reason="重复")


def test_dismissing_needs_a_reason_and_is_remembered(tongluo_household, yushan_officer):
    ledger = services.ledger_ensure(user=yushan_officer, household=tongluo_household)
    key = f"care_subsidy:{tongluo_household.members.get(name='张大山').pk}"
    with pytest.raises(ValidationError, match="理由"):
        services.suggestion_dismiss(user=yushan_officer, ledger=ledger, key=key, reason="")
    services.suggestion_dismiss(user=yushan_officer, ledger=ledger, key=key, reason="已享受护理补贴")
    assert key not in keys(ledger)
    assert SuggestionRecord.objects.get(ledger=ledger, key=key).reason == "已享受护理补贴"
