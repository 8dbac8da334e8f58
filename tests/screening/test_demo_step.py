"""`shouwang demo` seeds the parameters and leaves a full screening run behind."""

from io import StringIO

import pytest
from django.core.management import call_command

from shouwang.registry.models import Household
from shouwang.screening.models import Hit, RunKind, ScreeningParameters, ScreeningRun
from tests.screening.helpers import screen

pytestmark = pytest.mark.django_db


def test_demo_county_is_screened(pengshui):
    out = StringIO()
    call_command("demo", "--households", "150", "--seed", "3", "--county", "500243", stdout=out, verbosity=0)
    run = ScreeningRun.objects.filter(kind=RunKind.FULL).order_by("pk").first()
    assert run.households == Household.objects.count() == 150
    assert ScreeningParameters.objects.filter(county=pengshui).count() == 6
    assert run.total_hits > 0
    assert run.hit_counts["SEVERE_DISABILITY"] > 0 and run.hit_counts["INCOME_BELOW_LINE"] > 0
    # Later demo steps (visits, monitoring) change households; their re-screens keep the hits current.
    check = screen()
    assert (check.new_count, check.resolved_count) == (0, 0)
    assert Hit.objects.current().count() == check.total_hits
    assert "风险筛查" in out.getvalue()
