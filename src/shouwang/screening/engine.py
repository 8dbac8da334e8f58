# ruff: noqa: S608 -- SQL text is compiled by Django or built from constant table names; every value is a parameter.
"""Set-based evaluation of the rules and diffing against the stored hits.

1. every rule's query is inserted into a temporary candidate table (INSERT ... SELECT, nothing in Python);
2. one pass matches the candidates with the current hits and keeps the new and the changed ones aside;
3. current hits in scope that are no longer candidates are resolved by one UPDATE (skipped when a count
   shows there are none);
4. changed hits are updated by one UPDATE ... FROM, new ones inserted by one INSERT ... SELECT.
Unchanged hits are not touched. The same path serves full runs, area runs and single households.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from shouwang.registry.models import Household
from shouwang.screening.defaults import PARAMETER_FIELDS
from shouwang.screening.models import Hit
from shouwang.screening.prepared import PREPARED
from shouwang.screening.rules import RULES, SCOPE_TABLE, Rule, RuleContext, Scope

CANDIDATES = "screening_candidate"
CHANGES = "screening_candidate_change"
EMPTY = "'{}'"  # a JSON object literal, for either database's evidence column
KEY_MATCH = "c.rule_code = {t}.rule_code AND c.household_id = {t}.household_id AND c.person_key = {t}.person_key"


@dataclass
class Diff:
    new: int
    resolved: int
    changed: int
    counts: dict[str, int]


def _hit_table() -> str:
    return connection.ops.quote_name(Hit._meta.db_table)


@dataclass
class Candidates:
    """The temporary candidate table of a run and how many rows each rule put into it."""

    table: str
    counts: dict[str, int]
    scope: Scope
    indexed: bool = False

    def ensure_key_index(self, cursor: Any) -> None:
        """The index on the hit key, built only when something has to probe the candidates by key."""
        if not self.indexed:
            cursor.execute(f"CREATE INDEX {self.table}_key ON {self.table} (household_id, rule_code, person_key)")
            _analyze(cursor, self.table, self.scope)
            self.indexed = True


@contextmanager
def candidates(ctx: RuleContext, rules: Iterable[Rule] = RULES, timings: dict[str, float] | None = None,
               *, first_run: int | None = None, evidence: bool = True) -> Iterator[Candidates]:
    """A temporary table holding what the rules find now (plus the scope and prepared relations the rules
    read); all dropped on exit. `timings`, when given, receives the seconds of each step (benchmark).
    With `first_run` (a run id; see first_hits) the rules write straight into the hit table instead.
    Without `evidence` (a what-if counts households and compares keys only) each candidate's evidence is
    left empty, and on PostgreSQL the table holds the keys only (see _create_keys): the rule's evidence
    expression is never read, so the database does not build it."""
    clock = timings if timings is not None else {}
    rules = list(rules)
    needs = {need for rule in rules for need in rule.needs}
    temporary = [CANDIDATES, CHANGES, SCOPE_TABLE, *(PREPARED[n][0] for n in needs)]
    json_type = "json" if connection.vendor == "postgresql" else "text"  # as the hit table's (EvidenceField)
    # PostgreSQL: ids from a sequence cached a thousand at a time, as the hit table's (migration 0009).
    row_id = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and ctx.scope.household_ids is None and connection.in_atomic_block:
            # An area's passes group and hash hundreds of thousands of rows: give them memory instead of
            # temporary files, and skip JIT compilation, which costs more than it saves on these plans.
            # Local to the run's transaction.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        _drop(cursor, temporary)
        try:
            if ctx.scope.household_ids is not None:
                cursor.execute(f"CREATE TEMPORARY TABLE {SCOPE_TABLE} (household_id bigint PRIMARY KEY)")
                cursor.executemany(f"INSERT INTO {SCOPE_TABLE} (household_id) VALUES (%s)",
                                   [(pk,) for pk in ctx.scope.household_ids])
                _analyze(cursor, SCOPE_TABLE, ctx.scope)
            for need in [name for name in PREPARED if name in needs]:  # in PREPARED's order: later ones may read earlier
                started = time.perf_counter()
                # Not analysed: rules only filter these (PostgreSQL sizes an unanalysed table from its pages),
                # and at 300k rows each ANALYZE costs a few tenths of a second.
                PREPARED[need][1](cursor, ctx, frozenset(rule.code for rule in rules if need in rule.needs))
                clock[need] = time.perf_counter() - started
            if first_run is None and not evidence and rules and connection.vendor == "postgresql":
                # A what-if reads the candidates' keys only: one CREATE TABLE ... AS over every rule writes
                # them in bulk, where an INSERT per rule wrote each row with its id and evidence.
                started = time.perf_counter()
                _create_keys(cursor, rules, ctx)
                clock["candidates"] = time.perf_counter() - started
                yield Candidates(CANDIDATES, {}, ctx.scope)
                return
            if first_run is None:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {CANDIDATES} (id {row_id}, rule_code varchar(32) NOT NULL,"
                    f" rule_version integer NOT NULL, household_id bigint NOT NULL, person_id bigint NULL,"
                    f" person_key bigint NOT NULL, evidence {json_type} NOT NULL)"
                )
            counts = {}
            for rule in _in_index_order(cursor, rules) if first_run is not None else rules:
                started = time.perf_counter()
                counts[rule.code] = _insert_rule(cursor, rule, ctx, first_run, evidence)
                clock[rule.code] = time.perf_counter() - started
            if first_run is not None:
                yield Candidates(_hit_table(), counts, ctx.scope)
                return
            _analyze(cursor, CANDIDATES, ctx.scope)
            yield Candidates(CANDIDATES, counts, ctx.scope)
        finally:
            _drop(cursor, temporary)


def _create_keys(cursor: Any, rules: list[Rule], ctx: RuleContext) -> None:
    """The candidate table of a what-if (PostgreSQL): household, rule and person key of what the rules
    find, without evidence (the rule's evidence expression is never read, so it is not built)."""
    parts, params = [], []
    for rule in rules:
        sql, rule_params = compiled(rule, ctx)
        parts.append("SELECT q.h AS household_id, CAST(%s AS varchar(32)) AS rule_code,"
                     f" COALESCE(q.p, 0) AS person_key FROM ({sql}) q")
        params += [rule.code, *rule_params]
    cursor.execute(f"CREATE TEMPORARY TABLE {CANDIDATES} AS {' UNION ALL '.join(parts)}", params)


def _drop(cursor: Any, tables: list[str]) -> None:
    """PostgreSQL drops them all in one statement (each DDL statement costs it a few milliseconds, which
    is most of a single household's re-screen); SQLite takes one table per statement."""
    if connection.vendor == "postgresql":
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")
    else:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _analyze(cursor: Any, table: str, scope: Scope) -> None:
    """PostgreSQL plans a temporary table of a few pages as if it held ten pages of rows until it is
    analysed; for one household that means hash joins over the whole registry instead of index lookups.
    A run over an area skips it: the planner sizes an unanalysed table from its actual pages, which is
    right for tables of that size, and each ANALYZE of a half-million-row candidate table costs 0.2-0.4 s."""
    if connection.vendor == "postgresql" and scope.household_ids is not None:
        cursor.execute(f"ANALYZE {table}")


def _in_index_order(cursor: Any, rules: list[Rule]) -> list[Rule]:
    """A first run's rules in the order the database sorts their codes (PostgreSQL; SQLite keeps RULES).

    With each rule's hits inserted by household (see _insert_rule), the table's rows then lie in the order
    of the rule index (rule code, household), and building that index after the insert finds them sorted:
    its sort compared codes by the collation's strcoll for every pair of 577k hits (that build: 0.83 ->
    0.27 s CPU at 1M persons). The database sorts the codes so the order is its collation's, whatever that is."""
    if connection.vendor != "postgresql":
        return rules
    by_code = {rule.code: rule for rule in rules}
    cursor.execute("SELECT code FROM unnest(%s::varchar[]) code ORDER BY code", [list(by_code)])
    return [by_code[code] for code, in cursor.fetchall()]


@contextmanager
def _join_order(cursor: Any, rule: Rule, ctx: RuleContext) -> Iterator[None]:
    """PostgreSQL, a rule with written_join_order over an area: its statement joins by nested loops
    (hash and merge joins off until it ends, then as they were). SEVERE_DISABILITY's 119k grade 1-2
    certificates each look their person up by id, 0.12 s CPU at 1M persons, where the planner hashed
    them and scanned every person (0.4-0.7 s CPU; the insert cannot use parallel workers). Not restored
    after an error: the transaction is then rolled back, which undoes the local settings too."""
    if not (rule.written_join_order and connection.vendor == "postgresql" and ctx.scope.household_ids is None):
        yield
        return
    cursor.execute("SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin'),"
                   " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)")
    hash_join, merge_join, _, _ = cursor.fetchone()
    yield
    cursor.execute("SELECT set_config('enable_hashjoin', %s, true), set_config('enable_mergejoin', %s, true)",
                   [hash_join, merge_join])


def _insert_rule(cursor: Any, rule: Rule, ctx: RuleContext, first_run: int | None, evidence: bool) -> int:
    with _join_order(cursor, rule, ctx):
        return _insert_rows(cursor, rule, ctx, first_run, evidence)


def _insert_rows(cursor: Any, rule: Rule, ctx: RuleContext, first_run: int | None, evidence: bool) -> int:
    sql, params = compiled(rule, ctx)
    if first_run is not None:
        in_order = " ORDER BY q.h" if connection.vendor == "postgresql" else ""  # see _in_index_order
        cursor.execute(
            f"INSERT INTO {_hit_table()} (rule_code, rule_version, parameter_year, household_id, person_id,"
            " person_key, evidence, run_id, first_seen_run_id, resolved_run_id)"
            f" SELECT %s, %s, %s, q.h, q.p, COALESCE(q.p, 0), q.e, %s, %s, NULL FROM ({sql}) q{in_order}",
            [rule.code, rule.version, int(ctx.params.year), first_run, first_run, *params],
        )
        return max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {CANDIDATES} (rule_code, rule_version, household_id, person_id, person_key, evidence)"
        f" SELECT %s, %s, q.h, q.p, COALESCE(q.p, 0), {'q.e' if evidence else EMPTY} FROM ({sql}) q",
        [rule.code, rule.version, *params],
    )
    return max(cursor.rowcount, 0)


