"""Stored records are compared a chunk of households at a time; chunk boundaries change nothing: a person
moving between households of different chunks, updates, repeats and new rows come out the same."""

from __future__ import annotations

import pytest

from shouwang.audit.models import AuditEntry
from shouwang.imports import importers
from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import counts, person, run, workbook


@pytest.mark.parametrize("households_per_check", [1, 2, 5000])
def test_reimport_with_changes_gives_the_same_result_whatever_the_chunk(
        pengshui, county_staff, tmp_path, monkeypatch, households_per_check):
    monkeypatch.setattr(importers, "HOUSEHOLDS_PER_CHECK", households_per_check)
    a, b, c, d = new_id(), new_id(), new_id(), new_id()
    first = workbook(tmp_path / "1.xlsx", [
        person("H1", a, "甲"), person("H1", b, "乙", relation="配偶"), person("H2", c, "丙"), person("H3", d, "丁"),
    ])
    assert counts(run(first, county_staff))["created"] == 4
    e = new_id()
    second = workbook(tmp_path / "2.xlsx", [
        person("H1", a, "甲"),  # unchanged
        person("H3", d, "丁改"),  # updated
        person("H2", c, "丙"),  # unchanged
        person("H3", b, "乙", relation="配偶"),  # moves from H1 (an earlier chunk) to H3
        person("H4", e, "戊"),  # new household
        person("H1", a, "甲"),  # an exact repeat
    ])

    result = run(second, county_staff)

    assert counts(result) == {"read": 6, "created": 1, "updated": 2, "unchanged": 3, "rejected": 0}
    assert Person.objects.get(id_number=b).household.number == "H3"
    assert Person.objects.get(id_number=d).name == "丁改"
    assert Household.objects.get(number="H1").member_count == 1
    assert Household.objects.get(number="H3").member_count == 2
    assert AuditEntry.objects.filter(action="registry.person.moved").count() == 1
    assert AuditEntry.objects.filter(action="registry.person.updated").count() == 1  # a move alone: its own entry
    assert sorted(d["action"] for d in result.diff) == ["updated", "updated"]
    again = run(second, county_staff)
    assert counts(again) == {"read": 6, "created": 0, "updated": 0, "unchanged": 6, "rejected": 0}
