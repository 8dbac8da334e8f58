"""Screening hits for 三保障 and water open problems, set-based, without duplicating an open one."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from shouwang.areas.models import Area
from shouwang.assistance import services
from shouwang.assistance.models import Problem
from shouwang.audit.models import AuditEntry
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_a_registry_change_that_makes_hits_opens_the_problems(pengshui):
    household = make_household(members=[{"name": "甲", "medical_insurance": False}], housing_safety="unsafe")
    problems = {p.kind: p for p in Problem.objects.filter(household=household)}
    assert set(problems) == {"housing", "medical"}
    assert (
        problems["medical"].source == "screening" and problems["medical"].rule_code == "NO_MEDICAL_INSURANCE"
    )
    assert "甲" in problems["medical"].description
    assert (
        AuditEntry.objects.filter(action="assistance.problem.opened", household_id=household.pk).count() == 2
    )


def test_a_problem_already_open_from_a_visit_is_not_duplicated(pengshui):
    household = make_household(members=[{"name": "乙"}])
    visit_problem = services.problem_open(
        user=None, household=household, kind="water", description="走访发现水浑", visit_id=3
    )
    from shouwang.registry.services import household_update

    household_update(user=None, household=household, water_safety="unsafe")
    assert list(Problem.objects.filter(household=household, kind="water")) == [visit_problem]


def test_a_full_run_over_an_area_is_set_based(pengshui, django_assert_max_num_queries):
    for _ in range(6):
        make_household(members=[{"name": "丙"}], housing_safety="unsafe", water_safety="unsafe")
    Problem.objects.all().delete()
    with django_assert_max_num_queries(10):
        opened = services.problems_open_from_hits(area=Area.objects.get(code="500243000000"))
    assert opened == 12 and Problem.objects.open().count() == 12
    assert services.problems_open_from_hits(area=Area.objects.get(code="500243000000")) == 0


def test_the_cli_opens_problems_from_current_hits(pengshui, capsys):
    make_household(members=[{"name": "丁"}], housing_safety="unsafe")
    Problem.objects.all().delete()
    call_command("problems", "from-hits", "--area", "500243", "--json")
    assert json.loads(capsys.readouterr().out)["opened"] == 1
