import pytest
from django.urls import reverse

from shouwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_id_number_is_masked_on_the_household_page(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    page = client.get(reverse("registry:household_detail", args=[tongluo_household.pk])).content.decode()
    assert person.id_number not in page
    assert person.id_number[:6] + "********" + person.id_number[-4:] in page
    assert "13812345678" not in page


def test_reveal_needs_a_reason_and_is_logged(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    url = reverse("registry:person_reveal", args=[person.pk, "id_number"])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and person.id_number not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="registry.person.revealed").exists()

    shown = client.post(url, {"reason": "核实低保申请"})
    assert shown.status_code == 200 and person.id_number in shown.content.decode()
    entry = AuditEntry.objects.get(action="registry.person.revealed")
    assert entry.user == yushan_officer and entry.reason == "核实低保申请"
    assert entry.object_id == str(person.pk) and person.id_number not in str(entry.after)


def test_audit_log_never_stores_a_full_id_number(tongluo_household):
    person = tongluo_household.members.get(name="张大山")
    for entry in AuditEntry.objects.all():
        assert person.id_number not in str(entry.after) + str(entry.before)
