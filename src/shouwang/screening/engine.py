# ruff: noqa: S608 -- SQL text is compiled by Django or built from constant table names; every value is a parameter.
"""Set-based evaluation of the rules and diffing against the stored hits.

1. every rule's query is inserted into a temporary candidate table (INSERT ... SELECT, nothing in Python);
2. current hits in scope that are no longer candidates are resolved by one UPDATE;
3. current hits whose evidence, version or parameter year changed are updated by one UPDATE;
4. candidates with no current hit are inserted by one INSERT ... SELECT.
Unchanged hits are not touched. The same path serves full runs, area runs and single households.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

from shouwang.screening.models import Hit
from shouwang.screening.rules import RULES, Rule, RuleContext

CANDIDATES = "screening_candidate"
KEY_MATCH = "c.rule_code = {t}.rule_code AND c.household_id = {t}.household_id AND c.person_key = {t}.person_key"


@dataclass
class Diff:
    new: int
    resolved: int
    changed: int
    counts: dict[str, int]


def _hit_table() -> str:
    return connection.ops.quote_name(Hit._meta.db_table)


@contextmanager
def candidates(ctx: RuleContext, rules: Iterable[Rule] = RULES) -> Iterator[str]:
    """A temporary table holding what the rules find now; dropped on exit."""
    json_type = "jsonb" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CANDIDATES} (rule_code varchar(32) NOT NULL, rule_version integer NOT NULL,"
            f" household_id bigint NOT NULL, person_id bigint NULL, person_key bigint NOT NULL,"
            f" evidence {json_type} NOT NULL)"
        )
        try:
            for rule in rules:
                _insert_rule(cursor, rule, ctx)
            cursor.execute(f"CREATE INDEX {CANDIDATES}_key ON {CANDIDATES} (rule_code, household_id, person_key)")
            yield CANDIDATES
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")


def _insert_rule(cursor: Any, rule: Rule, ctx: RuleContext) -> None:
    sql, params = rule.query(ctx).query.sql_with_params()
    cursor.execute(
        f"INSERT INTO {CANDIDATES} (rule_code, rule_version, household_id, person_id, person_key, evidence)"
        f" SELECT %s, %s, q.h, q.p, COALESCE(q.p, 0), q.e FROM ({sql}) q",
        [rule.code, rule.version, *params],
    )


def candidate_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(f"SELECT rule_code, COUNT(*) FROM {CANDIDATES} GROUP BY rule_code")
    return dict(cursor.fetchall())


def apply_candidates(*, scope_sql: str, scope_params: list[Any], run_id: int, parameter_year: int) -> Diff:
    """Bring the stored hits of the households in scope in line with the candidate table."""
    hit = _hit_table()
    in_scope = f"{hit}.resolved_run_id IS NULL AND {hit}.household_id IN ({scope_sql})"
    match = KEY_MATCH.format(t=hit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {hit} SET resolved_run_id = %s WHERE {in_scope}"
            f" AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE {match})",
            [run_id, *scope_params],
        )
        resolved = cursor.rowcount
        cursor.execute(
            f"UPDATE {hit} SET run_id = %s, parameter_year = %s,"
            f" evidence = (SELECT c.evidence FROM {CANDIDATES} c WHERE {match}),"
            f" rule_version = (SELECT c.rule_version FROM {CANDIDATES} c WHERE {match})"
            f" WHERE {in_scope} AND EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE {match}"
            f" AND (c.evidence <> {hit}.evidence OR c.rule_version <> {hit}.rule_version OR {hit}.parameter_year <> %s))",
            [run_id, parameter_year, *scope_params, parameter_year],
        )
        changed = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {hit} (rule_code, rule_version, parameter_year, household_id, person_id, person_key,"
            f" evidence, run_id, first_seen_run_id, resolved_run_id)"
            f" SELECT c.rule_code, c.rule_version, %s, c.household_id, c.person_id, c.person_key, c.evidence, %s, %s,"
            f" NULL FROM {CANDIDATES} c WHERE NOT EXISTS (SELECT 1 FROM {hit} h WHERE h.resolved_run_id IS NULL"
            f" AND h.rule_code = c.rule_code AND h.household_id = c.household_id AND h.person_key = c.person_key)",
            [parameter_year, run_id, run_id],
        )
        new = cursor.rowcount
        counts = candidate_counts(cursor)
    return Diff(new=new, resolved=resolved, changed=changed, counts=counts)
