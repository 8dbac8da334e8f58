"""Create and edit forms answer bad input with a Chinese message next to the field concerned."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from shouwang.registry.identity import make_id_number
from shouwang.registry.models import Household, Person
from tests.conftest import TONGLUO, new_id

pytestmark = pytest.mark.django_db

HOUSEHOLD_FORM = {
    "number": "TL0100", "village": TONGLUO, "address": "铜锣村三组", "phone": "", "poverty_status": "general",
    "lifted_year": "", "assistance_status": "none", "food_clothing": "safe", "housing_safety": "safe",
    "housing_checked_on": "", "water_safety": "safe", "water_checked_on": "",
}
PERSON_FORM = {
    "name": "王德福", "relation": "head", "living_status": "alive", "status_date": "", "labour_capacity": "weak",
    "schooling": "not_in_school", "employment": "farming", "phone": "", "medical_insurance": "on",
    "category": "", "grade": "", "certificate_number": "", "certificate_status": "valid", "valid_until": "",
}


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "a rejected form is shown again, not redirected"
    return response.context["form"].errors.get(field, [])


def test_officer_creates_a_household_and_lands_on_its_page(client, yushan_officer):
    client.force_login(yushan_officer)
    response = client.post(reverse("registry:household_create"), HOUSEHOLD_FORM)
    household = Household.objects.get(number="TL0100")
    assert response.status_code == 302 and response.url == reverse("registry:household_detail", args=[household.pk])
    assert (household.county_id, household.township_id) == ("500243000000", "500243102000")


def test_household_number_must_be_unique_in_the_county(client, county_admin, baojia_household):
    client.force_login(county_admin)
    response = client.post(reverse("registry:household_create"), HOUSEHOLD_FORM | {"number": "BJ0001"})
    assert field_errors(response, "number") == ["户编号BJ0001在本县已存在"]
    assert "户编号BJ0001在本县已存在" in response.content.decode()
    assert Household.objects.filter(number="BJ0001").count() == 1


def test_lifted_household_needs_a_plausible_year(client, yushan_officer):
    client.force_login(yushan_officer)
    missing = client.post(reverse("registry:household_create"), HOUSEHOLD_FORM | {"poverty_status": "lifted"})
    assert field_errors(missing, "lifted_year") == ["脱贫户须填写脱贫年度"]
    too_early = client.post(reverse("registry:household_create"),
                            HOUSEHOLD_FORM | {"poverty_status": "lifted", "lifted_year": "2005"})
    assert field_errors(too_early, "lifted_year") == ["脱贫年度应在2013年至今之间"]
    assert not Household.objects.filter(number="TL0100").exists()


def test_officer_cannot_create_a_household_in_a_village_of_another_township(client, yushan_officer):
    client.force_login(yushan_officer)
    response = client.post(reverse("registry:household_create"), HOUSEHOLD_FORM | {"village": "500243103200"})
    assert field_errors(response, "village")
    assert not Household.objects.filter(number="TL0100").exists()


def test_editing_a_household_keeps_its_number_and_saves_the_change(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    url = reverse("registry:household_edit", args=[tongluo_household.pk])
    response = client.post(url, HOUSEHOLD_FORM | {"number": "HACKED", "assistance_status": "dibao"})
    assert response.status_code == 302
    tongluo_household.refresh_from_db()
    assert tongluo_household.number == "TL0001"
    assert tongluo_household.assistance_status == "dibao"


def test_sex_and_birth_date_come_from_the_id_number(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    id_number = make_id_number("512327", datetime.date(1948, 2, 29), 42)  # Sichuan-era code, even: female
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]),
                           PERSON_FORM | {"relation": "parent", "id_number": id_number.lower()})
    assert response.status_code == 302
    person = Person.objects.get(id_number=id_number)
    assert (person.sex, person.birth_date) == ("F", datetime.date(1948, 2, 29))


def test_bad_id_checksum_is_reported_on_the_id_field(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    good = new_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]),
                           PERSON_FORM | {"id_number": bad})
    assert field_errors(response, "id_number") == ["公民身份号码校验位错误，请核对号码"]
    assert not Person.objects.filter(name="王德福").exists()


def test_impossible_birth_date_in_the_id_is_reported(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    body = "50024319990230001"
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]),
                           PERSON_FORM | {"id_number": body + "X"})
    assert field_errors(response, "id_number") == ["公民身份号码中的出生日期19990230不存在"]


def test_an_id_number_is_registered_only_once(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    taken = tongluo_household.members.get(name="李秀英").id_number
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]),
                           PERSON_FORM | {"id_number": taken})
    assert field_errors(response, "id_number") == ["该公民身份号码已登记在户TL0001"]


def test_certificate_category_must_match_the_recorded_category(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    id_number = new_id()
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]), PERSON_FORM | {
        "id_number": id_number, "category": "4", "grade": "2", "certificate_number": f"{id_number}52",
    })
    assert field_errors(response, "certificate_number") == ["残疾人证号中的类别（5）与登记的残疾类别（4）不一致"]
    assert not Person.objects.filter(id_number=id_number).exists(), "person and certificate are saved together"


def test_certificate_grade_and_id_part_are_checked(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    id_number, other = new_id(), new_id()
    url = reverse("registry:person_create", args=[tongluo_household.pk])
    wrong_grade = client.post(url, PERSON_FORM | {"id_number": id_number, "category": "4", "grade": "2",
                                                  "certificate_number": f"{id_number}43"})
    assert field_errors(wrong_grade, "certificate_number") == ["残疾人证号中的等级（3）与登记的残疾等级（2）不一致"]
    wrong_id = client.post(url, PERSON_FORM | {"id_number": id_number, "category": "4", "grade": "2",
                                               "certificate_number": f"{other}42"})
    assert field_errors(wrong_id, "certificate_number") == ["残疾人证号的前18位与公民身份号码不一致"]
    half = client.post(url, PERSON_FORM | {"id_number": id_number, "category": "4"})
    assert field_errors(half, "certificate_number") == ["残疾类别、残疾等级和残疾人证号须同时填写"]


def test_death_needs_a_date(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="李秀英")
    response = client.post(reverse("registry:person_edit", args=[person.pk]),
                           PERSON_FORM | {"name": "李秀英", "relation": "spouse", "living_status": "deceased"})
    assert field_errors(response, "status_date") == ["死亡或户籍迁出须填写日期"]


def test_a_failed_certificate_edit_leaves_the_person_unchanged(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    response = client.post(reverse("registry:person_edit", args=[person.pk]), PERSON_FORM | {
        "name": "张大山改", "category": "4", "grade": "1", "certificate_number": f"{person.id_number}42",
    })
    assert field_errors(response, "certificate_number")
    person.refresh_from_db()
    assert person.name == "张大山" and person.disability.grade == 2


def test_editing_a_person_updates_the_certificate(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    response = client.post(reverse("registry:person_edit", args=[person.pk]), PERSON_FORM | {
        "name": "张大山", "category": "4", "grade": "1", "certificate_number": f"{person.id_number}41",
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.disability.grade, person.disability.certificate_number[-2:]) == (1, "41")
    assert person.relation == "head" and person.labour_capacity == "weak"


def test_edit_forms_show_id_number_phone_and_certificate_masked(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    services_phone = "13812345678"
    household_page = client.get(reverse("registry:household_edit", args=[tongluo_household.pk])).content.decode()
    assert services_phone not in household_page and "138****5678" in household_page
    person_page = client.get(reverse("registry:person_edit", args=[person.pk])).content.decode()
    assert person.id_number not in person_page
    assert person.id_number[:6] + "********" + person.id_number[-4:] + "42" in person_page


def test_saving_an_edit_form_with_masked_values_keeps_the_stored_ones(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    person = tongluo_household.members.get(name="张大山")
    masked_cert = person.id_number[:6] + "********" + person.id_number[-4:] + "42"
    response = client.post(reverse("registry:person_edit", args=[person.pk]), PERSON_FORM | {
        "name": "张大山", "category": "4", "grade": "2", "certificate_number": masked_cert,
        "id_number": "500243********0000",
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.disability.certificate_number == f"{person.id_number}42"
    response = client.post(reverse("registry:household_edit", args=[tongluo_household.pk]),
                           HOUSEHOLD_FORM | {"phone": "138****5678"})
    assert response.status_code == 302
    tongluo_household.refresh_from_db()
    assert tongluo_household.phone == "13812345678"
    client.post(reverse("registry:household_edit", args=[tongluo_household.pk]),
                HOUSEHOLD_FORM | {"phone": "13999990000"})
    tongluo_household.refresh_from_db()
    assert tongluo_household.phone == "13999990000"


def test_date_pickers_receive_iso_dates(client, yushan_officer, tongluo_household):
    from shouwang.registry import services

    services.household_update(user=None, household=tongluo_household, housing_safety="safe",
                              housing_checked_on=datetime.date(2025, 4, 2))
    client.force_login(yushan_officer)
    page = client.get(reverse("registry:household_edit", args=[tongluo_household.pk])).content.decode()
    assert 'value="2025-04-02"' in page
