"""The same ID number twice with different data: every row involved is rejected, naming all of them."""

from __future__ import annotations

from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, reasons, run, workbook


def test_same_id_twice_with_different_data_rejects_both_rows_with_both_numbers(pengshui, county_staff, tmp_path):
    twice = new_id()
    path = workbook(tmp_path / "c.xlsx", [person("H1", twice, "张三"), person("H1", new_id(), "李四"),
                                          person("H2", twice, "张三丰")])
    result = run(path, county_staff)

    assert counts(result) == {"read": 3, "created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    assert reasons(result) == [
        "2|公民身份号码|同一公民身份号码在文件中出现多次且内容不一致（第2、4行），请核对后只保留一行",
        "4|公民身份号码|同一公民身份号码在文件中出现多次且内容不一致（第2、4行），请核对后只保留一行",
    ]
    assert not Person.objects.filter(id_number=twice).exists()


def test_an_exact_repeat_of_a_row_counts_as_unchanged(pengshui, county_staff, tmp_path):
    id_number = new_id()
    path = workbook(tmp_path / "c.xlsx", [person("H1", id_number), person("H1", id_number)])
    result = run(path, county_staff)
    assert counts(result) == {"read": 2, "created": 1, "updated": 0, "unchanged": 1, "rejected": 0}


def test_household_cells_that_disagree_between_members_are_rejected(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "c.xlsx", [person("H1", new_id(), 低保户="是"), person("H1", new_id(), "李四", 低保户="否"),
                                          person("H1", new_id(), "王五")])
    result = run(path, county_staff)

    assert counts(result)["rejected"] == 2
    assert reasons(result)[0] == "2|低保户|户H1的“低保户”在第2、3行填写不一致"
    assert Household.objects.get(number="H1").assistance_status == "none"


def test_income_twice_for_the_same_year_with_different_amounts_is_rejected(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "c.xlsx", [person("H1", new_id())], incomes=[
        {"户编号": "H1", "统计年度": 2024, "工资性收入": 100}, {"户编号": "H1", "统计年度": 2024, "工资性收入": 200}])
    result = run(path, county_staff)
    assert result.counts["家庭收入"].rejected == 2
    assert "第2、3行" in result.errors[0].reason
