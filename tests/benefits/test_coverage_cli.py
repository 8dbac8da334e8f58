"""`shouwang coverage`: counts per rule; `--rule --list --json` exports ID numbers and is audited."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from shouwang.audit.models import AuditEntry
from tests.benefits.conftest import DIBAO, MILD, give, person

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_counts_per_rule_for_an_area_as_json():
    person(household=DIBAO, disability=MILD)
    paid = person(household=DIBAO, disability=MILD)
    give(paid, "living_subsidy")
    person(household=DIBAO, disability=MILD, village="500243103200")
    data = json.loads(_run("--area", "500243102000", "--date", "2026-03-15", "--json"))
    living = next(r for r in data["rules"] if r["rule"] == "LIVING_SUBSIDY")
    assert (living["eligible"], living["receiving"], living["missed"], living["leak"]) == (2, 1, 1, 0)
    assert {r["rule"] for r in data["rules"]} >= {"CARE_SUBSIDY", "TRAINING", "CARE_SERVICE"}


def test_plain_output_names_every_rule():
    text = _run("--area", "500243", "--date", "2026-03-15")
    assert "LIVING_SUBSIDY" in text and "GRADUATE_EMPLOYMENT" in text


def test_list_gives_id_numbers_and_reasons_and_is_audited():
    missed = person(household=DIBAO, disability=MILD)
    data = json.loads(_run("--area", "500243", "--date", "2026-03-15", "--rule", "LIVING_SUBSIDY", "--list",
                           "--json"))
    assert data["findings"] == [{
        "kind": "missed", "id_number": missed.id_number, "name": missed.name,
        "household": missed.household.number, "village": missed.household.village_id, "reason": "MISSED",
        "reason_text": "符合条件，未享受", "record": None,
    }]
    entry = AuditEntry.objects.get(action="benefits.findings.exported")
    assert entry.after == {"rule": "LIVING_SUBSIDY", "kind": "", "rows": 1, "channel": "cli"}


def test_unknown_rule_and_bad_date_are_clear_errors():
    with pytest.raises(CommandError, match="未知规则"):
        _run("--area", "500243", "--rule", "NOPE")
    with pytest.raises(CommandError, match="日期格式"):
        _run("--area", "500243", "--date", "15/03/2026")
    with pytest.raises(CommandError, match="不存在"):
        _run("--area", "999999")


def _living_subsidy(*extra: str) -> tuple[int, int]:
    data = json.loads(_run("--area", "500243", "--date", "2026-03-15", *extra, "--json"))
    row = next(r for r in data["rules"] if r["rule"] == "LIVING_SUBSIDY")
    return row["receiving"], row["missed"]


def test_rebuild_takes_in_data_written_past_the_services():
    from shouwang.benefits.models import BenefitRecord

    paid = person(household=DIBAO, disability=MILD)
    give(paid, "living_subsidy")
    assert _living_subsidy() == (1, 0)
    # a bulk fix in SQL ends the subsidy: no service ran, so no household was marked changed
    BenefitRecord.objects.filter(person=paid).update(end_on="2026-01-31")

    assert _living_subsidy() == (1, 0)  # the kept facts still hold the subsidy
    assert _living_subsidy("--rebuild") == (0, 1)
