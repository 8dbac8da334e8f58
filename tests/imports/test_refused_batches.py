"""A batch the database refuses (someone edited the same households or persons meanwhile) is rejected
whole, and nothing after it points at what it never stored: incomes of its households are rejected, not
attached to another household; counts still add up; the reason names no ID number."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from shouwang.imports.importers import RegistryImporter
from shouwang.imports.services import import_file
from shouwang.registry.models import Household, IncomeRecord, Person
from tests.conftest import make_household, new_id
from tests.imports.helpers import counts, person, reasons, run, workbook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_batch_refused(monkeypatch):  # type: ignore[no-untyped-def]
    """One household per batch; the database refuses the second batch's certificates."""
    monkeypatch.setattr(RegistryImporter, "households_per_batch", 1)
    original, calls = RegistryImporter._write_disabilities, []

    def refusing(self, rows):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("simulated concurrent edit")
        return original(self, rows)

    monkeypatch.setattr(RegistryImporter, "_write_disabilities", refusing)


def test_income_of_a_household_whose_batch_was_refused_is_rejected_not_moved(pengshui, county_staff, tmp_path,
                                                                              second_batch_refused):
    rows = [person(f"NB{i}", new_id(), f"人{i}") for i in range(3)]
    path = workbook(tmp_path / "g.xlsx", rows, incomes=[{"户编号": "NB1", "统计年度": 2024, "工资性收入": 5000}])

    result = run(path, county_staff)

    assert sorted(Household.objects.values_list("number", flat=True)) == ["NB0", "NB2"]
    assert not IncomeRecord.objects.exists()
    assert counts(result) == {"read": 4, "created": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    assert result.extra["households_created"] == 2
    assert any("该户的成员信息未能保存" in r for r in reasons(result))


def test_incomes_of_the_other_households_are_stored(pengshui, county_staff, tmp_path, second_batch_refused):
    rows = [person(f"NB{i}", new_id(), f"人{i}") for i in range(4)]
    incomes = [{"户编号": f"NB{i}", "统计年度": 2024, "工资性收入": 5000 + i} for i in range(4)]

    result = run(workbook(tmp_path / "f.xlsx", rows, incomes=incomes), county_staff)

    stored = dict(IncomeRecord.objects.values_list("household__number", "wage_income"))
    assert stored == {"NB0": 5000, "NB2": 5002, "NB3": 5003}
    assert result.extra["households_created"] == 3
    assert counts(result)["rejected"] == 2  # NB1's person row and its income row


def test_rows_of_a_refused_batch_leave_the_diff(pengshui, county_staff, tmp_path, second_batch_refused):
    first, second = (make_household(number=n, members=[{"name": f"{n}户主", "relation": "head"}])
                     for n in ("NA0", "NA1"))
    rows = [person(h.number, h.members.get().id_number, f"{h.number}户主", 劳动能力="丧失劳动力")
            for h in (first, second)]

    result = run(workbook(tmp_path / "d.xlsx", rows), county_staff)

    assert counts(result) == {"read": 2, "created": 0, "updated": 1, "unchanged": 0, "rejected": 1}
    assert [(d["row"], d["changes"]) for d in result.diff] == [(2, [("劳动能力", "普通劳动力", "丧失劳动力")])]


def test_a_person_registered_meanwhile_rejects_that_batch_without_quoting_the_id_number(
        pengshui, county_staff, tmp_path, monkeypatch):
    ids = [new_id(), new_id()]
    original = RegistryImporter.write

    def write(self, sheets):  # type: ignore[no-untyped-def]
        make_household(number="OTHER1", members=[{"name": "别人", "relation": "head", "id_number": ids[1]}])
        return original(self, sheets)

    monkeypatch.setattr(RegistryImporter, "write", write)
    monkeypatch.setattr(RegistryImporter, "households_per_batch", 1)
    path = workbook(tmp_path / "h.xlsx", [person("NC0", ids[0], "甲"), person("NC1", ids[1], "乙")])

    job, result = import_file(user=county_staff, path=path)

    job.refresh_from_db()
    assert job.status == "done"
    assert Person.objects.filter(id_number=ids[0]).exists()
    assert counts(result) == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "写入数据库失败" in " ".join(reasons(result))
    assert ids[1] not in str(job.summary)