_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}


def compiled(rule: Rule, ctx: RuleContext) -> tuple[str, tuple[Any, ...]]:
    """A rule's SQL for these parameters, day and kind of scope. Compiling an ORM query costs more than
    running it for one household, so the re-screen after each change reuses the compiled text."""
    key = (rule.code, rule.version, connection.vendor, ctx.as_of, ctx.scope.cache_key,
           *(str(getattr(ctx.params, name)) for name in ("year", *PARAMETER_FIELDS)))
    if key not in _COMPILED:
        if len(_COMPILED) > 512:
            _COMPILED.clear()
        sql, params = rule.query(ctx).query.sql_with_params()
        if connection.vendor == "sqlite":
            if rule.written_join_order:
                sql = sql.replace(" INNER JOIN ", " CROSS JOIN ")
            params = tuple(_number(value) for value in params)
        _COMPILED[key] = (sql, tuple(params))
    return _COMPILED[key]


def _number(value: Any) -> Any:
    """SQLite: a whole Decimal parameter bound as an integer. Django binds Decimals as text, and a text
    operand compared with a NUMERIC column is converted to a number again for every row (the income
    rules compare each household's figures with the line, the near-line ceiling or 0). A whole number
    converts exactly either way, so comparisons are unchanged; a fraction stays text, for SQLite to
    convert with the same routine that stored the figures it is compared with."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


# Table locks on PostgreSQL between an area's first run and household re-screens (SQLite's write lock,
# taken at BEGIN IMMEDIATE, already orders them). A first run inserts without a diff, so no re-screen may
# write hits between its check that the area has none and its commit: it holds FIRST_RUN_LOCK, which
# conflicts with RESCREEN_LOCK, taken by each re-screen before it reads the current hits. Re-screens do
# not conflict with each other, nor does either lock with readers.
FIRST_RUN_LOCK, RESCREEN_LOCK = "SHARE ROW EXCLUSIVE", "ROW EXCLUSIVE"


def hits_lock(mode: str) -> None:
    """Take `mode` on the hit table until the transaction ends (PostgreSQL, inside a transaction)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_hit_table()} IN {mode} MODE")


