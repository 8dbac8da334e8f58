"""A person appearing in a new household is moved, both households are re-derived, and the move is audited."""

from __future__ import annotations

from shouwang.audit.models import AuditEntry
from shouwang.registry.models import Household
from tests.imports.helpers import counts, person, run, workbook


def test_person_in_a_new_household_is_moved_and_audited(pengshui, county_staff, tongluo_household, tmp_path):
    wife = tongluo_household.members.get(name="李秀英")
    path = workbook(tmp_path / "m.xlsx", [person("TL0002", wife.id_number, "李秀英", 脱贫户="否")])

    result = run(path, county_staff)

    assert counts(result)["updated"] == 1
    wife.refresh_from_db()
    assert wife.household.number == "TL0002"
    assert Household.objects.get(number="TL0001").member_count == 1
    assert Household.objects.get(number="TL0002").member_count == 1
    entry = AuditEntry.objects.get(action="registry.person.moved")
    assert entry.before == {"household": "TL0001"} and entry.after == {"household": "TL0002"}
    assert result.extra["persons_moved"] == 1
