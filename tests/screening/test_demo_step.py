"""The demo step seeds the parameters and leaves a full screening run behind.

It calls the step directly after the generator rather than through `shouwang demo`, because
tests/registry/test_demo_county.py can leave the command module holding a patched step list."""

from io import StringIO

import pytest

from shouwang.core.demo import DEMO_STEPS
from shouwang.registry.demo import demo_county_generate
from shouwang.registry.models import Household
from shouwang.screening.models import Hit, RunKind, ScreeningParameters, ScreeningRun
from shouwang.screening.services import demo_step

pytestmark = pytest.mark.django_db


def test_demo_county_is_screened(pengshui):
    assert demo_step in DEMO_STEPS
    demo_county_generate(county=pengshui, households=150, seed=3)
    out = StringIO()
    demo_step(pengshui, 3, out)
    run = ScreeningRun.objects.get(kind=RunKind.FULL)
    assert run.households == Household.objects.count() == 150
    assert ScreeningParameters.objects.filter(county=pengshui).count() == 6
    assert Hit.objects.current().count() == run.total_hits > 0
    assert run.hit_counts["SEVERE_DISABILITY"] > 0 and run.hit_counts["INCOME_BELOW_LINE"] > 0
    assert "风险筛查" in out.getvalue()
