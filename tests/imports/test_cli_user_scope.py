"""`--user` imports with that user's rights and area: a township officer's rows for other townships are rejected."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import new_id
from tests.imports.helpers import person, workbook


def test_cli_as_township_officer_rejects_other_townships(pengshui, yushan_officer, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [person("Y1", new_id()),
                                           person("G1", new_id(), township="高谷镇", village="大青村")])
    out = StringIO()
    call_command("import", "registry", str(path), "--json", "--user", "yushan", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["created"], data["rejected"]) == (1, 1)
    assert data["errors"][0]["row"] == 3 and "管辖范围" in data["errors"][0]["reason"]


def test_cli_refuses_an_unknown_user_with_status_2(pengshui, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [person("Y1", new_id())])
    with pytest.raises(CommandError) as exc:
        call_command("import", "registry", str(path), "--user", "nobody", stdout=StringIO())
    assert exc.value.returncode == 2
