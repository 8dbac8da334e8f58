"""Lists are built without a query per row: twice the households, the same number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_household
from tests.monitoring.conftest import walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/monitoring/households/", "/monitoring/leads/", "/monitoring/"])
def test_list_queries_do_not_grow_with_rows(
    client, url, pengshui, tongluo_specialist, yushan_officer, county_staff
):
    def add(n: int) -> None:
        for _ in range(n):
            walk(
                make_household(),
                to="monitored",
                specialist=tongluo_specialist,
                officer=yushan_officer,
                staff=county_staff,
            )
            walk(make_household(), to="noticing", specialist=tongluo_specialist)

    client.force_login(county_staff)
    add(2)
    few = _queries(client, url)
    add(2)
    assert _queries(client, url) == few
