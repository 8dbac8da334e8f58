"""County administrators keep the yearly parameters; every change is audited."""

import pytest
from django.urls import reverse

from shouwang.audit.models import AuditEntry
from shouwang.screening.models import ScreeningParameters
from shouwang.screening.services import parameters_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(pengshui):
    parameters_ensure(county=pengshui)
    return pengshui


def _form(params, **changes):
    data = {
        "effective_from": params.effective_from.isoformat(), "income_line": params.income_line,
        "near_line_band": params.near_line_band, "income_drop_ratio": params.income_drop_ratio,
        "rigid_spending_ratio": params.rigid_spending_ratio, "transfer_share": params.transfer_share,
        "elderly_age": params.elderly_age, "working_age_min": params.working_age_min,
        "working_age_max": params.working_age_max, "school_age_min": params.school_age_min,
        "school_age_max": params.school_age_max, "event_window_days": params.event_window_days,
        "visit_period_months": params.visit_period_months, "note": params.note,
    }
    return data | changes


def test_seeded_years_show_as_to_be_confirmed(client, county_admin, seeded):
    client.force_login(county_admin)
    html = client.get(reverse("screening:parameters")).content.decode()
    assert html.count("待确认") >= 6 and 'data-year="2021"' in html


def test_admin_changes_a_year_and_the_change_is_audited(client, county_admin, seeded):
    client.force_login(county_admin)
    params = ScreeningParameters.objects.get(county=seeded, year=2026)
    response = client.post(reverse("screening:parameters_edit", args=[2026]),
                           _form(params, income_line="7600", confirmed="on"))
    assert response.status_code == 302
    params.refresh_from_db()
    assert params.income_line == 7600 and params.confirmed
    entry = AuditEntry.objects.get(action="screening.parameters.updated")
    assert entry.user == county_admin
    assert entry.before["income_line"] == "7500.00" and entry.after["income_line"] == "7600.00"


def test_inconsistent_ages_are_refused_in_chinese(client, county_admin, seeded):
    client.force_login(county_admin)
    params = ScreeningParameters.objects.get(county=seeded, year=2026)
    page = client.post(reverse("screening:parameters_edit", args=[2026]), _form(params, working_age_min="60"))
    assert page.status_code == 200 and "劳动年龄上限须大于下限" in page.content.decode()
    params.refresh_from_db()
    assert params.working_age_min == 16


def test_admin_opens_a_new_year_from_the_previous_one(client, county_admin, seeded):
    client.force_login(county_admin)
    response = client.post(reverse("screening:parameters"), {"year": "2027"})
    assert response.status_code == 302
    new = ScreeningParameters.objects.get(county=seeded, year=2027)
    assert new.income_line == 7500 and not new.confirmed
    assert AuditEntry.objects.filter(action="screening.parameters.created").exists()


def test_only_county_administrators_reach_the_parameters(client, county_staff, yushan_officer, leader, seeded):
    for user, status in ((county_staff, 403), (yushan_officer, 403), (leader, 404)):
        client.force_login(user)
        assert client.get(reverse("screening:parameters")).status_code == status
        assert client.get(reverse("screening:parameters_edit", args=[2026])).status_code == status
