"""The suggestion rules' figures are county data per year, set by the administrator on a page, audited."""

from __future__ import annotations

import datetime

import pytest

from shouwang.assistance.models import AssistanceParameters
from shouwang.assistance.parameters import rules_for
from shouwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
COUNTY = "500243000000"


def test_the_administrator_sets_the_figures_from_a_year_on(client, county_admin):
    client.force_login(county_admin)
    assert client.get("/assistance/parameters/").status_code == 200
    response = client.post(
        "/assistance/parameters/",
        {
            "year": YEAR,
            "working_age_min": 18,
            "working_age_max": 65,
            "child_rehab_max_age": 7,
            "child_rehab_categories": [1, 2, 5],
            "care_subsidy_max_grade": 2,
        },
    )
    assert response.status_code == 302
    rules = rules_for(COUNTY, YEAR)
    assert (rules.working_age_min, rules.working_age_max, rules.child_rehab_max_age) == (18, 65, 7)
    assert rules.child_rehab_categories == (1, 2, 5)
    assert rules_for(COUNTY, YEAR - 1).working_age_max == 60  # earlier years keep the defaults
    assert AuditEntry.objects.filter(action="assistance.parameters.saved", area_code=COUNTY).exists()


def test_bad_figures_are_refused_in_chinese(client, county_admin):
    client.force_login(county_admin)
    page = client.post(
        "/assistance/parameters/",
        {
            "year": YEAR,
            "working_age_min": 60,
            "working_age_max": 16,
            "child_rehab_max_age": 6,
            "child_rehab_categories": [1],
            "care_subsidy_max_grade": 2,
        },
    )
    assert "劳动年龄上限须大于下限" in page.content.decode()
    assert not AssistanceParameters.objects.exists()


def test_only_the_administrator_may_change_them(client, yushan_officer):
    client.force_login(yushan_officer)
    assert client.get("/assistance/parameters/").status_code == 403
