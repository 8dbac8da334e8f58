"""English is the second language: the ledger page, its suggestion reasons and its errors switch too."""

from __future__ import annotations

import datetime

import pytest

from tests.assistance.conftest import monitor

pytestmark = pytest.mark.django_db


def test_the_ledger_page_and_its_reasons_come_in_english(client, tongluo_household, yushan_officer):
    monitor(tongluo_household)
    client.force_login(yushan_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/assistance/households/{tongluo_household.pk}/ledger/").content.decode()
    assert "has a grade 2 severe disability: check that the severe disability care subsidy is paid" in page
    assert "can work: development help" in page
    assert "核查重度残疾人护理补贴" not in page and "有劳动能力" not in page


def test_the_parameter_errors_come_in_english(client, county_admin):
    client.force_login(county_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post(
        "/assistance/parameters/",
        {
            "year": datetime.date.today().year,
            "working_age_min": 60,
            "working_age_max": 16,
            "child_rehab_max_age": 6,
            "child_rehab_categories": [1],
            "care_subsidy_max_grade": 2,
        },
    ).content.decode()
    assert "The upper working age must exceed the lower" in page and "劳动年龄上限" not in page
