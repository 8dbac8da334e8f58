"""A workbook creates households and persons; the same workbook again changes nothing; counts add up."""

from __future__ import annotations

import datetime

from shouwang.audit.models import AuditEntry
from shouwang.registry.models import Household, IncomeRecord, Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, run, workbook


def _family(tmp_path):  # type: ignore[no-untyped-def]
    head, wife = new_id(), new_id(datetime.date(1972, 3, 1), male=False)
    return workbook(tmp_path / "family.xlsx", [
        person("TL1001", head, "张大山", 残疾类别="肢体", 残疾等级="二级", 脱贫户="是", 脱贫年度=2019, 低保户="是",
               住房安全="安全", 饮水安全="安全", 联系电话="13812345678"),
        person("TL1001", wife, "李秀英", relation="配偶", 劳动能力="弱劳动力或半劳动力"),
    ], incomes=[{"户编号": "TL1001", "统计年度": 2024, "工资性收入": 12000, "转移性收入": "3,000.50"}]), head, wife


def test_workbook_creates_household_members_disability_and_income(pengshui, county_staff, tmp_path):
    path, head, wife = _family(tmp_path)
    result = run(path, county_staff)

    assert counts(result) == {"read": 3, "created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    household = Household.objects.get(number="TL1001")
    assert household.village_id == "500243102200"
    assert (household.poverty_status, household.lifted_year, household.assistance_status) == ("lifted", 2019, "dibao")
    assert (household.member_count, household.disabled_count, household.severe_count) == (2, 1, 1)
    assert household.head_name == "张大山"
    assert Person.objects.get(id_number=head).disability.certificate_number == f"{head}42"
    assert Person.objects.get(id_number=wife).labour_capacity == "weak"
    income = IncomeRecord.objects.get(household=household, year=2024)
    assert income.net_income == 15000.50 and income.per_capita_income == 7500.25
    assert AuditEntry.objects.filter(action="imports.registry.imported").count() == 1


def test_reimporting_the_same_file_changes_nothing(pengshui, county_staff, tmp_path):
    path, _head, _wife = _family(tmp_path)
    run(path, county_staff)
    before = list(Person.objects.values_list("pk", "updated_at").order_by("pk"))

    again = run(path, county_staff)

    assert counts(again) == {"read": 3, "created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert list(Person.objects.values_list("pk", "updated_at").order_by("pk")) == before


def test_a_changed_cell_updates_only_that_person(pengshui, county_staff, tmp_path):
    path, head, wife = _family(tmp_path)
    run(path, county_staff)
    changed = workbook(tmp_path / "changed.xlsx", [
        person("TL1001", wife, "李秀英", relation="配偶", 劳动能力="丧失劳动力"),
    ])

    result = run(changed, county_staff)

    assert counts(result) == {"read": 1, "created": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert Person.objects.get(id_number=wife).labour_capacity == "lost"
    assert Person.objects.get(id_number=head).name == "张大山"
