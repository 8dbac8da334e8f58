# ruff: noqa: S608 -- SQL text is compiled by Django or built from constant table names; every value is a parameter.
"""What-if: evaluate the rules with parameters changed in memory and compare with the current hits.

Writes nothing to the database (only a temporary candidate table, dropped at once). Only the rules that
read a changed parameter are evaluated again; the others would give exactly their current hits.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

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
    hit = connection.ops.quote_name(Hit._meta.db_table)
    scope_sql, scope_params = ctx.scope.household_condition(f"{hit}.household_id")
    with engine.candidates(ctx, affected):
        result = _compare(area, ctx.params.year, values, {r.code for r in affected}, scope_sql, scope_params)
    return result


def _compare(area: Area, year: int, values: dict[str, Any], affected: set[str], scope_sql: str,
             scope_params: list[Any]) -> WhatIf:
    hit = connection.ops.quote_name(Hit._meta.db_table)
    current_sql = f"SELECT rule_code, household_id FROM {hit} WHERE resolved_run_id IS NULL AND {scope_sql}"
    marks = ", ".join(["%s"] * len(affected)) or "''"
    what_if_sql = (
        f"SELECT rule_code, household_id FROM {engine.CANDIDATES} UNION "
        f"SELECT rule_code, household_id FROM ({current_sql}) cur WHERE rule_code NOT IN ({marks})"
    )
    what_if_params = [*scope_params, *affected]
    with connection.cursor() as cursor:
        per_rule = {
            code: [current, what_if, 0, 0] for code, current, what_if in _rule_counts(
                cursor, current_sql, scope_params, what_if_sql, what_if_params)
        }
        for column, sql_a, params_a, sql_b, params_b in (
            (2, what_if_sql, what_if_params, current_sql, scope_params),
            (3, current_sql, scope_params, what_if_sql, what_if_params),
        ):
            cursor.execute(
                f"SELECT rule_code, COUNT(*) FROM (SELECT rule_code, household_id FROM ({sql_a}) a EXCEPT "
                f"SELECT rule_code, household_id FROM ({sql_b}) b) d GROUP BY rule_code", [*params_a, *params_b])
            for code, n in cursor.fetchall():
                per_rule.setdefault(code, [0, 0, 0, 0])[column] = n
        entering = _households_only_in(cursor, what_if_sql, what_if_params, current_sql, scope_params)
        leaving = _households_only_in(cursor, current_sql, scope_params, what_if_sql, what_if_params)
    outcome = [
        RuleOutcome(r.code, str(r.label), r.code in affected, *per_rule.get(r.code, [0, 0, 0, 0])) for r in RULES
    ]
    return WhatIf(area=area, parameter_year=year, overrides=values, rules=outcome,
                  entering=len(entering), leaving=len(leaving),
                  entering_sample=_sample(entering), leaving_sample=_sample(leaving))


def _rule_counts(cursor: Any, current_sql: str, current_params: list[Any], what_if_sql: str,
                 what_if_params: list[Any]) -> list[tuple[str, int, int]]:
    counts: dict[str, list[int]] = {}
    for index, (sql, params) in enumerate(((current_sql, current_params), (what_if_sql, what_if_params))):
        cursor.execute(f"SELECT rule_code, COUNT(DISTINCT household_id) FROM ({sql}) s GROUP BY rule_code", params)
        for code, n in cursor.fetchall():
            counts.setdefault(code, [0, 0])[index] = n
    return [(code, a, b) for code, (a, b) in counts.items()]


def _households_only_in(cursor: Any, sql_a: str, params_a: list[Any], sql_b: str, params_b: list[Any]) -> list[int]:
    cursor.execute(
        f"SELECT household_id FROM ({sql_a}) a EXCEPT SELECT household_id FROM ({sql_b}) b", [*params_a, *params_b]
    )
    return [row[0] for row in cursor.fetchall()]


def _sample(ids: list[int]) -> list[Household]:
    return list(Household.objects.filter(pk__in=sorted(ids)[:SAMPLE]).select_related("village").order_by("number"))
