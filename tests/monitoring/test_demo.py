"""The demo step leaves leads and cases in every state on the demo county, through the services."""

import io

import pytest

from shouwang.areas.models import Area
from shouwang.monitoring.demo import PLAN, demo_monitoring
from shouwang.monitoring.models import Lead, MonitoringCase
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_demo_creates_leads_and_cases_in_various_states(pengshui):
    for i in range(len(PLAN) + 2):
        make_household(number=f"DM{i:04d}", members=[{"name": f"演示{i}"}])
    out = io.StringIO()
    demo_monitoring(Area.objects.get(code="500243000000"), 7, out)
    stages = set(MonitoringCase.objects.values_list("stage", flat=True))
    assert {"village_review", "noticing", "county_confirmation", "monitored", "rejected"} <= stages
    assert Lead.objects.filter(status="open").count() == 4  # open, late, then two more open
    assert "monitoring:" in out.getvalue()
    demo_monitoring(Area.objects.get(code="500243000000"), 7, out)  # a second run adds nothing
    assert Lead.objects.count() == len(PLAN) + 2
