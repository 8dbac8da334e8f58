"""A finding goes into the household's assistance ledger as a problem with one action."""

import pytest
from django.urls import reverse

from shouwang.areas.models import Area
from shouwang.assistance.models import Problem
from shouwang.benefits.models import CoverageFinding
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, DIBAO, MILD, person
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


def test_send_missed_finding_opens_a_problem_in_the_ledger(client, tongluo_specialist):
    who = person(household=DIBAO, disability=MILD, name="未享者")
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    finding = run.findings.get(rule="LIVING_SUBSIDY", person=who)
    client.force_login(tongluo_specialist)
    response = client.post(reverse("benefits:finding_send", args=[finding.pk]))
    assert response.status_code == 302
    problem = Problem.objects.get(household=who.household)
    assert problem.rule_code == "COVERAGE.LIVING_SUBSIDY"
    assert "未享者" in problem.description and "困难残疾人生活补贴" in problem.description


def test_other_township_cannot_send(client, baojia_officer):
    who = person(household=DIBAO, disability=MILD)
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    finding = run.findings.get(rule="LIVING_SUBSIDY", person=who)
    client.force_login(baojia_officer)
    assert client.post(reverse("benefits:finding_send", args=[finding.pk])).status_code == 404
    assert not Problem.objects.exists()


def test_a_finding_a_later_run_cleared_is_not_sent(client, tongluo_specialist):
    who = person(household=DIBAO, disability=MILD)
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    finding = run.findings.get(rule="LIVING_SUBSIDY", person=who)
    later = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    CoverageFinding.objects.filter(pk=finding.pk).update(resolved_run=later)  # as if the subsidy began meanwhile
    client.force_login(tongluo_specialist)
    response = client.post(reverse("benefits:finding_send", args=[finding.pk]), follow=True)
    assert not Problem.objects.exists()
    assert "已在之后的核查中消除" in response.content.decode()
