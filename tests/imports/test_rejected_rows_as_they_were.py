"""The error report gives rejected rows exactly as they were typed, even where the cleaner shares one
object between equal cells of a repeated column (the memo that keeps a 100k-row file small)."""

from __future__ import annotations

from tests.conftest import new_id
from tests.imports.helpers import person, run, workbook


def test_rejected_rows_keep_their_cells(pengshui, county_staff, tmp_path):
    good, bad = new_id(), new_id()
    path = workbook(tmp_path / "r.xlsx", [
        person("H1", good, "甲", 脱贫户="是", 脱贫年度=2019, 残疾类别=4, 残疾等级="二级"),
        person("H2", bad, "乙", 脱贫户=" 是", 脱贫年度=2019, 残疾类别=4, 残疾等级="九级"),
        person("H3", new_id(), "丙", 脱贫户=True, 脱贫年度=2019, 低保户="否", 特困供养="否"),
    ])

    result = run(path, county_staff)

    header, rows = result.rejected_rows["成员信息"]
    assert [number for number, _cells, _reason in rows] == [3]
    cells = dict(zip(header, rows[0][1], strict=True))
    assert (cells["公民身份号码"], cells["脱贫户"], cells["脱贫年度"], cells["残疾类别"], cells["残疾等级"]) == (
        bad, " 是", 2019, 4, "九级")
    assert "残疾等级" in rows[0][2]
