"""A township officer can only import into their own township: other townships' rows are rejected."""

from __future__ import annotations

from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, reasons, run, workbook


def test_rows_for_another_township_are_rejected_and_not_stored(pengshui, yushan_officer, tmp_path):
    mine, theirs = new_id(), new_id()
    path = workbook(tmp_path / "mixed.xlsx", [
        person("YS1", mine, "本镇人"),
        person("BJ9", theirs, "外镇人", township="高谷镇", village="大青村"),
    ])
    result = run(path, yushan_officer)

    assert counts(result) == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "不在您的管辖范围内" in result.errors[0].reason and result.errors[0].row == 3
    assert not Person.objects.filter(id_number=theirs).exists()
    assert not Household.objects.filter(number="BJ9").exists()


def test_officer_cannot_touch_a_household_or_person_registered_elsewhere(pengshui, yushan_officer, baojia_household,
                                                                          tmp_path):
    baojia_person = baojia_household.members.get()
    path = workbook(tmp_path / "takeover.xlsx", [
        person("BJ0001", new_id(), "冒名"),  # the 保家镇 household number, claimed for 铜锣村
        person("YS2", baojia_person.id_number, "王小川"),  # a 保家镇 person moved into 郁山镇
    ])
    result = run(path, yushan_officer)

    assert counts(result)["rejected"] == 2
    assert reasons(result) == [
        "2|户编号|户编号BJ0001已登记在您管辖范围以外的村（社区），不能导入",
        "3|公民身份号码|该公民身份号码已登记在您管辖范围以外的户，不能导入",
    ]
    baojia_person.refresh_from_db()
    assert baojia_person.household_id == baojia_household.pk
