"""Every household an import touches is handed to the registry's change listeners, once per batch."""

from __future__ import annotations

from shouwang.registry import services
from shouwang.registry.models import Household
from tests.conftest import new_id
from tests.imports.helpers import person, run, workbook


def test_listeners_get_the_touched_household_ids(pengshui, county_staff, tongluo_household, request, tmp_path):
    calls: list[list[int]] = []
    services.HOUSEHOLD_CHANGE_LISTENERS.append(calls.append)  # as an app registers one in ready()
    request.addfinalizer(lambda: services.HOUSEHOLD_CHANGE_LISTENERS.remove(calls.append))
    path = workbook(tmp_path / "l.xlsx", [person("TL0001", new_id(), "新成员"), person("NEW1", new_id())],
                    incomes=[{"户编号": "NEW1", "统计年度": 2024, "工资性收入": 1000}])

    run(path, county_staff)

    new_household = Household.objects.get(number="NEW1")
    assert sorted(calls[0]) == sorted([tongluo_household.pk, new_household.pk])
    assert calls[1] == [new_household.pk]