def current_hits_exist(ctx: RuleContext) -> bool:
    """Whether any household of an area's scope has a current hit (a first run of the area has none)."""
    assert ctx.scope.household_ids is None, "households are re-screened through the diff"
    hit = _hit_table()
    scope_sql, scope_params = ctx.scope.household_condition(f"{hit}.household_id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {hit} WHERE {hit}.resolved_run_id IS NULL AND {scope_sql} LIMIT 1",
                       scope_params)
        return cursor.fetchone() is not None


def first_hits(*, ctx: RuleContext, run_id: int, timings: dict[str, float] | None = None) -> Diff:
    """The first run of an area, whose households have no current hit: every hit found is new, so the
    rules insert straight into the hit table (what the diff would do, without first writing half a
    million candidates to a temporary table and copying them over). The caller checks current_hits_exist
    in the same transaction under FIRST_RUN_LOCK (see hits_lock); the current-hit constraint would refuse
    a duplicate anyway."""
    with _current_indexes_rebuilt(ctx, timings), candidates(ctx, timings=timings, first_run=run_id) as found:
        total = sum(found.counts.values())
    if connection.vendor == "postgresql" and total > 10_000:
        with connection.cursor() as cursor:
            _analyze_hits(cursor)
    return Diff(new=total, resolved=0, changed=0, counts=dict(found.counts))


