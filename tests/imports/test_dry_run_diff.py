"""Dry run: what would be created, updated (field by field, old → new), unchanged, rejected; nothing written."""

from __future__ import annotations

from shouwang.audit.models import AuditEntry
from shouwang.registry.models import Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, run, workbook


def test_dry_run_shows_field_by_field_changes_and_writes_nothing(pengshui, county_staff, tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    newcomer = new_id()
    path = workbook(tmp_path / "d.xlsx", [
        person("TL0001", head.id_number, "张大山", 劳动能力="丧失劳动力", 残疾类别="肢体", 残疾等级="一级"),
        person("TL0001", newcomer, "张小山", relation="之子"),
        person("TL0001", "bad", "坏行"),
    ])
    audit_before = AuditEntry.objects.count()

    result = run(path, county_staff, dry_run=True)

    assert counts(result) == {"read": 3, "created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert result.diff == [{"sheet": "成员信息", "row": 2, "key": head.id_number[:6] + "********" + head.id_number[-4:],
                            "action": "updated", "changes": [
                                ("劳动能力", "普通劳动力", "丧失劳动力"),
                                ("残疾人证号", f"{head.id_number[:6]}********{head.id_number[14:18]}42",
                                 f"{head.id_number[:6]}********{head.id_number[14:18]}41"),
                                ("残疾等级", "二级", "一级")]}]
    assert not Person.objects.filter(id_number=newcomer).exists()
    head.refresh_from_db()
    assert head.labour_capacity == "normal" and head.disability.grade == 2
    assert AuditEntry.objects.count() == audit_before


def test_confirmed_run_after_dry_run_applies_the_diff(pengshui, county_staff, tongluo_household, tmp_path):
    head = tongluo_household.members.get(name="张大山")
    path = workbook(tmp_path / "d.xlsx", [person("TL0001", head.id_number, "张大山", 残疾类别="肢体", 残疾等级="一级")])
    run(path, county_staff, dry_run=True)
    result = run(path, county_staff)
    assert counts(result)["updated"] == 1
    tongluo_household.refresh_from_db()
    assert tongluo_household.severe_count == 1 and head.__class__.objects.get(pk=head.pk).disability.grade == 1
