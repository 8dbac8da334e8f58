"""A person's findings evaluated on their page equal the full run's findings for that person."""

import pytest

from shouwang.areas.models import Area
from shouwang.benefits.selectors import person_findings
from shouwang.benefits.services import coverage_run
from tests.benefits.conftest import DAY, DIBAO, SEVERE, TEKUN, give, person
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


def test_single_person_evaluation_equals_full_run():
    people = [
        person(household=DIBAO, disability=SEVERE, needs_long_term_care=True, needs_rehabilitation=True),
        person(household=TEKUN, disability=SEVERE, needs_custodial_care=True),
        person(disability={"category": 5, "grade": 3}, training_need=True, training_willing=True,
               training_able=True),
    ]
    give(people[1], "living_subsidy")
    give(people[2], "care_subsidy")
    run = coverage_run(county=Area.objects.get(code=COUNTY), day=DAY)
    for who in people:
        stored = {(f.rule, f.kind, f.reason) for f in run.findings.filter(person=who)}
        assert stored  # each has something to find
        assert {(f["rule"], f["kind"], f["reason"]) for f in person_findings(who, DAY)} == stored