# The hit indexes that hold current hits only (partial on resolved_run IS NULL).
CURRENT_INDEXES = ("screening_hit_current", "screening_hit_rule_household")
PRIMARY_KEY = "screening_hit_pkey"


@contextmanager
def _current_indexes_rebuilt(ctx: RuleContext, timings: dict[str, float] | None) -> Iterator[None]:
    """A first run over every household of the database (so no current hit at all) drops the two
    current-hit indexes (on PostgreSQL also the primary key, see _dropped_postgresql), inserts, and builds
    them again: one sort per index instead of an index insert per hit. Both are partial on current hits,
    so the build sorts only the new hits (it does scan the table's resolved history once each).
    - PostgreSQL: keeping them up to date row by row was most of a first run (each of ~530k hits two more
      B-tree inserts, two more WAL records and dirty index pages evicted through 128 MB of shared
      buffers: 5-7 s of an 8 s insert, where the insert without them took 1 s and building them
      afterwards 1.2 s). The DROP takes the table's exclusive lock until the run commits: nothing can
      read current hits meanwhile, but there are none yet, and a re-screen of one household waits a few
      seconds.
    - SQLite: each rule's hits come in household order, so every rule's inserts went all over the
      (household, rule) index; building both after the insert takes a fraction of that (the run holds
      the write lock anyway, and readers keep seeing the indexes of the last commit).
    The definitions are read back from the catalogue, so the rebuilt indexes are the migrations' own; all
    of it is one transaction (a failed run, or a duplicate the unique index refuses, restores them)."""
    if not (ctx.scope.everything and connection.in_atomic_block):
        yield
        return
    with connection.cursor() as cursor:
        definitions = (_dropped_postgresql if connection.vendor == "postgresql" else _dropped_sqlite)(cursor)
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition)
    if timings is not None:
        timings["hit indexes"] = time.perf_counter() - started


def _dropped_postgresql(cursor: Any) -> list[str]:
    """Drop the current-hit indexes and, while the table holds little history, its primary key; return
    the statements that build them again."""
    # The primary key holds the resolved history too: rebuilt only while it holds (by the planner's
    # estimate) no more entries than there are households, i.e. little besides what this run adds
    # (it cost each insert another B-tree entry and WAL record, 0.4-0.5 s of 530k hits, where
    # building it afterwards sorts the new ids in 0.1 s).
    cursor.execute("SELECT i.relname FROM pg_class i, pg_class h WHERE i.oid = to_regclass(%s)"
                   " AND h.oid = to_regclass(%s) AND i.reltuples <= h.reltuples",
                   [PRIMARY_KEY, Household._meta.db_table])
    small = [name for name, in cursor.fetchall()]
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                   " AND tablename = %s AND indexname = ANY(%s) ORDER BY indexname",
                   [Hit._meta.db_table, list(CURRENT_INDEXES)])
    indexes = cursor.fetchall()
    if indexes:
        cursor.execute(f"DROP INDEX {', '.join(connection.ops.quote_name(name) for name, _ in indexes)}")
    definitions = [definition for _, definition in indexes]
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass"
                   " AND contype = 'p' AND conname = ANY(%s)", [Hit._meta.db_table, small])
    for name, definition in cursor.fetchall():
        constraint = connection.ops.quote_name(name)
        cursor.execute(f"ALTER TABLE {_hit_table()} DROP CONSTRAINT {constraint}")
        definitions.append(f"ALTER TABLE {_hit_table()} ADD CONSTRAINT {constraint} {definition}")
    return definitions


