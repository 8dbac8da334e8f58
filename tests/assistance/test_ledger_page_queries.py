"""The ledger page reads a fixed number of queries, however many measures, follow-ups and problems it shows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shouwang.assistance import services
from tests.assistance.conftest import add_measure, monitor

pytestmark = pytest.mark.django_db


def _queries(client, household) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/assistance/households/{household.pk}/ledger/").status_code == 200
    return len(ctx.captured_queries)


def _add(ledger, user, kind: str) -> None:  # type: ignore[no-untyped-def]
    problem = services.problem_open(user=user, household=ledger.household, kind=kind, description=f"{kind}问题")
    measure = add_measure(ledger, user, problems=[problem])
    services.follow_up_add(user=user, measure=measure, date=datetime.date.today(), note="跟进")


def test_more_measures_do_not_mean_more_queries(client, tongluo_household, yushan_officer):
    monitor(tongluo_household)
    ledger = services.ledger_ensure(user=yushan_officer, household=tongluo_household)
    client.force_login(yushan_officer)
    _add(ledger, yushan_officer, "water")
    one = _queries(client, tongluo_household)
    for kind in ("housing", "medical", "food", "education"):
        _add(ledger, yushan_officer, kind)
    assert _queries(client, tongluo_household) == one
