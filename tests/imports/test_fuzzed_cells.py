"""Hypothesis fills the workbook with arbitrary cell values: the import never crashes, never loses a row,
and its counts always add up."""

from __future__ import annotations

import datetime

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shouwang.registry.identity import make_id_number
from shouwang.registry.models import Person
from tests.imports.helpers import PERSON_HEADER, run

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25)
CELL = st.one_of(
    st.none(), TEXT, st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)),
    st.sampled_from(["是", "否", "Y", "n", "肢体", "二级", "4", "户主", "铜锣村", "郁山镇", "500243102200", "在世",
                     "死亡", "2022年5月17日", "5.00243E+17", "合计", " ", "安全", "＝1"]),
)
VALID_ID = st.builds(lambda n, day: make_id_number("500243", datetime.date(1950, 1, 1) + datetime.timedelta(days=day),
                                                   n), st.integers(0, 999), st.integers(0, 20000))
ROW = st.fixed_dictionaries(dict.fromkeys(PERSON_HEADER, CELL)).flatmap(
    lambda row: st.fixed_dictionaries({"公民身份号码": st.one_of(CELL, VALID_ID),
                                       "村（社区）": st.sampled_from(["铜锣村", "500243102200", None, "无此村"]),
                                       "户编号": st.one_of(CELL, st.sampled_from(["F1", "F2", "F3"]))}).map(
        lambda override: {**row, **override}))


def _expected_read(rows: list[dict]) -> int:
    def blank(v: object) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    count = 0
    for row in rows:
        cells = [row[h] for h in PERSON_HEADER if not blank(row[h])]
        if cells and not str(cells[0]).strip().startswith(("合计", "总计", "小计")):
            count += 1
    return count


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_arbitrary_cells_never_crash_or_lose_a_row(pengshui, county_staff, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成员信息"
    sheet.append(PERSON_HEADER)
    for row in rows:
        sheet.append([row[h] for h in PERSON_HEADER])
    book.save(path)
    persons_before = Person.objects.count()

    result = run(path, county_staff)

    totals = result.totals()
    assert totals.read == _expected_read(rows)
    assert totals.created + totals.updated + totals.unchanged + totals.rejected == totals.read
    assert len({e.row for e in result.errors}) == totals.rejected
    assert Person.objects.count() == persons_before + totals.created
