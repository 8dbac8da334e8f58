"""Coverage parameters are per county and year, edited by the county administrator only, and audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwang.areas.models import Area
from shouwang.audit.models import AuditEntry
from shouwang.benefits.evaluation import parameters_for
from shouwang.benefits.services import coverage_parameters_save
from tests.conftest import COUNTY

pytestmark = pytest.mark.django_db


def test_defaults_are_seeded_with_chongqing_amounts_and_the_transition_period():
    params = parameters_for(Area.objects.get(code=COUNTY), 2026)
    assert (params.living_amount, params.care_amount_grade1, params.care_amount_grade2) == (100, 110, 100)
    assert (params.training_period_start, params.training_period_end) == (datetime.date(2021, 1, 1),
                                                                          datetime.date(2025, 12, 31))
    assert (params.child_rehab_age_min, params.child_rehab_age_max) == (0, 6)


def test_a_year_applies_until_a_later_year_is_saved(county_admin):
    county = Area.objects.get(code=COUNTY)
    coverage_parameters_save(user=county_admin, county=county, year=2024, living_extend_low_income=True)
    assert parameters_for(county, 2026).living_extend_low_income is True
    coverage_parameters_save(user=county_admin, county=county, year=2026, living_extend_low_income=False)
    assert parameters_for(county, 2025).living_extend_low_income is True
    assert parameters_for(county, 2026).living_extend_low_income is False
    assert AuditEntry.objects.filter(action="benefits.parameters.saved").count() == 2


def test_only_the_county_administrator_may_change_them(county_staff, client):
    with pytest.raises(PermissionDenied):
        coverage_parameters_save(user=county_staff, county=Area.objects.get(code=COUNTY), year=2026)
    client.force_login(county_staff)
    assert client.get(reverse("benefits:parameters")).status_code == 403


def test_bad_values_get_chinese_errors(county_admin):
    with pytest.raises(ValidationError) as exc:
        coverage_parameters_save(user=county_admin, county=Area.objects.get(code=COUNTY), year=2026,
                                 child_rehab_age_min=7, child_rehab_age_max=6, child_rehab_categories="1,9")
    assert exc.value.message_dict == {"child_rehab_age_max": ["年龄上限不能小于下限"],
                                      "child_rehab_categories": ["残疾类别须为1至7的代码，以逗号分隔"]}


def test_parameters_page_saves_for_the_admin(client, county_admin):
    client.force_login(county_admin)
    page = client.get(reverse("benefits:parameters"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"year": 2026, "care_extend_grade3_4": "on", "living_extend_low_income": ""})
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    assert client.post(reverse("benefits:parameters"), data).status_code == 302
    assert parameters_for(Area.objects.get(code=COUNTY), 2026).care_extend_grade3_4 is True
