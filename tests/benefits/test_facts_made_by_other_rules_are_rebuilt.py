"""Kept facts: facts kept by one version of the rules are not reused by another. The
kept state checks the fact table's columns, indexes and the rules' order only; a deploy that changes what
counts (a rule's kinds or window, an exclusion, a stop-rule expression) keeps serving facts computed the
old way for every household nothing marks."""

import pytest

from shouwang.benefits import facts
from shouwang.benefits.choices import BenefitKind as K
from shouwang.benefits.facts import facts_invalidate
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, SEVERE, give, person

pytestmark = pytest.mark.django_db


def _care(run) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return dict(run.findings.filter(rule="CARE_SUBSIDY", kind="leak").values_list("person_id", "reason"))


def test_a_new_version_of_an_exclusion_is_applied_by_the_next_run(pengshui, monkeypatch):
    who = person(disability=SEVERE, needs_long_term_care=True)
    give(who, "care_subsidy")
    give(who, "elderly_longevity")
    assert _care(coverage_run(county=pengshui, day=DAY)) == {}
    # the next release counts 高龄津贴 among the allowances to choose the higher of (a code change)
    monkeypatch.setitem(facts.EXCLUSIONS, "x_choose_higher", (K.ELDERLY_CARE, K.RETIREE_CARE, K.ELDERLY_LONGEVITY))

    kept = _care(coverage_run(county=pengshui, day=DAY))
    facts_invalidate()
    rebuilt = _care(coverage_run(county=pengshui, day=DAY))

    assert rebuilt == {who.pk: "CHOOSE_HIGHER"}
    assert kept == rebuilt