def _dropped_sqlite(cursor: Any) -> list[str]:
    """Drop the current-hit indexes; return the statements that build them again (SQLite keeps each
    index's CREATE statement as written)."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                   f" AND name IN ({', '.join(['%s'] * len(CURRENT_INDEXES))}) ORDER BY name",
                   [Hit._meta.db_table, *CURRENT_INDEXES])
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in indexes]


def _analyze_hits(cursor: Any) -> None:
    """After a run that rewrote much of the table (the first one) its statistics are refreshed at once:
    planned on the old ones until autovacuum comes by, each single household's re-screen scanned every
    hit. Only the columns queries filter on (the JSON evidence was most of the sampling), each with a
    statistics target of 20 (migration 0010): 6,000 sampled rows, where 30,000 read nearly every page."""
    cursor.execute(f"ANALYZE {_hit_table()} (household_id, rule_code, person_key, person_id, resolved_run_id,"
                   " first_seen_run_id)")


@dataclass
class Plan:
    """What bringing the stored hits in line with the candidates would do, found without writing."""

    current: int  # current hits in scope
    new: int
    changed: int
    stale: int  # current hits no candidate matches: to be resolved
    stale_rules: tuple[str, ...] = ()  # the rules those hits are on

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.stale)


def diff_plan(*, ctx: RuleContext, found: Candidates) -> Plan:
    """Match the candidates with the current hits of the households in scope, writing nothing.

    1. one pass over the candidates, each looked up in the current hits by its key, keeps aside the few
       that are new or whose evidence, version or parameter year differ (empty when nothing changed);
    2. every candidate key is distinct, so the current hits of a rule that no candidate matches number
       (its current hits in scope) - (its candidates - its new ones), without looking for them; the
       resolve pass then reads only the rules with such hits.
    """
    hit = _hit_table()
    scope_sql, scope_params = ctx.scope.household_condition(f"{hit}.household_id")
    total = sum(found.counts.values())
    with connection.cursor() as cursor:
        # Read from the current-rule index alone.
        cursor.execute(f"SELECT rule_code, COUNT(*) FROM {hit} WHERE {hit}.resolved_run_id IS NULL AND {scope_sql}"
                       " GROUP BY rule_code", scope_params)
        current_by_rule = dict(cursor.fetchall())
        current = sum(current_by_rule.values())
        if not current:
            return Plan(current=0, new=total, changed=0, stale=0)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CHANGES} AS SELECT c.id AS candidate, h.id AS hit"
            f" FROM {CANDIDATES} c LEFT JOIN {hit} h ON h.resolved_run_id IS NULL"
            " AND h.household_id = c.household_id AND h.rule_code = c.rule_code AND h.person_key = c.person_key"
            f" WHERE h.id IS NULL OR {_as_text('h.evidence')} <> {_as_text('c.evidence')}"
            " OR h.rule_version <> c.rule_version OR h.parameter_year <> %s",
            [int(ctx.params.year)],
        )
        # Always: it holds only the new and changed candidates, so it is small and cheap to sample, and
        # unanalysed PostgreSQL would size it from ten pages and update the few changed hits by scanning
        # every hit instead of looking each up by id.
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {CHANGES}")
        cursor.execute(f"SELECT c.rule_code, COUNT(*) - COUNT(x.hit), COUNT(x.hit) FROM {CHANGES} x"
                       f" JOIN {CANDIDATES} c ON c.id = x.candidate GROUP BY c.rule_code")
        new_by_rule, changed_by_rule = {}, {}
        for code, new, changed in cursor.fetchall():
            new_by_rule[code], changed_by_rule[code] = new, changed
    stale_by_rule = {code: n - (found.counts.get(code, 0) - new_by_rule.get(code, 0))
                     for code, n in current_by_rule.items()}
    return Plan(current=current, new=sum(new_by_rule.values()), changed=sum(changed_by_rule.values()),
                stale=sum(stale_by_rule.values()),
                stale_rules=tuple(sorted(code for code, n in stale_by_rule.items() if n)))


def _as_text(column: str) -> str:
    """Evidence compared as text: PostgreSQL's json has no equality (the rules write the same text for
    the same values, see rules.Evidence); SQLite stores text."""
    return f"{column}::text" if connection.vendor == "postgresql" else column


def _code(code: str) -> str:
    """A rule code fit to be written into SQL as a literal (stored hits may carry codes of retired rules)."""
    if not re.fullmatch(r"[A-Z0-9_]{1,32}", code):
        raise ValueError(f"unexpected rule code {code!r}")
    return code


def apply_candidates(*, ctx: RuleContext, run_id: int, found: Candidates, plan: Plan) -> Diff:
    """Bring the stored hits of the households in scope in line with the candidates, as planned:
    resolve the stale hits (one UPDATE), update the changed ones (one UPDATE ... FROM) and insert the new
    ones (one INSERT ... SELECT). Each statement runs only when the plan says it has rows to touch."""
    hit = _hit_table()
    scope_sql, scope_params = ctx.scope.household_condition(f"{hit}.household_id")
    parameter_year = int(ctx.params.year)
    resolved = changed = 0
    with connection.cursor() as cursor:
        if plan.stale:
            # Only the rules that lost hits are read, and only their candidates are indexed for the look-up
            # (a partial index: a changed ~1 % of households leaves most rules' hits as they were).
            rules = ", ".join(f"'{_code(code)}'" for code in plan.stale_rules)  # literals: the index's WHERE
            # The index's condition is equalities joined by OR, repeated word for word in the look-up so
            # the planner sees the index serves it: as an IN list, SQLite built a temporary B-tree of the
            # codes for every candidate row it indexed (at 1M persons, 0.63 s to index the 290k
            # candidates of five rules, where the OR form takes a fifth of that).
            stale = "(" + " OR ".join(f"rule_code = '{_code(code)}'" for code in plan.stale_rules) + ")"
            cursor.execute(f"CREATE INDEX {CANDIDATES}_stale ON {CANDIDATES} (household_id, rule_code, person_key)"
                           f" WHERE {stale}")
            cursor.execute(
                f"UPDATE {hit} SET resolved_run_id = %s WHERE {hit}.resolved_run_id IS NULL AND {scope_sql}"
                f" AND {hit}.rule_code IN ({rules}) AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} c"
                f" WHERE {stale} AND {KEY_MATCH.format(t=hit)})",
                [run_id, *scope_params],
            )
            resolved = cursor.rowcount
        if plan.changed:
            cursor.execute(
                f"UPDATE {hit} SET run_id = %s, parameter_year = %s, evidence = c.evidence,"
                f" rule_version = c.rule_version FROM {CHANGES} x JOIN {CANDIDATES} c ON c.id = x.candidate"
                f" WHERE {hit}.id = x.hit",
                [run_id, parameter_year],
            )
            changed = cursor.rowcount
        if plan.new:
            source = f"{CHANGES} x JOIN {CANDIDATES} c ON c.id = x.candidate WHERE x.hit IS NULL" if (
                plan.current) else f"{CANDIDATES} c"
            cursor.execute(
                f"INSERT INTO {hit} (rule_code, rule_version, parameter_year, household_id, person_id, person_key,"
                f" evidence, run_id, first_seen_run_id, resolved_run_id)"
                f" SELECT c.rule_code, c.rule_version, %s, c.household_id, c.person_id, c.person_key, c.evidence,"
                f" %s, %s, NULL FROM {source}",
                [parameter_year, run_id, run_id],
            )
        if connection.vendor == "postgresql" and plan.new + plan.stale > max(10_000, plan.current // 10):
            _analyze_hits(cursor)
    return Diff(new=plan.new, resolved=resolved, changed=changed, counts=dict(found.counts))
