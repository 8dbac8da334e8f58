"""The columns of the registry workbook (sheet 成员信息 and sheet 家庭收入), shared by import, export and
the blank template, so a file exported from Shouwang imports back unchanged."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from shouwang.imports import cleaning
from shouwang.imports.base import ImportColumn, SheetSpec
from shouwang.imports.cleaning import CellError, Choice
from shouwang.registry.choices import (
    CheckState,
    DisabilityCategory,
    DisabilityGrade,
    LabourCapacity,
    LivingStatus,
    Relation,
    Schooling,
)

PERSONS = "成员信息"
INCOMES = "家庭收入"


def household_number(value: object) -> str:
    number = cleaning.compact(value)
    if len(number) > 32:
        raise CellError(_("户编号过长（最多32位）"))
    return number


def area_text(value: object) -> str:
    return cleaning.compact(value)


def lifted_year(value: object) -> int:
    return cleaning.whole_number(value, low=1900, high=2100, label=N_("脱贫年度"))


def income_year(value: object) -> int:
    return cleaning.whole_number(value, low=2000, high=2100, label=N_("统计年度"))


relation = Choice(N_("与户主关系"), Relation.choices, {
    "本人": Relation.HEAD, "户主本人": Relation.HEAD, "妻": Relation.SPOUSE, "夫": Relation.SPOUSE,
    "妻子": Relation.SPOUSE, "丈夫": Relation.SPOUSE, "子": Relation.SON, "儿子": Relation.SON,
    "长子": Relation.SON, "次子": Relation.SON, "女": Relation.DAUGHTER, "女儿": Relation.DAUGHTER,
    "长女": Relation.DAUGHTER, "次女": Relation.DAUGHTER, "父亲": Relation.PARENT, "母亲": Relation.PARENT,
    "父母": Relation.PARENT, "祖父母": Relation.GRANDPARENT, "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD, "孙子女": Relation.GRANDCHILD, "兄弟姐妹": Relation.SIBLING,
    "儿媳": Relation.CHILD_IN_LAW, "女婿": Relation.CHILD_IN_LAW, "其它": Relation.OTHER,
})
category = Choice(N_("残疾类别"), DisabilityCategory.choices, {
    f"{label}残疾": code for code, label in DisabilityCategory.choices
} | {"多重残疾": 7})
grade = Choice(N_("残疾等级"), DisabilityGrade.choices, {
    f"{n}级": n for n in range(1, 5)
} | {"一": 1, "二": 2, "三": 3, "四": 4, "壹级": 1, "贰级": 2, "叁级": 3, "肆级": 4})
labour = Choice(N_("劳动能力"), LabourCapacity.choices, {
    "普通": LabourCapacity.NORMAL, "技能劳动力": LabourCapacity.NORMAL, "弱劳动力": LabourCapacity.WEAK,
    "半劳动力": LabourCapacity.WEAK, "丧失劳动能力": LabourCapacity.LOST, "无劳动能力": LabourCapacity.NONE,
})
schooling = Choice(N_("在校生状况"), Schooling.choices, {
    "非在校生": Schooling.NOT_IN_SCHOOL, "不在校": Schooling.NOT_IN_SCHOOL, "义务教育": Schooling.COMPULSORY,
    "小学": Schooling.COMPULSORY, "初中": Schooling.COMPULSORY, "高中": Schooling.HIGH_SCHOOL,
    "中职": Schooling.HIGH_SCHOOL, "大学": Schooling.COLLEGE, "大专": Schooling.COLLEGE,
    "本科": Schooling.COLLEGE, "失学": Schooling.DROPOUT, "辍学": Schooling.DROPOUT,
})
living = Choice(N_("生存状态"), LivingStatus.choices, {
    "正常": LivingStatus.ALIVE, "健在": LivingStatus.ALIVE, "已故": LivingStatus.DECEASED,
    "死亡": LivingStatus.DECEASED, "迁出": LivingStatus.MOVED_OUT, "已迁出": LivingStatus.MOVED_OUT,
})
safety = Choice(N_("安全状况"), CheckState.choices, {
    "是": CheckState.SAFE, "否": CheckState.UNSAFE, "y": CheckState.SAFE, "n": CheckState.UNSAFE,
    "1": CheckState.SAFE, "0": CheckState.UNSAFE, "有保障": CheckState.SAFE, "无保障": CheckState.UNSAFE,
})

PERSON_COLUMNS = (
    ImportColumn("household_number", N_("户编号"), household_number, required=True, aliases=("户号", "家庭编号")),
    ImportColumn("township", N_("乡镇（街道）"), area_text, aliases=("乡镇", "街道", "乡镇街道", "乡（镇、街道）"),
                 help_text=N_("名称或12位区划代码"), repeats=True),
    ImportColumn("village", N_("村（社区）"), area_text, required=True, aliases=("村", "社区", "村社区", "村居"),
                 help_text=N_("名称或12位区划代码；村名在本县不唯一时须同时填写乡镇"), repeats=True),
    ImportColumn("relation", N_("与户主关系"), relation, aliases=("关系",), repeats=True),
    ImportColumn("name", N_("姓名"), cleaning.name, required=True),
    ImportColumn("id_number", N_("公民身份号码"), cleaning.id_number_text, required=True,
                 aliases=("身份证号", "身份证号码", "身份证", "证件号码"), help_text=N_("18位，请设为文本格式")),
    ImportColumn("certificate_number", N_("残疾人证号"), cleaning.id_number_text,
                 aliases=("残疾证号", "残疾人证号码", "残疾证号码", "残疾证"),
                 help_text=N_("20位：身份证号+类别+等级；留空时由身份证号、类别、等级生成")),
    ImportColumn("category", N_("残疾类别"), category, help_text=N_("视力/听力/言语/肢体/智力/精神/多重，或1-7"), repeats=True),
    ImportColumn("grade", N_("残疾等级"), grade, help_text=N_("一级至四级，或1-4"), repeats=True),
    ImportColumn("labour_capacity", N_("劳动能力"), labour, repeats=True),
    ImportColumn("schooling", N_("在校生状况"), schooling, aliases=("在校情况", "在校生情况"), repeats=True),
    ImportColumn("medical_insurance", N_("是否参加基本医疗保险"), cleaning.yes_no,
                 aliases=("参加基本医疗保险", "基本医疗保险", "医保"), repeats=True),
    ImportColumn("living_status", N_("生存状态"), living, repeats=True),
    ImportColumn("status_date", N_("死亡或迁出日期"), cleaning.date, aliases=("死亡日期", "迁出日期"), repeats=True),
    ImportColumn("phone", N_("联系电话"), cleaning.phone, aliases=("电话", "手机号", "手机号码")),
    ImportColumn("lifted", N_("脱贫户"), cleaning.yes_no, aliases=("是否脱贫户",), repeats=True),
    ImportColumn("lifted_year", N_("脱贫年度"), lifted_year, aliases=("脱贫年份",), repeats=True),
    ImportColumn("dibao", N_("低保户"), cleaning.yes_no, aliases=("是否低保户", "低保"), repeats=True),
    ImportColumn("tekun", N_("特困供养"), cleaning.yes_no, aliases=("特困", "特困供养户", "是否特困供养"), repeats=True),
    ImportColumn("housing_safety", N_("住房安全"), safety, repeats=True),
    ImportColumn("water_safety", N_("饮水安全"), safety, repeats=True),
)
MONEY_COLUMNS = (
    ("wage_income", N_("工资性收入")), ("business_income", N_("生产经营性收入")), ("property_income", N_("财产性收入")),
    ("transfer_income", N_("转移性收入")), ("business_cost", N_("生产经营性支出")),
    ("medical_spending", N_("合规自付医疗支出")), ("education_spending", N_("教育支出")),
    ("insurance_claims", N_("理赔收入")),
)
INCOME_COLUMNS = (
    ImportColumn("household_number", N_("户编号"), household_number, required=True, aliases=("户号", "家庭编号")),
    ImportColumn("year", N_("统计年度"), income_year, required=True, aliases=("年度", "年份"), repeats=True),
    *(ImportColumn(ident, label, cleaning.money, help_text=N_("元，留空按0计")) for ident, label in MONEY_COLUMNS),
)
PERSON_SHEET = SheetSpec(PERSONS, PERSON_COLUMNS, aliases=("成员", "人员信息", "残疾人信息"))
INCOME_SHEET = SheetSpec(INCOMES, INCOME_COLUMNS, aliases=("收入", "收入信息", "家庭收入信息"))
HOUSEHOLD_COLUMNS = ("village", "lifted", "lifted_year", "dibao", "tekun", "housing_safety", "water_safety")
