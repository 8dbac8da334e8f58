"""Every registry service records who did what, with the values before and after."""

from __future__ import annotations

import datetime

import pytest

from shouwang.audit.models import AuditEntry
from shouwang.registry import services
from tests.conftest import make_household, new_id

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_household_create_and_update_are_logged_with_before_and_after(pengshui, yushan_officer):
    household = services.household_create(user=yushan_officer, number="A1", village="500243102200")
    created = last("registry.household.created")
    assert created.user == yushan_officer and created.before is None
    assert created.after["number"] == "A1" and created.area_code == "500243102200"
    assert created.household_id == household.pk

    services.household_update(user=yushan_officer, household=household, assistance_status="dibao", address="三组")
    updated = last("registry.household.updated")
    assert updated.before == {"assistance_status": "none", "address": ""}
    assert updated.after == {"assistance_status": "dibao", "address": "三组"}


def test_an_edit_that_changes_nothing_is_not_logged(pengshui, yushan_officer):
    household = services.household_create(user=yushan_officer, number="A1", village="500243102200")
    services.household_update(user=yushan_officer, household=household, address="")
    assert not AuditEntry.objects.filter(action="registry.household.updated").exists()


def test_person_services_are_logged_with_masked_sensitive_values(pengshui, yushan_officer):
    household = make_household(user=yushan_officer)
    id_number = new_id()
    person = services.person_create(user=yushan_officer, household=household, id_number=id_number, name="甲",
                                    phone="13900001111")
    created = last("registry.person.created")
    assert created.after["id_number"] == id_number[:6] + "********" + id_number[-4:]
    assert created.after["phone"] == "139****1111"

    services.person_update(user=yushan_officer, person=person, living_status="deceased",
                           status_date=datetime.date(2025, 6, 1))
    updated = last("registry.person.updated")
    assert updated.before == {"living_status": "alive", "status_date": None}
    assert updated.after == {"living_status": "deceased", "status_date": "2025-06-01"}
    assert updated.household_id == household.pk


def test_disability_income_helper_event_and_move_are_logged(pengshui, yushan_officer):
    household = make_household(user=yushan_officer, members=[{"name": "甲", "relation": "head"}, {"name": "乙"}])
    other = make_household(user=yushan_officer)
    person = household.members.get(name="乙")
    services.disability_set(user=yushan_officer, person=person, category=4, grade=3,
                            certificate_number=f"{person.id_number}43")
    services.disability_set(user=yushan_officer, person=person, category=4, grade=2,
                            certificate_number=f"{person.id_number}42")
    assert last("registry.disability.updated").before == {
        "certificate_number": person.id_number[:6] + "********" + person.id_number[14:18] + "43", "grade": 3}
    services.income_record_save(user=yushan_officer, household=household, year=2025, wage_income="9000")
    assert last("registry.income.saved").after["per_capita_income"] == "4500.00"
    services.helper_set(user=yushan_officer, household=household, kind="paired", name="刘干部", phone="13700002222")
    assert last("registry.helper.saved").after["phone"] == "137****2222"
    services.household_event_record(user=yushan_officer, household=household, kind="illness",
                                    occurred_on=datetime.date(2025, 5, 1), description="住院")
    assert last("registry.event.recorded").after["description"] == "住院"
    services.person_move(user=yushan_officer, person=person, household=other, relation="spouse")
    moved = last("registry.person.moved")
    assert moved.before["household"] == household.number and moved.after["household"] == other.number
    services.disability_remove(user=yushan_officer, person=person)
    assert last("registry.disability.removed").before["category"] == 4
    assert set(AuditEntry.objects.values_list("user__username", flat=True)) == {"yushan"}
