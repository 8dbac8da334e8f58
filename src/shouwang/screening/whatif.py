# ruff: noqa: S608 -- SQL text is compiled by Django or built from constant table names; every value is a parameter.
"""What-if: evaluate the rules with parameters changed in memory and compare with the current hits.

Writes nothing to the database (only a temporary candidate table, dropped at once). Only the rules that
read a changed parameter are evaluated again; the others would give exactly their current hits.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.models import Household
from shouwang.screening import engine
from shouwang.screening.models import Hit
from shouwang.screening.rules import RULES, Scope
from shouwang.screening.services import clean_parameter_values, run_context

SAMPLE = 50


@dataclass
class RuleOutcome:
    code: str
    label: str
    evaluated: bool
    current: int  # households flagged now
    what_if: int  # households that would be flagged
    entering: int = 0
    leaving: int = 0


@dataclass
class WhatIf:
    area: Area
    parameter_year: int
    overrides: dict[str, Any]
    rules: list[RuleOutcome]
    entering: int = 0
    leaving: int = 0
    entering_sample: list[Household] = field(default_factory=list)
    leaving_sample: list[Household] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "area": self.area.short_code, "parameter_year": self.parameter_year,
            "overrides": {k: str(v) for k, v in self.overrides.items()},
            "rules": {r.code: {"current": r.current, "what_if": r.what_if, "entering": r.entering,
                               "leaving": r.leaving, "evaluated": r.evaluated} for r in self.rules},
            "entering": self.entering, "leaving": self.leaving,
            "entering_households": [h.number for h in self.entering_sample],
            "leaving_households": [h.number for h in self.leaving_sample],
        }


def screening_what_if(*, area: Area, overrides: dict[str, Any], year: int | None = None) -> WhatIf:
    """Households each rule would flag in `area` under changed parameters, and who enters or leaves."""
    values = clean_parameter_values(overrides)
    county_code = area.code if area.level == AreaLevel.COUNTY else area.county_code
    ctx = run_context(county_code, year, Scope.for_area(area))
    params = copy.copy(ctx.params)
    for name, value in values.items():
        setattr(params, name, value)
    from shouwang.screening.services import check_parameters

    check_parameters(params)
    ctx = type(ctx)(params=params, as_of=ctx.as_of, scope=ctx.scope)
    affected = [r for r in RULES if set(r.params) & set(values)]
    with transaction.atomic(), engine.candidates(ctx, affected, evidence=False) as found:
        return _compare(area, ctx, values, [r.code for r in affected], found)


def _compare(area: Area, ctx: Any, values: dict[str, Any], affected: list[str], found: engine.Candidates) -> WhatIf:
    """Compare the candidates of the re-evaluated rules with the current hits, in SQL.

    The other rules would find exactly their current hits, so only the re-evaluated rules can gain or
    lose households: a household enters when a candidate has no current hit at all, and leaves when all
    its current hits are on re-evaluated rules and none of them is a candidate any more (see _movers).
    A rule's households under the what-if are its current ones, less those leaving it, plus those
    entering it.
    """
    hit = connection.ops.quote_name(Hit._meta.db_table)
    scope_sql, scope_params = ctx.scope.household_condition("h.household_id")
    current = f"{hit} h WHERE h.resolved_run_id IS NULL AND {scope_sql}"
    per_rule: dict[str, list[int]] = {r.code: [0, 0, 0, 0] for r in RULES}
    entering_ids: list[int] = []
    leaving_ids: list[int] = []
    entering = leaving = 0
    with connection.cursor() as cursor:
        # COUNT(DISTINCT) reads the rule index in order (0.15 s); a DISTINCT subquery was planned as two
        # hash aggregates over the table at the run's work_mem (0.6 s).
        cursor.execute(f"SELECT h.rule_code, COUNT(DISTINCT h.household_id) FROM {current} GROUP BY h.rule_code",
                       scope_params)
        for code, n in cursor.fetchall():
            if code in per_rule:
                per_rule[code][0] = n
        if affected:
            entering, entering_ids, leaving, leaving_ids = _movers(cursor, found, current, scope_params, affected,
                                                                   per_rule)
    for counts in per_rule.values():
        counts[1] = counts[0] - counts[3] + counts[2]
    outcome = [RuleOutcome(r.code, str(r.label), r.code in affected, *per_rule[r.code]) for r in RULES]
    return WhatIf(area=area, parameter_year=ctx.params.year, overrides=values, rules=outcome,
                  entering=entering, leaving=leaving,
                  entering_sample=_sample(entering_ids), leaving_sample=_sample(leaving_ids))


MOVERS = "screening_whatif_mover"


def _movers(cursor: Any, found: engine.Candidates, current: str, scope_params: list[Any], affected: list[str],
            per_rule: dict[str, list[int]]) -> tuple[int, list[int], int, list[int]]:
    """Who enters and who leaves, per rule and per household, in two small steps.

    1. the (household, rule) pairs of the re-evaluated rules that would enter (a candidate without a
       current hit of that rule) and that would leave (a current hit without a candidate), into one small
       temporary table. PostgreSQL finds both in one grouping of the candidate pairs together with the
       current hits of those rules: a pair found on one side only moves (one hash of ~300k rows, where a
       full join hashed each side for DISTINCT and once more to join: 0.36 -> 0.2 s); SQLite, in two
       anti-joins through the candidates' key index and the hits' rule index;
    2. a household enters when one of its entering pairs has no current hit of any rule behind it, and
       leaves when it has a leaving pair, no candidate at all and no current hit of another rule: each
       checked for the few households of step 1 only, never by reading every current hit.
    """
    hit = connection.ops.quote_name(Hit._meta.db_table)
    cand = found.table
    marks = ", ".join(["%s"] * len(affected))
    _drop(cursor)
    try:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE {MOVERS} AS SELECT household_id, rule_code, MAX(found) = 1 AS entering"
                f" FROM (SELECT c.household_id, c.rule_code, 1 AS found FROM {cand} c UNION ALL"
                f" SELECT h.household_id, h.rule_code, 0 FROM {current} AND h.rule_code IN ({marks})) pairs"
                " GROUP BY household_id, rule_code HAVING MAX(found) = MIN(found)", [*scope_params, *affected])
        else:
            found.ensure_key_index(cursor)
            # The candidates hold the re-evaluated rules only, so the look-up needs no list of them (an IN
            # list in a correlated subquery cost SQLite a third more: 161 -> 114 ms at 1M persons).
            cursor.execute(
                f"CREATE TEMPORARY TABLE {MOVERS} AS SELECT DISTINCT c.household_id, c.rule_code, 1 AS entering"
                f" FROM {cand} c WHERE NOT EXISTS (SELECT 1 FROM {hit} h WHERE h.resolved_run_id IS NULL"
                " AND h.household_id = c.household_id AND h.rule_code = c.rule_code)")
            cursor.execute(
                f"INSERT INTO {MOVERS} SELECT DISTINCT h.household_id, h.rule_code, 0 FROM {current}"
                f" AND h.rule_code IN ({marks}) AND NOT EXISTS (SELECT 1 FROM {cand} c"
                " WHERE c.household_id = h.household_id AND c.rule_code = h.rule_code)", [*scope_params, *affected])
        cursor.execute(f"SELECT rule_code, entering, COUNT(*) FROM {MOVERS} GROUP BY rule_code, entering")
        for code, entering_pairs, n in cursor.fetchall():
            per_rule[code][2 if entering_pairs else 3] = n
        entering, entering_ids = _count_and_sample(
            cursor, f"SELECT DISTINCT e.household_id FROM {MOVERS} e WHERE e.entering = %s AND NOT EXISTS"
            f" (SELECT 1 FROM {hit} h WHERE h.resolved_run_id IS NULL AND h.household_id = e.household_id)", [True])
        leaving, leaving_ids = _count_and_sample(
            cursor, f"SELECT DISTINCT l.household_id FROM {MOVERS} l WHERE l.entering = %s"
            f" AND NOT EXISTS (SELECT 1 FROM {cand} c WHERE c.household_id = l.household_id)"
            f" AND NOT EXISTS (SELECT 1 FROM {hit} o WHERE o.resolved_run_id IS NULL"
            f" AND o.household_id = l.household_id AND o.rule_code NOT IN ({marks}))", [False, *affected])
    finally:
        _drop(cursor)
    return entering, entering_ids, leaving, leaving_ids


def _drop(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {MOVERS}")


def _count_and_sample(cursor: Any, sql: str, params: list[Any]) -> tuple[int, list[int]]:
    """How many households the query finds, and the first of them by id (one pass; ids are small)."""
    cursor.execute(sql, params)
    ids = sorted(row[0] for row in cursor.fetchall())
    return len(ids), ids[:SAMPLE]


def _sample(ids: list[int]) -> list[Household]:
    return list(Household.objects.filter(pk__in=ids).select_related("village").order_by("number"))
