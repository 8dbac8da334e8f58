"""Real-world mess: title rows, blank rows, 合计 rows, full-width characters, stray spaces, lowercase x,
header variants, columns in any order, codes instead of names, words or digits, dates in every shape."""

from __future__ import annotations

import datetime

import openpyxl

from shouwang.registry.identity import make_id_number
from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, reasons, run, workbook

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _x_id() -> str:
    """An ID number whose check digit is X."""
    for n in range(1, 999):
        number = make_id_number("500243", datetime.date(1961, 2, 3), n)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def test_title_row_blank_rows_and_total_row_are_not_data(pengshui, county_staff, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["彭水县残疾人信息表"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["序号", "户编号", "村（社区）", "姓名", "公民身份号码", "备注"])
    sheet.append([1, "H1", "铜锣村", "张三", new_id(), "无"])
    sheet.append([])
    sheet.append([2, "H1", "铜锣村", "李四", new_id(), ""])
    sheet.append(["合计", "", "", "2人"])
    book.save(tmp_path / "titled.xlsx")

    result = run(tmp_path / "titled.xlsx", county_staff)

    assert counts(result) == {"read": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Household.objects.get(number="H1").member_count == 2


def test_error_rows_are_numbered_as_excel_shows_them_below_a_title(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "t.xlsx", [person("H1", new_id()), person("H1", "12345", "李四")], title="花名册")
    result = run(path, county_staff)
    assert reasons(result) == ["4|公民身份号码|公民身份号码应为18位，实际为5位"]


def test_full_width_digits_spaces_and_lowercase_x_are_cleaned(pengshui, county_staff, tmp_path):
    x_id = _x_id()
    messy = " " + x_id[:9].translate(FULL_WIDTH) + " " + x_id[9:17] + "x "
    path = workbook(tmp_path / "fw.xlsx", [person("Ｈ１", messy, " 张 三 ", village=" 铜锣村 ", 残疾类别=" 肢体 ",
                                                   残疾等级="２", 联系电话="138 1234 5678")])
    result = run(path, county_staff)

    assert counts(result)["created"] == 1, reasons(result)
    stored = Person.objects.get(id_number=x_id)
    assert (stored.name, stored.phone, stored.household.number) == ("张三", "13812345678", "H1")
    assert stored.disability.certificate_number == f"{x_id}42"


def test_header_variants_any_order_extra_columns_and_codes(pengshui, county_staff, tmp_path):
    header = ["备注", "身份证号码", "姓名", "村/社区", "乡镇/街道", "户编号", "残疾证号", "残疾等级", "残疾类别"]
    id_number = new_id()
    path = workbook(tmp_path / "variants.xlsx", [
        {"备注": "x", "身份证号码": id_number, "姓名": "王五", "村/社区": "500243102200", "乡镇/街道": "500243102000",
         "户编号": "H9", "残疾证号": f"{id_number}14", "残疾等级": "4", "残疾类别": "视力残疾"},
    ], person_header=header)

    result = run(path, county_staff)

    assert counts(result)["created"] == 1, reasons(result)
    disability = Person.objects.get(id_number=id_number).disability
    assert (disability.category, disability.grade) == (1, 4)


def test_yes_no_in_every_spelling(pengshui, county_staff, tmp_path):
    ids = [new_id() for _ in range(4)]
    path = workbook(tmp_path / "yn.xlsx", [
        person("Y1", ids[0], 低保户="Y", 是否参加基本医疗保险="N"),
        person("Y2", ids[1], 低保户="1", 是否参加基本医疗保险="0"),
        person("Y3", ids[2], 特困供养="是", 是否参加基本医疗保险="否"),
        person("Y4", ids[3], 低保户="也许"),
    ])
    result = run(path, county_staff)

    assert Household.objects.get(number="Y1").assistance_status == "dibao"
    assert Household.objects.get(number="Y2").assistance_status == "dibao"
    assert Household.objects.get(number="Y3").assistance_status == "tekun"
    assert not Person.objects.get(id_number=ids[0]).medical_insurance
    assert reasons(result) == ["5|低保户|应填“是”或“否”（也可填Y/N、1/0），实际为“也许”"]


def test_dates_as_excel_serials_and_as_text(pengshui, county_staff, tmp_path):
    header = ["户编号", "村（社区）", "姓名", "公民身份号码", "生存状态", "死亡或迁出日期"]
    ids = [new_id() for _ in range(5)]
    cells = [datetime.date(2022, 5, 17), 44698, "2022-05-17", "2022.5.17", "2022年5月17日"]
    path = workbook(tmp_path / "dates.xlsx", [
        {"户编号": "D1", "村（社区）": "铜锣村", "姓名": f"成员{i}", "公民身份号码": ids[i], "生存状态": "死亡",
         "死亡或迁出日期": cell} for i, cell in enumerate(cells)
    ], person_header=header)

    result = run(path, county_staff)

    assert counts(result)["created"] == 5, reasons(result)
    assert set(Person.objects.filter(id_number__in=ids).values_list("status_date", flat=True)) == {
        datetime.date(2022, 5, 17)}


def test_an_id_number_excel_turned_into_a_float_is_rejected_never_guessed(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "float.xlsx", [person("F1", 5.00243e17), person("F2", "5.00243E+17", "李四")])
    result = run(path, county_staff)

    assert counts(result)["rejected"] == 2
    assert all("被Excel" in e.reason and "无法还原" in e.reason for e in result.errors)
    assert "5.00243E+17" in result.errors[1].reason
    assert Person.objects.count() == 0


def test_a_row_with_several_errors_is_rejected_whole_with_every_reason(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [
        person("B1", new_id(), "", 残疾类别="肢体", 残疾等级="五级", 联系电话="abc"),
        person("B2", new_id(), "好人"),
    ])
    result = run(path, county_staff)

    assert counts(result) == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert {e.column for e in result.errors} == {"姓名", "残疾等级", "联系电话"}
    assert not Household.objects.filter(number="B1").exists()


def test_certificate_must_agree_with_category_and_grade(pengshui, county_staff, tmp_path):
    id_number = new_id()
    path = workbook(tmp_path / "cert.xlsx", [person("C1", id_number, 残疾人证号=f"{id_number}42", 残疾类别="视力",
                                                     残疾等级="二级")])
    result = run(path, county_staff)
    assert reasons(result) == ["2|残疾人证号|残疾人证号中的类别（4）与登记的残疾类别（1）不一致"]
