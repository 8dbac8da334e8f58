"""Helpers for the coverage tests: a person in a household of a given status, records, and one rule's result."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from shouwang.areas.models import Area
from shouwang.benefits.services import benefit_record_create, coverage_parameters_save, coverage_run
from tests.conftest import COUNTY, make_household

DAY = datetime.date(2026, 3, 15)
LONG_AGO = datetime.date(2025, 1, 1)


@dataclass
class Result:
    missed: dict[int, str]
    leak: dict[int, str]
    tally: dict[str, int]


def person(*, household: dict[str, Any] | None = None, village: str = "500243102200", **spec: Any):  # type: ignore[no-untyped-def]
    """One member (the head) of a new household; `spec` holds person fields and `disability`."""
    spec.setdefault("name", "测试")
    spec.setdefault("relation", "head")
    home = make_household(village=village, members=[spec], **(household or {}))
    return home.members.get()


def give(who, kind: str, start: datetime.date = LONG_AGO, end: datetime.date | None = None, **extra: Any):  # type: ignore[no-untyped-def]
    return benefit_record_create(user=None, person=who, kind=kind, start_on=start, end_on=end, **extra)


def evaluate(rule: str, day: datetime.date = DAY) -> Result:
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=day, rule_codes=[rule])
    findings = run.findings.filter(rule=rule)
    tally = {k: sum(getattr(t, k) for t in run.tallies.filter(rule=rule))
             for k in ("eligible", "receiving", "covered", "missed", "leak")}
    return Result(
        missed={f.person_id: f.reason for f in findings if f.kind == "missed"},
        leak={f.person_id: f.reason for f in findings if f.kind == "leak"},
        tally=tally,
    )


def set_parameters(user, **fields: Any) -> None:  # type: ignore[no-untyped-def]
    coverage_parameters_save(user=user, county=Area.objects.get(code=COUNTY), year=2026, **fields)


SEVERE = {"category": 4, "grade": 1}
MILD = {"category": 4, "grade": 4}
DIBAO = {"assistance_status": "dibao"}
TEKUN = {"assistance_status": "tekun"}
LIFTED = {"poverty_status": "lifted", "lifted_year": 2019}


@pytest.fixture(autouse=True)
def _areas(pengshui):  # type: ignore[no-untyped-def]
    return pengshui
