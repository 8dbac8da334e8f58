"""The operator commands: `shouwang screen`, `shouwang screen --what-if`, `shouwang hits`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shouwang.screening.models import Hit, ScreeningParameters, ScreeningRun
from shouwang.screening.rules import RULES
from tests.conftest import make_household
from tests.screening.helpers import income

pytestmark = pytest.mark.django_db


def _json(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_screen_json_prints_run_hits_per_rule_new_and_resolved(pengshui):
    make_household(housing_safety="unsafe")
    Hit.objects.all().delete()
    data = _json("screen", "--json")
    assert set(data) == {"run", "hits", "new", "resolved"}
    assert set(data["hits"]) == {r.code for r in RULES}
    assert data["hits"]["HOUSING_UNSAFE"] == 1 and data["new"] == 1 and data["resolved"] == 0
    assert ScreeningRun.objects.filter(pk=data["run"]).exists()


def test_screen_seeds_parameters_and_takes_year_and_area(pengshui):
    data = _json("screen", "--year", "2022", "--area", "500243102000", "--json")
    run = ScreeningRun.objects.get(pk=data["run"])
    assert (run.parameter_year, run.area_id) == (2022, "500243102000")
    assert ScreeningParameters.objects.filter(county=pengshui).count() == 6


def test_screen_rejects_an_unknown_area(pengshui):
    with pytest.raises(CommandError, match="区划代码不存在"):
        call_command("screen", "--area", "999999999999", stdout=StringIO())


def test_what_if_json_counts_households_entering_and_writes_nothing(pengshui):
    h = make_household(number="WHATIF-1")
    income(h, 2025, wage_income="7800")
    runs, hits = ScreeningRun.objects.count(), Hit.objects.count()
    data = _json("screen", "--what-if", "income_line=8000", "near_line_band=0.2", "--json")
    assert data["rules"]["INCOME_BELOW_LINE"] == {"current": 0, "what_if": 1, "entering": 1, "leaving": 0,
                                                  "evaluated": True}
    assert data["rules"]["INCOME_NEAR_LINE"]["leaving"] == 1
    assert data["entering"] == 0 and data["leaving"] == 0  # still flagged, by another rule
    assert (ScreeningRun.objects.count(), Hit.objects.count()) == (runs, hits)


def test_what_if_rejects_unknown_keys_in_chinese(pengshui):
    with pytest.raises(Exception, match="未知参数"):
        call_command("screen", "--what-if", "povertyline=1", "--json", stdout=StringIO())


def test_hits_json_lists_the_households_hits_with_evidence(pengshui):
    h = make_household(number="HITS-1", members=[{"name": "张三", "disability": {"category": 4, "grade": 2}}])
    income(h, 2025, wage_income="5420")
    data = _json("hits", "--household", "HITS-1", "--json")
    by_rule = {row["rule"]: row for row in data["hits"]}
    assert by_rule["SEVERE_DISABILITY"]["person"] == "张三"
    assert by_rule["SEVERE_DISABILITY"]["explanation"] == "持证肢体残疾二级（一二级重度）"
    assert by_rule["INCOME_BELOW_LINE"]["evidence"]["year"] == 2025
    assert {"rule_version", "parameter_year", "first_seen_run"} <= set(by_rule["INCOME_BELOW_LINE"])


def test_hits_for_unknown_household_is_a_clear_error(pengshui):
    with pytest.raises(CommandError, match="未找到户编号"):
        call_command("hits", "--household", "NOPE", stdout=StringIO())
