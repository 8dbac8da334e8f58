"""Households an import creates are stored with their member/disabled/severe counts and head name worked
out from the file's rows; they agree with the registry's own recompute (`household_refresh_counts`)."""

from __future__ import annotations

from shouwang.registry.choices import disability_kind_mask
from shouwang.registry.models import Household
from shouwang.registry.services import household_refresh_counts
from tests.conftest import new_id
from tests.imports.helpers import person, run, workbook

FIGURES = ("member_count", "disabled_count", "severe_count", "head_name", "disability_kinds")


def kinds(*pairs: tuple[int, int]) -> int:
    return sum(disability_kind_mask(category, grade) for category, grade in pairs)


def _figures(numbers: list[str]) -> dict[str, tuple]:
    return {h["number"]: tuple(h[f] for f in FIGURES)
            for h in Household.objects.filter(number__in=numbers).values("number", *FIGURES)}


def test_counts_of_new_households_agree_with_a_recompute(pengshui, county_staff, tongluo_household, tmp_path):
    moving_head = tongluo_household.members.get(name="张大山")  # stored with a severe (grade 2) disability
    dead = {"生存状态": "已故", "死亡或迁出日期": "2024-03-01"}
    path = workbook(tmp_path / "n.xlsx", [
        person("N1", new_id(), "甲", 残疾类别="肢体", 残疾等级="一级"),
        person("N1", new_id(), "乙", relation="配偶", 残疾类别="视力", 残疾等级="三级"),
        person("N1", new_id(), "丙", relation="子", 残疾类别="智力", 残疾等级="二级", **dead),
        person("N2", new_id(), "老户主", **dead),
        person("N2", new_id(), "新户主"),
        person("N3", new_id(), "后来的户主"),
        person("N3", moving_head.id_number, "张大山"),
        person("N4", new_id(), "没有户主", relation="女"),
    ])

    run(path, county_staff)

    stored = _figures(["N1", "N2", "N3", "N4", "TL0001"])
    assert stored == {"N1": (2, 2, 1, "甲", kinds((4, 1), (1, 3))), "N2": (1, 0, 0, "新户主", 0),
                      "N3": (2, 1, 1, "张大山", kinds((4, 2))), "N4": (1, 0, 0, "", 0), "TL0001": (1, 0, 0, "", 0)}
    household_refresh_counts(Household.objects.values_list("pk", flat=True))
    assert _figures(["N1", "N2", "N3", "N4", "TL0001"]) == stored
