"""English is the second language: switching shows English labels and code-list values on the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_switching_to_english_shows_english_labels_on_the_household_list(client, yushan_officer,
                                                                          tongluo_household):
    client.force_login(yushan_officer)
    chinese = client.get(reverse("registry:household_list")).content.decode()
    assert "户编号" in chinese and "肢体二级" in chinese

    client.post(reverse("set_language"), {"language": "en", "next": reverse("registry:household_list")})
    page = client.get(reverse("registry:household_list")).content.decode()
    for label in ("Household no.", "Head", "Disabled members", "Poverty history", "Social assistance",
                  "1 household", "Search", "Physical, Grade 2", "Never in poverty", "Registry", "Log out"):
        assert label in page, label
    for chinese_label in ("户编号", "残疾成员", "社会救助", "一般户", "查询"):
        assert chinese_label not in page, chinese_label
    assert '<html lang="en">' in page


def test_form_errors_come_in_english_after_switching(client, yushan_officer, tongluo_household):
    client.force_login(yushan_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("registry:person_create", args=[tongluo_household.pk]),
                           {"name": "X", "id_number": "123", "relation": "other", "living_status": "alive",
                            "labour_capacity": "normal", "schooling": "not_in_school", "employment": "none",
                            "certificate_status": "valid"})
    assert response.context["form"].errors["id_number"] == ["The ID number must have 18 characters, not 3"]
