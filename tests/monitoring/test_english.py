"""English is the second language: the monitoring pages and the term of the year switch with it."""

import pytest
from django.urls import reverse

from tests.monitoring.conftest import walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_monitoring_pages_in_english(client, tongluo_household, tongluo_specialist, yushan_officer):
    case = walk(tongluo_household, to="noticing", specialist=tongluo_specialist)
    client.force_login(yushan_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/monitoring/"})
    queue = client.get("/monitoring/").content.decode()
    assert "Awaiting township review (on notice)" in queue and "Overdue leads" in queue
    lead = client.get(f"/monitoring/leads/{case.lead_id}/").content.decode()
    assert "On public notice" in lead and 'id="form-township_review"' in lead
    listing = client.get("/monitoring/households/").content.decode()
    assert "Households at risk of (re)entering poverty" in listing.split("<h1")[1]
