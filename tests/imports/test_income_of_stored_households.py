"""Income rows of households already stored are compared with their stored income of that year: the same
figures are unchanged, other figures update the record (old -> new in the diff)."""

from __future__ import annotations

from decimal import Decimal

from shouwang.registry.models import IncomeRecord
from tests.conftest import new_id
from tests.imports.helpers import counts, person, run, workbook


def test_an_income_sheet_is_compared_with_the_stored_income_of_its_households(pengshui, county_staff, tmp_path):
    first = workbook(tmp_path / "1.xlsx", [person("H1", new_id()), person("H2", new_id(), "李四")], incomes=[
        {"户编号": "H1", "统计年度": 2024, "工资性收入": 1000},
        {"户编号": "H2", "统计年度": 2024, "工资性收入": 2000},
    ])
    run(first, county_staff)
    # Only the income sheet names the households this time; their person rows are not in the file.
    second = workbook(tmp_path / "2.xlsx", [], incomes=[
        {"户编号": "H1", "统计年度": 2024, "工资性收入": 1000},
        {"户编号": "H2", "统计年度": 2024, "工资性收入": 2500},
    ])

    result = run(second, county_staff, dry_run=True)

    assert counts(result) == {"read": 2, "created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert result.diff[0]["changes"] == [("工资性收入", "2000.00", "2500.00")]
    run(second, county_staff)
    assert IncomeRecord.objects.get(household__number="H2").wage_income == Decimal("2500.00")
