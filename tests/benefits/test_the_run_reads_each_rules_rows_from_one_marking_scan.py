"""The run marks each fact row with the rules it is a candidate of in one scan, then reads each rule's rows
by those marks: its findings are exactly what the rule's own scan of the facts finds, whichever rules
the run evaluates (the marks are numbered in the order of the rules run)."""

import pytest

from shouwang.benefits.evaluation import context_for, findings
from shouwang.benefits.rules import RULES
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, DIBAO, LIFTED, MILD, SEVERE, TEKUN, give, person

pytestmark = pytest.mark.django_db


def _population() -> None:
    a = person(household=DIBAO, disability=SEVERE, needs_long_term_care=True, needs_rehabilitation=True)
    b = person(household=TEKUN, disability=SEVERE, needs_custodial_care=True, living_status="deceased",
               status_date=DAY.replace(day=1).replace(month=1))
    c = person(household=LIFTED, disability={"category": 5, "grade": 3}, training_need=True,
               training_willing=True, training_able=True)
    d = person(disability=MILD, schooling="compulsory", birth_date=DAY.replace(year=DAY.year - 10))
    e = person(household=DIBAO)  # no certificate
    give(a, "care_subsidy")
    give(a, "care_subsidy")  # twice: a DUPLICATE leak
    give(b, "living_subsidy")
    give(b, "family_doctor", DAY.replace(month=1, day=1))
    give(c, "care_subsidy")
    give(d, "education_aid", DAY.replace(month=1, day=1))
    give(e, "living_subsidy")
    give(e, "vocational_training", DAY.replace(month=1, day=1))


def _own_scan(codes: list[str], county) -> dict[str, set[tuple[int, str, str]]]:  # type: ignore[no-untyped-def]
    ctx = context_for(county, DAY)
    return {code: {(row["person_id"], row["f_kind"], row["f_reason"]) for row in findings(RULES[code], ctx)}
            for code in codes}


def _stored(run, codes: list[str]) -> dict[str, set[tuple[int, str, str]]]:  # type: ignore[no-untyped-def]
    return {code: {(f.person_id, f.kind, f.reason) for f in run.findings.filter(rule=code)} for code in codes}


def test_every_rule_finds_what_its_own_scan_finds(pengshui):
    _population()
    codes = list(RULES)
    run = coverage_run(county=pengshui, day=DAY)
    own = _own_scan(codes, pengshui)
    assert sum(len(rows) for rows in own.values()) > 10
    assert {kind for rows in own.values() for _, kind, _ in rows} == {"missed", "leak"}
    assert _stored(run, codes) == own


def test_a_run_of_some_rules_finds_the_same(pengshui):
    _population()
    codes = ["TRAINING", "CARE_SUBSIDY", "LIVING_SUBSIDY"]
    run = coverage_run(county=pengshui, day=DAY, rule_codes=codes)
    assert _stored(run, codes) == _own_scan(codes, pengshui)
