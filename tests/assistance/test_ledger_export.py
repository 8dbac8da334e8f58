"""xlsx export of an area's ledgers: masked IDs, audit-logged, scoped."""

from __future__ import annotations

import io
import zipfile

import pytest

from shouwang.assistance import services
from shouwang.audit.models import AuditEntry
from tests.assistance.conftest import add_measure

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))


def test_the_export_has_ledgers_measures_and_problems_with_masked_ids(
    client, ledger, baojia_household, county_admin, yushan_officer
):
    services.ledger_ensure(user=None, household=baojia_household)
    services.problem_open(user=None, household=ledger.household, kind="water", description="水源浑浊")
    add_measure(ledger, yushan_officer, content="介绍到县城务工")
    client.force_login(yushan_officer)
    response = client.get("/assistance/ledgers/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    text = _text(response.content)
    head = ledger.household.members.get(name="张大山")
    for expected in (
        "帮扶台账",
        "帮扶措施",
        "问题清单",
        "TL0001",
        "张大山",
        "介绍到县城务工",
        "水源浑浊",
        head.id_number[:6] + "********" + head.id_number[-4:],
    ):
        assert expected in text, expected
    assert head.id_number not in text
    assert "BJ0001" not in text  # 保家镇 is outside 郁山镇
    entry = AuditEntry.objects.get(action="assistance.ledgers.exported")
    assert (
        entry.user == yushan_officer and entry.area_code == "500243102000" and entry.after == {"ledgers": 1}
    )


def test_a_leader_cannot_export(client, ledger, leader):
    client.force_login(leader)
    assert client.get("/assistance/ledgers/export.xlsx").status_code == 404
    assert not AuditEntry.objects.filter(action="assistance.ledgers.exported").exists()
