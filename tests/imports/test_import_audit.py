"""Every object an import changes gets its own audit entry (masked, on the household's history); a
re-import of the same file writes none."""

from __future__ import annotations

from shouwang.audit.models import AuditEntry
from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import person, run, workbook

OBJECT_ACTIONS = ("registry.household.created", "registry.household.updated", "registry.person.created",
                  "registry.person.updated", "registry.person.moved", "registry.income.saved")


def _entries(after: int = 0):  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(action__in=OBJECT_ACTIONS, pk__gt=after)


def _last() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_each_created_and_updated_object_has_its_own_entry(pengshui, county_staff, tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    newcomer = new_id()
    path = workbook(tmp_path / "a.xlsx", [
        person("TL0001", head.id_number, "张大山", 联系电话="13900001111", 残疾类别="肢体", 残疾等级="一级"),
        person("NEW9", newcomer, "王新", 残疾类别="视力", 残疾等级="三级"),
    ], incomes=[{"户编号": "NEW9", "统计年度": 2024, "工资性收入": 5000}])
    since = _last()

    run(path, county_staff)

    new_household = Household.objects.get(number="NEW9")
    created = _entries(since).get(action="registry.household.created")
    assert (created.object_id, created.household_id, created.area_code) == (
        str(new_household.pk), new_household.pk, "500243102200")
    assert created.user == county_staff
    born = _entries(since).get(action="registry.person.created")
    assert born.object_id == str(Person.objects.get(id_number=newcomer).pk)
    assert born.after["name"] == "王新" and born.after["category"] == 1 and born.after["grade"] == 3
    assert newcomer not in str(born.after) and born.after["id_number"].endswith(newcomer[-4:])
    changed = _entries(since).get(action="registry.person.updated")
    assert changed.household_id == tongluo_household.pk
    assert set(changed.after) == {"phone", "grade", "certificate_number"}
    assert "13900001111" not in str(changed.after) and "13812345678" not in str(changed.before)
    assert (changed.before["grade"], changed.after["grade"]) == (2, 1)
    assert _entries(since).get(action="registry.income.saved").household_id == new_household.pk
    history = AuditEntry.objects.filter(household_id=tongluo_household.pk)
    assert history.filter(action="registry.person.updated").exists()  # the household page shows the import


def test_reimport_writes_no_object_entries(pengshui, county_staff, tmp_path):
    path = workbook(tmp_path / "b.xlsx", [person("NEW8", new_id(), "甲"), person("NEW8", new_id(), "乙", relation="配偶")])
    run(path, county_staff)
    first = _entries().count()

    run(path, county_staff)

    assert first == 3  # one household, two persons
    assert _entries().count() == first
