"""The monitoring pages through HTTP: steps done on the lead page, queues per role, the monitored list,
the household section, self-report, scoping."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.audit.models import AuditEntry
from shouwang.monitoring.models import Lead
from tests.monitoring.conftest import open_lead, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_specialist_records_the_verification_on_the_lead_page(client, tongluo_household, tongluo_specialist):
    lead = open_lead(tongluo_household)
    client.force_login(tongluo_specialist)
    page = client.get(f"/monitoring/leads/{lead.pk}/").content.decode()
    assert 'id="form-verify"' in page and 'id="form-reject"' in page
    upload = SimpleUploadedFile("sign.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")
    response = client.post(
        f"/monitoring/leads/{lead.pk}/",
        {"action": "verify", "verified_on": "2026-03-02", "authorisation": upload, "note": "住院花费大"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.case.stage == "village_review"
    download = client.get(f"/monitoring/cases/{lead.case.pk}/authorisation/")
    assert b"".join(download.streaming_content).startswith(b"\xff\xd8")
    assert AuditEntry.objects.filter(action="monitoring.authorisation.viewed").count() == 1


def test_wrong_order_shows_a_chinese_error_on_the_form(
    client, tongluo_household, tongluo_specialist, yushan_officer
):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    client.force_login(yushan_officer)
    response = client.post(
        f"/monitoring/leads/{case.lead_id}/", {"action": "township_review", "reviewed_on": "2026-03-06"}
    )
    assert response.status_code == 200
    assert "公示期未满5天（公示至2026-03-08），暂不能审核" in response.content.decode()


def test_village_specialist_sees_no_township_action_and_cannot_post_it(
    client, tongluo_household, tongluo_specialist
):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    client.force_login(tongluo_specialist)
    page = client.get(f"/monitoring/leads/{case.lead_id}/").content.decode()
    assert 'id="form-township_review"' not in page
    response = client.post(
        f"/monitoring/leads/{case.lead_id}/", {"action": "township_review", "reviewed_on": "2026-03-20"}
    )
    assert response.status_code == 403


def test_county_staff_confirms_on_the_page(
    client, tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    case = walk(
        tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer
    )
    client.force_login(county_staff)
    response = client.post(
        f"/monitoring/leads/{case.lead_id}/",
        {
            "action": "confirm",
            "confirmed_on": "2026-03-12",
            "household_type": "edge",
            "risk_types": ["illness", "water"],
        },
    )
    assert response.status_code == 302
    listing = client.get("/monitoring/households/").content.decode()
    row = listing.split('id="monitored-table"')[1]
    assert tongluo_household.number in row and "边缘易致贫户" in row and "因病" in row and "饮水安全" in row
    filtered = client.get("/monitoring/households/?risk=schooling").content.decode()
    assert tongluo_household.number not in filtered.split('id="monitored-table"')[1]


def test_queues_follow_the_role(client, tongluo_household, tongluo_specialist, yushan_officer, county_staff):
    walk(tongluo_household, to="county_confirmation", specialist=tongluo_specialist, officer=yushan_officer)
    client.force_login(county_staff)
    county = client.get("/monitoring/").content.decode()
    assert "待县级审定（1）" in county and tongluo_household.number in county
    client.force_login(tongluo_specialist)
    village = client.get("/monitoring/").content.decode()
    assert "待入户核实（0）" in village and "待县级审定" not in village


def test_other_township_sees_nothing_of_the_lead(client, tongluo_household, baojia_officer):
    lead = open_lead(tongluo_household)
    client.force_login(baojia_officer)
    assert client.get(f"/monitoring/leads/{lead.pk}/").status_code == 404
    assert tongluo_household.number not in client.get("/monitoring/leads/").content.decode()
    assert tongluo_household.number not in client.get("/monitoring/").content.decode()


def test_leader_and_liaison_get_no_monitoring_pages(client, leader, liaison):
    for user in (leader, liaison):
        client.force_login(user)
        assert client.get("/monitoring/").status_code == 404


def test_household_section_shows_status_and_history(
    client, tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    walk(
        tongluo_household,
        to="monitored",
        specialist=tongluo_specialist,
        officer=yushan_officer,
        staff=county_staff,
    )
    client.force_login(tongluo_specialist)
    page = client.get(f"/registry/households/{tongluo_household.pk}/").content.decode()
    status = page.split('id="monitoring-status"')[1].split("</p>")[0]
    assert (
        "防止返贫致贫对象" in status and "突发严重困难户" in status and "因病" in status and "因残" in status
    )
    assert 'id="monitoring-history"' in page


def test_self_report_opens_a_lead(client, tongluo_household, tongluo_specialist):
    client.force_login(tongluo_specialist)
    response = client.post(
        f"/monitoring/households/{tongluo_household.pk}/self-report/",
        {"found_on": "2026-03-30", "note": "家中主要劳动力受伤"},
    )
    assert response.status_code == 302
    lead = Lead.objects.get(household=tongluo_household)
    assert lead.source == "self_report" and lead.evidence.get().note == "家中主要劳动力受伤"


def test_home_panel_counts_the_area(
    client, tongluo_household, tongluo_specialist, yushan_officer, county_staff
):
    walk(
        tongluo_household,
        to="monitored",
        specialist=tongluo_specialist,
        officer=yushan_officer,
        staff=county_staff,
    )
    client.force_login(yushan_officer)
    page = client.get("/").content.decode()
    assert "防止返贫致贫对象动态监测" in page and "进入监测工作台" in page


def test_county_admin_sets_the_parameters(client, county_admin, county_staff):
    client.force_login(county_admin)
    response = client.post(
        "/monitoring/parameters/",
        {"year": 2027, "notice_days": 7, "lead_limit_days": 10, "exit_min_months": 6, "income_line": "7200"},
    )
    assert response.status_code == 302
    from shouwang.monitoring.parameters import parameters_for

    assert parameters_for("500243000000", 2028).notice_days == 7
    assert parameters_for("500243000000", 2026).notice_days == 5
    client.force_login(county_staff)
    assert client.get("/monitoring/parameters/").status_code == 404


def test_lead_page_of_a_monitored_household_shows_each_exit_criterion(
    client, pengshui, tongluo_specialist, yushan_officer, county_staff
):
    from tests.conftest import make_household

    household = make_household(
        members=[{"name": "赵老汉", "relation": "head", "labour_capacity": "none"}], water_safety="unsafe"
    )
    case = walk(
        household, to="monitored", specialist=tongluo_specialist, officer=yushan_officer, staff=county_staff
    )
    client.force_login(tongluo_specialist)
    page = client.get(f"/monitoring/leads/{case.lead_id}/").content.decode()
    table = page.split('id="exit-criteria"')[1].split("</table>")[0]
    assert 'class="table-warning" data-code="months"' in table
    assert 'class="table-warning" data-code="water"' in table and "不安全" in table
    assert 'data-code="measures"' in table and "已落实0项" in table
    assert "该户无劳动能力成员" in page
    assert 'id="form-exit_village"' in page
