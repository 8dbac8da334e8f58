"""Build the CoverageFact table: each person's situation at a reference date.

Population: persons of the county with a disability certificate or with a record counting for a rule
(the latter so that a subsidy paid to someone without a certificate shows up as leakage).

1. per rule, the records that count at the reference date are aggregated per person into a small
   temporary table keyed by person (latest record, running count, last start): one range scan of the
   index (kind, person, start, end) per kind, in person order, so no sort and no per-row test of the
   other kinds; the exclusion kinds (特困, 孤儿, 工伤, 择高) go into one more such table;
2. the facts of certified persons: disability -> person -> household, with one lookup per rule table;
3. the facts of persons without a certificate found in a rule table (the leakage candidates).
The record tables are temporary (per connection). The fact table of a county is kept between runs
(`facts_keep`): valid for one reference date and training period (`CoverageFactState`), it is refreshed per
household: households a write marked stale (the registry's change listener, the benefit services and
importer: `households_stale`), households with a record starting or ending between the last run's date
and this one, persons whose death, moving out or certificate date falls in between, and households whose
monitoring status changed. A new year, an earlier date or another training period rebuild the county's
facts (the other parameters are read by the rule scans, not kept in the facts).
The person page builds the same facts for one person in a temporary table (`built_facts`).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from django.db import connection

from shouwang.benefits.choices import BenefitKind as K
from shouwang.benefits.models import (
    BenefitRecord,
    CoverageFact,
    CoverageFactState,
    CoverageStaleHousehold,
    FactColumns,
    PersonFact,
)
from shouwang.benefits.rules import ACTIVE, EVER, PERIOD, RULES, YEAR, Context
from shouwang.core.sql import date_as_stored, date_type
from shouwang.registry.models import Disability, Household, Person

FACT_TABLE = CoverageFact._meta.db_table
ONE_TABLE = PersonFact._meta.db_table
STALE_TABLE = CoverageStaleHousehold._meta.db_table
SCOPE = "benefits_coverage_scope"  # households whose facts a run refreshes
SCOPE_PERSONS = "benefits_coverage_scope_person"  # their members
# Past this many households to refresh, the county's facts are rebuilt instead (one pass beats lookups).
REFRESH_LIMIT = 20_000
EXCLUSIONS = {
    "x_tekun": (K.TEKUN,),
    "x_orphan": (K.ORPHAN_SUPPORT,),
    "x_work_injury": (K.WORK_INJURY_CARE,),
    "x_choose_higher": (K.ELDERLY_CARE, K.RETIREE_CARE),
}


class Sql:
    """A fragment of SQL with its parameters, kept together so fragments can be joined safely."""

    def __init__(self, text: str = "", params: list[Any] | None = None) -> None:
        self.text, self.params = text, list(params or [])

    def __add__(self, other: Sql | str) -> Sql:
        other = other if isinstance(other, Sql) else Sql(other)
        return Sql(self.text + other.text, self.params + other.params)


def _join(parts: list[Sql], sep: str) -> Sql:
    out = Sql()
    for i, part in enumerate(parts):
        out = out + (sep if i else "") + part
    return out


def window_extra(rule_window: str, ctx: Context) -> Sql:
    """What a record must satisfy to count, beyond `_running`: ACTIVE runs on the day; YEAR and EVER need
    nothing more; PERIOD started inside the period."""
    if rule_window == ACTIVE:
        return _active(ctx)
    if rule_window == PERIOD:
        p = ctx.params
        start = date_as_stored("start_on")
        return Sql(f" AND {start} >= %s AND {start} <= %s", [p.training_period_start,
                                                             min(p.training_period_end, ctx.day)])
    assert rule_window in (YEAR, EVER)
    return Sql()


def _active(ctx: Context) -> Sql:
    end = date_as_stored("end_on")
    return Sql(f" AND ({end} IS NULL OR {end} >= %s)", [ctx.day])


def _running(rule_window: str, ctx: Context) -> Sql:
    """Started by the reference day and, unless one-off, running at some time in its year: history of
    running benefits ended before this year cannot count for any rule (it piles up year by year)."""
    started = Sql(f" AND {date_as_stored('start_on')} <= %s", [ctx.day])
    if rule_window in (EVER, PERIOD):
        return started
    # the end first: it is what rules out the history
    end = date_as_stored("end_on")
    return Sql(f" AND ({end} IS NULL OR {end} >= %s)", [ctx.year_start]) + started


REC_TABLE = "benefits_coverage_rec"
# Rules whose records reach nearly every certified person get a record table of their own. A kind's rows
# are upserted into the person's row of its table, and SQLite rewrites the whole row for each (every
# column read and written again): 家庭医生签约 (the rule for every certified person) would rewrite the wide
# shared row of nearly everyone, while in a narrow table of its own its rows are plain appends in person
# order. The fact INSERT then takes one more primary-key lookup per person.
OWN_TABLE = {"FAMILY_DOCTOR": "benefits_coverage_rec_fd"}
KIND_PERSON_INDEX = "benefit_kind_person"  # BenefitRecord.Meta.indexes
HOUSEHOLD_TABLE = "benefits_coverage_household"  # households monitored or on 特困 as a household


def key_column(column: str = "person_id") -> str:
    # the rowid itself on SQLite: lookups by person are rowid seeks, rows arrive in person order
    return f"{column} integer PRIMARY KEY" if connection.vendor == "sqlite" else f"{column} bigint PRIMARY KEY"


class RecColumn(NamedTuple):
    """A column of a record table: `how` "latest" keeps the greatest `value` of the person's records (of
    those meeting `when`, if given), "sum" counts the records."""

    name: str
    value: str
    how: str
    when: str = ""

    def aggregate(self) -> str:
        if self.how == "sum":
            return "COUNT(*)"
        return f"MAX({self.value})" + (f" FILTER (WHERE {self.when})" if self.when else "")

    def per_record(self) -> str:
        """The value of one record; the merge (`_merge`) combines a person's records as the aggregate would."""
        if self.how == "sum":
            return "1"
        return f"CASE WHEN {self.when} THEN {self.value} END" if self.when else self.value


def _rec_parts() -> list[tuple[str, tuple[str, ...], list[RecColumn], str]]:
    """(table, kinds, columns, window) for every part of the record tables: one per rule, one per
    exclusion. A column's `how` also says how a value already in the row (another kind or part) is merged."""
    latest, total = "latest", "sum"
    parts = []
    for rule in RULES.values():
        columns = [RecColumn(rule.receiving_field, "id", latest)]
        if rule.count_field:
            columns.append(RecColumn(rule.count_field, "1", total))
        if rule.window in (EVER, PERIOD):
            columns.append(RecColumn(f"last_{rule.code.lower()}", "start_on", latest))
        if rule.running_field:
            end = date_as_stored("end_on")
            columns.append(RecColumn(rule.running_field, "1", latest, f"{end} IS NULL OR {end} >= %s"))
        parts.append((OWN_TABLE.get(rule.code, REC_TABLE), tuple(rule.kinds), columns, rule.window))
    for name, kinds in EXCLUSIONS.items():
        parts.append((REC_TABLE, tuple(kinds), [RecColumn(name, "1", total)], ACTIVE))
    return parts


def _rec_tables() -> dict[str, str]:
    """Record table -> its alias in the fact INSERTs (`r` the shared table, `r1`, ... the own tables)."""
    return {REC_TABLE: "r"} | {table: f"r{i}" for i, table in enumerate(OWN_TABLE.values(), start=1)}


def _rec_columns() -> dict[str, str]:
    """Record column -> `alias.column` in the fact INSERTs."""
    aliases = _rec_tables()
    return {c.name: f"{aliases[table]}.{c.name}" for table, _, columns, _ in _rec_parts() for c in columns}


def _merge(table: str, column: str, how: str) -> str:
    old, new = f"{table}.{column}", f"excluded.{column}"
    if how == "sum":
        return f"{column} = COALESCE({old}, 0) + {new}"
    return f"{column} = CASE WHEN {old} IS NULL OR {new} > {old} THEN {new} ELSE {old} END"


def _household_statements(ctx: Context) -> list[Sql]:
    """The household table: households under monitoring now and households with a running 特困 record of
    their own (not a member's), each column 1 or NULL. The fact INSERTs read both with one primary-key
    lookup per person instead of a search of two lists."""
    return [
        Sql(f"CREATE TEMPORARY TABLE {HOUSEHOLD_TABLE} ({key_column('household_id')}, monitored integer,"
            " tekun integer)"),
        Sql(f"INSERT INTO {HOUSEHOLD_TABLE} (household_id, monitored) SELECT DISTINCT m.household_id, 1 FROM (")  # noqa: S608
        + _monitored(ctx) + ") m",
        Sql(f"INSERT INTO {HOUSEHOLD_TABLE} (household_id, tekun) SELECT DISTINCT t.household_id, 1 FROM (")  # noqa: S608
        + _household_tekun(ctx) + Sql(") t WHERE true ON CONFLICT (household_id) DO UPDATE SET tekun = 1"),
    ]


def _rec_statements(ctx: Context, persons: Sql) -> list[Sql]:
    """The record tables: per person, for each rule the latest counting record (and the running count or
    last start), the exclusion counts, and the rules' bits of `received` (`bits`). Filled by one
    INSERT ... SELECT per kind from the covering index (kind, person, start, end), read in person order (no
    sort, no test of other kinds); a person already in the table gets the columns of the kind added
    (upsert). `persons` limits the persons read. Then the household table (`_household_statements`)."""
    from shouwang.benefits.evaluation import received_bits

    bits = {RULES[code].receiving_field: bit for code, bit in received_bits().items()}
    scope = Sql(" AND person_id IS NOT NULL") + persons
    table = BenefitRecord._meta.db_table
    parts = _rec_parts()
    out = []
    for rec_table in _rec_tables():
        names = [f"{c.name} {date_type() if c.value == 'start_on' else 'bigint'}"
                 for t, _, columns, _ in parts if t == rec_table for c in columns]
        out.append(Sql(f"CREATE TEMPORARY TABLE {rec_table} ({key_column()}, {', '.join(names)}, bits integer)"))
    # Without statistics SQLite would take (kind, start_on) for a start range (training period) and sort.
    indexed = f" INDEXED BY {KIND_PERSON_INDEX}" if connection.vendor == "sqlite" else ""
    # SQLite: one upsert per record, the merges doing the aggregates' work (a person has one counting
    # record of a kind but for a few); an aggregate costs an allocation and a finalisation per person.
    # PostgreSQL refuses to update a row twice in one statement: GROUP BY first.
    per_record = connection.vendor == "sqlite"
    for rec_table, kinds, columns, rule_window in parts:
        # a rule's part sets its bit (the first column is the rule's receiving field); an exclusion's none
        bit = bits.get(columns[0].name, 0)
        merges = ", ".join(_merge(rec_table, c.name, c.how) for c in columns)
        merges += f", bits = COALESCE({rec_table}.bits, 0) | excluded.bits"
        extra = window_extra(rule_window, ctx)
        values = ", ".join(c.per_record() if per_record else c.aggregate() for c in columns)
        grouped = "" if per_record else " GROUP BY person_id"
        for kind in kinds:
            out.append(Sql(f"INSERT INTO {rec_table} (person_id, {', '.join(c.name for c in columns)}, bits)"  # noqa: S608
                           f" SELECT person_id, {values}, {bit} FROM {table}{indexed} WHERE kind = %s",
                           [ctx.day] * values.count("%s") + [str(kind)])
                       + _running(rule_window, ctx) + extra + scope
                       + f"{grouped} ON CONFLICT (person_id) DO UPDATE SET {merges}")
    return out + _household_statements(ctx)


def _ids(column: str, ids: list[int]) -> Sql:
    return Sql(f" AND {column} IN (" + ", ".join(["%s"] * len(ids)) + ")", list(ids)) if ids else Sql(" AND 1 = 0")


def _monitored(ctx: Context) -> Sql:
    """Households under monitoring now (the monitoring app's definition, `MonitoringCase.monitored()`);
    the fact rows are the county's already, so the county's households need not be walked again."""
    from shouwang.monitoring.models import MonitoringCase

    sql, params = MonitoringCase.objects.monitored().order_by().values("household_id").query.sql_with_params()
    return Sql(sql, list(params))


def _household_tekun(ctx: Context) -> Sql:
    sql, params = (BenefitRecord.objects.active_on(ctx.day).filter(kind=K.TEKUN, person__isnull=True)
                   .values("household_id").query.sql_with_params())
    return Sql(sql, list(params))


FACT_COLUMNS = [f.column for f in CoverageFact._meta.concrete_fields]


def _values(ctx: Context) -> Sql:
    rules = list(RULES.values())
    r = _rec_columns()
    # the record table leaves a column NULL unless a record of that part exists: no COALESCE per row
    bool_ = "({0} IS NOT NULL)"
    # the stop rules (see rules.stop_rules): in_force must equal all of them holding
    stop = Sql("CASE WHEN p.living_status <> 'alive' AND (p.status_date IS NULL OR p.status_date < %s)"
               " THEN p.living_status ELSE '' END", [ctx.month_start])
    cert_stop = Sql("CASE WHEN d.id IS NOT NULL AND (d.valid_until < %s OR (d.status <> 'valid' AND "
                    "(d.valid_until IS NULL OR d.valid_until > %s))) THEN (CASE WHEN d.status = 'cancelled' "
                    "THEN 'cancelled' ELSE 'expired' END) ELSE '' END", [ctx.month_start, ctx.day])
    values: list[Sql | str] = [
        "p.id", "p.household_id", "h.county_id", "h.township_id", "h.village_id", "p.birth_date",
        "p.status_date", "d.valid_until",
        stop,
        "(d.id IS NOT NULL)",
        cert_stop,
        # in_force = stop NOT IN ('deceased', 'moved_out') AND certified AND cert_stop NOT IN ('cancelled',
        # 'expired'), written as one CASE that stops at the first failing test
        Sql("CASE WHEN d.id IS NULL THEN FALSE WHEN p.living_status IN ('deceased', 'moved_out') AND"
            " (p.status_date IS NULL OR p.status_date < %s) THEN FALSE WHEN d.valid_until < %s OR"
            " (d.status <> 'valid' AND (d.valid_until IS NULL OR d.valid_until > %s)) THEN FALSE ELSE TRUE END",
            [ctx.month_start, ctx.month_start, ctx.day]),
        "d.category", "d.grade", "p.schooling", "p.needs_rehabilitation", "p.needs_accessibility",
        "p.needs_custodial_care", "p.needs_long_term_care",
        # a CASE stops at the first test that fails (an AND as a value reads all three columns)
        "CASE WHEN p.training_need AND p.training_willing AND p.training_able THEN TRUE ELSE FALSE END",
        "p.family_doctor",
        "h.assistance_status", "h.poverty_status",
        "(hh.monitored IS NOT NULL)",
        f"CASE WHEN h.assistance_status = 'tekun' OR {r['x_tekun']} IS NOT NULL OR hh.tekun IS NOT NULL"
        " THEN TRUE ELSE FALSE END",
        bool_.format(r["x_orphan"]), bool_.format(r["x_work_injury"]), bool_.format(r["x_choose_higher"]),
        # each record table holds the bits of its rules (set by the rec statements; bits of distinct tables
        # are distinct)
        " + ".join(f"COALESCE({alias}.bits, 0)" for alias in _rec_tables().values()),
        *[r[rule.receiving_field] for rule in rules],
        *[f"COALESCE({r[rule.count_field]}, 0)" for rule in rules if rule.count_field],
        # CASE tests stop at the first that fails (an AND of values computes both sides): the status only
        # for a person with such a record (most have none: a test of a NULL, not a text comparison), the
        # date comparison only for the dead and moved out
        *[f"CASE WHEN {r[f'last_{rule.code.lower()}']} IS NOT NULL AND p.living_status <> 'alive' AND"
          f" {date_as_stored(r[f'last_{rule.code.lower()}'])} > {date_as_stored('p.status_date')} THEN TRUE ELSE FALSE END"
          for rule in rules if rule.window in (EVER, PERIOD)],
        *[bool_.format(r[rule.running_field]) for rule in rules if rule.running_field],
    ]
    assert len(values) == len(FACT_COLUMNS), (len(values), len(FACT_COLUMNS))
    running = [rule.running_field for rule in rules if rule.running_field]
    assert FACT_COLUMNS[-len(running):] == running, "CoverageFact's on_* fields follow the rules' order"
    return _join([v if isinstance(v, Sql) else Sql(v) for v in values], ", ")


def _inserts(ctx: Context, table: str, drive: str, scope: Sql, *, whole: bool = False) -> list[Sql]:
    """The facts: certified persons, then persons without a certificate in a record table with something
    a rule counts (the leakage candidates; one INSERT driven by each record table, persons already in the
    facts skipped). Certified persons are driven by the disability table (`drive` 'county') or by the
    members of the households refreshed ('scope'); `scope` limits them further. CROSS JOIN fixes SQLite's
    join order (lookups by primary key); PostgreSQL plans freely.

    `whole`: the record tables hold every person's records (a rebuild). Their persons without a
    certificate are then found by walking a record table and the disability table's person index side by
    side (EXCEPT in one ORDER: SQLite merges the two ordered lists), where a lookup per record-table row
    cost a search of the facts. For a few households or persons, the lookups read less than the walk."""
    insert = Sql(f"INSERT INTO {table} ({', '.join(FACT_COLUMNS)}) SELECT ") + _values(ctx)
    county = Sql(" AND h.county_id = %s", [ctx.county.code])
    tables = _rec_tables()

    def joined(*, but: str = "") -> str:
        return ("".join(f" LEFT JOIN {t} {a} ON {a}.person_id = p.id" for t, a in tables.items() if t != but)
                + f" LEFT JOIN {HOUSEHOLD_TABLE} hh ON hh.household_id = h.id")

    person, household, disability = (m._meta.db_table for m in (Person, Household, Disability))
    if drive == "scope":
        source = (f" FROM {SCOPE_PERSONS} s CROSS JOIN {person} p CROSS JOIN {disability} d"
                  f" CROSS JOIN {household} h{joined()} WHERE p.id = s.person_id AND d.person_id = p.id")
    else:
        source = f" FROM {disability} d CROSS JOIN {person} p CROSS JOIN {household} h{joined()} WHERE p.id = d.person_id"
    out = [insert + source + " AND h.id = p.household_id" + county + scope]
    # SQLite drops the ORDER BY of a subquery in FROM that has no LIMIT, and without it makes the EXCEPT
    # through a temporary B-tree of one side
    ordered = " ORDER BY 1" + (" LIMIT -1" if connection.vendor == "sqlite" else "")
    for rec_table, alias in tables.items():
        # `bits` has the bit of each rule with a record in the row (an exclusion sets none)
        if whole:
            source = (f" FROM (SELECT person_id FROM {rec_table} WHERE bits <> 0 EXCEPT SELECT person_id"  # noqa: S608
                      f" FROM {disability}{ordered}) u CROSS JOIN {rec_table} {alias}")
            receiving = f"{alias}.person_id = u.person_id"
        else:
            source, receiving = f" FROM {rec_table} {alias}", f"{alias}.bits <> 0"
        out.append(insert + source + f" CROSS JOIN {person} p CROSS JOIN {household} h"  # noqa: S608
                   + f" LEFT JOIN {disability} d ON d.person_id = p.id" + joined(but=rec_table)
                   + f" WHERE {receiving} AND NOT EXISTS (SELECT 1 FROM {table} f"  # noqa: S608
                   + f" WHERE f.person_id = {alias}.person_id) AND p.id = {alias}.person_id"
                   + " AND h.id = p.household_id AND d.id IS NULL" + county)
    return out


def _table_sql(model: type[FactColumns], *, temporary: bool) -> str:
    editor = connection.SchemaEditorClass(connection, collect_sql=True, atomic=False)
    sql, params = editor.table_sql(model)
    assert sql.startswith("CREATE TABLE") and not params
    if connection.vendor == "sqlite":  # the rowid itself, not a second index beside it
        sql = sql.replace('"person_id" bigint NOT NULL PRIMARY KEY', '"person_id" integer PRIMARY KEY')
        sql = re.sub(r'(" )date\b', r"\1" + date_type(), sql)
    # Every value is computed by the INSERT ... SELECT below; a NOT NULL check per column and row is waste.
    sql = sql.replace(" NOT NULL", "")
    return ("CREATE TEMPORARY TABLE" if temporary else "CREATE TABLE") + sql[len("CREATE TABLE"):]


def _temporary_tables() -> list[str]:
    return [ONE_TABLE, SCOPE, SCOPE_PERSONS, HOUSEHOLD_TABLE, *_rec_tables()]


def _drop() -> None:
    with connection.cursor() as cursor:
        for table in _temporary_tables():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _execute(statements: list[Sql]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.text, statement.params)


@contextmanager
def built_facts(ctx: Context, person_ids: list[int]) -> Iterator[None]:
    """Fill the temporary table of `PersonFact` with the facts of `person_ids` now (the person page) for
    the duration of the block; the temporary tables are dropped when the block ends."""
    _drop()
    try:
        _execute([Sql(_table_sql(PersonFact, temporary=True)), *_rec_statements(ctx, _ids("person_id", person_ids)),
                  *_inserts(ctx, ONE_TABLE, "county", _ids("d.person_id", person_ids))])
        yield
    finally:
        _drop()


# --- the kept facts ------------------------------------------------------------------------------------


def households_stale(household_ids: Iterable[int]) -> None:
    """HOUSEHOLD_CHANGE_LISTENERS entry, also called by every write of benefit records: the households'
    kept facts are refreshed by the next run of their county. Inside the writer's transaction."""
    ids = sorted(set(household_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {STALE_TABLE} (household_id) VALUES (%s)"  # noqa: S608
                           " ON CONFLICT (household_id) DO NOTHING", [(i,) for i in ids])


def facts_invalidate() -> None:
    """Writes that bypass the services in bulk (demo data, bench generation): every county's facts are
    rebuilt by its next run."""
    CoverageFactState.objects.all().delete()


def _same_definition(cursor: Any) -> bool:
    """The kept table's declared column types are those the model gives now (a change of a type, and so on
    SQLite of a column's affinity, recreates the table). SQLite keeps the text that created the table;
    PostgreSQL's types are compared with those of a scratch table made from the same text."""
    expected = _table_sql(CoverageFact, temporary=False)
    if connection.vendor == "sqlite":
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [FACT_TABLE])
        row = cursor.fetchone()
        return row is not None and row[0] == expected
    scratch = f"{FACT_TABLE}_expected"
    cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
    cursor.execute("CREATE TEMPORARY TABLE" + expected[len("CREATE TABLE"):].replace(f'"{FACT_TABLE}"', scratch, 1))
    types = ("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = %s::regclass"
             " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")
    cursor.execute(types, [scratch])
    wanted = cursor.fetchall()
    cursor.execute(types, [FACT_TABLE])
    kept = cursor.fetchall()
    cursor.execute(f"DROP TABLE {scratch}")
    return kept == wanted


def _kept_as_made_now(cursor: Any) -> bool | None:
    """Whether the kept table has the model's columns and types and the INDEXES, and the kept counts table
    has COUNT_COLUMNS and its key (None: no fact table). On SQLite the texts that made the tables and the
    indexes are compared (Django's introspection parses them again with sqlparse, a tenth of a second a
    run)."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (%s, %s)", [FACT_TABLE, COUNT_TABLE])
        rows = cursor.fetchall()
        if not any(kind == "table" and name == FACT_TABLE for kind, name, _ in rows):
            return None
        made = {name: sql for _, name, sql in rows}
        return made == {FACT_TABLE: _table_sql(CoverageFact, temporary=False), COUNT_TABLE: _count_sql()} | {
            name: statement.text for name, statement in zip(INDEXES, _index_statements(), strict=True)}
    tables = connection.introspection.table_names(cursor)
    if FACT_TABLE not in tables:
        return None
    if COUNT_TABLE not in tables or [c.name for c in connection.introspection.get_table_description(
            cursor, COUNT_TABLE)] != COUNT_COLUMNS or not any(
            c["primary_key"] and c["columns"] == COUNT_COLUMNS[:2]
            for c in connection.introspection.get_constraints(cursor, COUNT_TABLE).values()):
        return False  # the counts' upserts need their key (pattern, county)
    columns = [c.name for c in connection.introspection.get_table_description(cursor, FACT_TABLE)]
    indexes = {name: ", ".join(c["columns"]) for name, c in
               connection.introspection.get_constraints(cursor, FACT_TABLE).items() if c["index"]
               and not c["primary_key"]}
    return columns == FACT_COLUMNS and indexes == INDEXES and _same_definition(cursor)


def _ensure_table() -> bool:
    """The kept fact table exists with the model's columns and INDEXES, and the kept counts beside it
    (created, or both recreated after a change of either: derived data, never migrated). False when they
    had to be (re)created."""
    with connection.cursor() as cursor:
        kept = _kept_as_made_now(cursor)
        if kept:
            return True
        if kept is not None:
            cursor.execute(f"DROP TABLE {FACT_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {COUNT_TABLE}")
        cursor.execute(_table_sql(CoverageFact, temporary=False))
        for statement in _index_statements():
            cursor.execute(statement.text)
        cursor.execute(_count_sql())
    CoverageFactState.objects.all().delete()
    return False


# The refresh deletes by household. No index leads with the county: the rule scans read the whole table,
# and SQLite would take such an index for their county test.
INDEXES = {f"{FACT_TABLE}_household": "household_id"}

# The tallies' receiving persons: the fact rows counted per county and pattern (village and `received`
# bits), kept beside the facts and moved with them (rows counted in as they are inserted, out before they
# are deleted). A rebuild adds each row into its pattern's count (on SQLite one upsert per row into a small
# table: 40k patterns at 1M persons), where an index of the facts in (village, received) order had to be
# built by a sort of every row, comparing the rows of one village by their other columns; at 1M persons the
# rebuild's CPU went down by about 0.4 s. The pattern is one integer, the village's statistical code (12
# digits) shifted past the bits: an integer compares in a few instructions.
COUNT_TABLE = "benefits_coverage_fact_count"
COUNT_COLUMNS = ["pattern", "county_id", "n"]
PATTERN_SPAN = 1 << len(RULES)  # above every `received` bit
COUNT_SQL = (f"CREATE TABLE {COUNT_TABLE} (pattern bigint NOT NULL, county_id varchar(12) NOT NULL,"
             " n integer NOT NULL, PRIMARY KEY (pattern, county_id))")


def _count_sql() -> str:
    # SQLite: the key is the table (one B-tree to search and update per row, not a table and its index)
    return COUNT_SQL + (" WITHOUT ROWID" if connection.vendor == "sqlite" else "")


def _counts_move(where: Sql, sign: int) -> Sql:
    """The fact rows `where` selects counted into (`sign` 1: just inserted) or out of (-1: about to be
    deleted) the kept counts. PostgreSQL refuses to update a row twice in one statement: GROUP BY first."""
    pattern = f"CAST(village_id AS bigint) * {PATTERN_SPAN} + received"
    per_row = connection.vendor == "sqlite"
    n, grouped = (str(sign), "") if per_row else (f"{sign} * COUNT(*)", f" GROUP BY {pattern}, county_id")
    return (Sql(f"INSERT INTO {COUNT_TABLE} (pattern, county_id, n) SELECT {pattern}, county_id, {n}"  # noqa: S608
                f" FROM {FACT_TABLE} WHERE ") + where
            + f"{grouped} ON CONFLICT (pattern, county_id) DO UPDATE SET n = {COUNT_TABLE}.n + excluded.n")


def _index_statements() -> list[Sql]:
    return [Sql(f"CREATE INDEX {name} ON {FACT_TABLE} ({columns})") for name, columns in INDEXES.items()]


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _scope_statements(ctx: Context, since: datetime.date) -> list[Sql]:
    """The households of the county whose facts may differ from those kept (valid at `since`): marked
    stale by a write; with a record of any kind starting after `since` (up to the day) or ending from
    `since` to the day before (by the indexes (kind, start_on) and (kind, end_on)); with a member whose
    death / moving-out date or certificate validity date lies from the month of `since` to the month
    before the day's (the stop rules count from the month after), or whose certificate validity ends after
    `since` and by the day; whose monitoring status is not the one kept. A household that left the
    county is refreshed too (its facts here go)."""
    day, county = ctx.day, ctx.county.code
    records = BenefitRecord._meta.db_table
    kinds = Sql("r.kind IN (" + ", ".join(["%s"] * len(K.values)) + ")", list(K.values))
    household = Household._meta.db_table
    # a record names the household of its person when it was written: the person's household now counts
    moved = (f"COALESCE(p.household_id, r.household_id) FROM {records} r LEFT JOIN {Person._meta.db_table} p"
             " ON p.id = r.person_id")
    return [
        Sql(f"CREATE TEMPORARY TABLE {SCOPE} (household_id bigint PRIMARY KEY)"),
        Sql(f"INSERT INTO {SCOPE} (household_id) SELECT household_id FROM {STALE_TABLE}"  # noqa: S608
            f" UNION SELECT {moved} WHERE ") + kinds
        + Sql(" AND r.start_on > %s AND r.start_on <= %s", [since, day])
        + f" UNION SELECT {moved} WHERE " + kinds
        + Sql(" AND r.end_on >= %s AND r.end_on < %s", [since, day])
        # one pass over the facts for the dates and for households no longer monitored; households now
        # monitored found from the monitoring cases by the household index
        + Sql(f" UNION SELECT household_id FROM {FACT_TABLE} WHERE county_id = %s AND ((status_date >= %s"  # noqa: S608
              " AND status_date < %s) OR (valid_until >= %s AND valid_until < %s)"
              " OR (valid_until > %s AND valid_until <= %s) OR (monitored AND household_id NOT IN (",
              [county, _month_start(since), _month_start(day), _month_start(since), _month_start(day), since, day])
        + _monitored(ctx) + ")))"
        + Sql(" UNION SELECT f.household_id FROM (") + _monitored(ctx)
        + Sql(f") m CROSS JOIN {FACT_TABLE} f WHERE f.household_id = m.household_id AND f.county_id = %s"  # noqa: S608
              " AND NOT f.monitored", [county]),
        Sql(f"DELETE FROM {SCOPE} WHERE NOT EXISTS (SELECT 1 FROM {household} h WHERE h.id = {SCOPE}.household_id"  # noqa: S608
            f" AND h.county_id = %s) AND NOT EXISTS (SELECT 1 FROM {FACT_TABLE} f"
            f" WHERE f.household_id = {SCOPE}.household_id AND f.county_id = %s)", [county, county]),
    ]


def _refresh_statements(ctx: Context) -> list[Sql]:
    """The facts of the households in SCOPE rebuilt: their rows (and those of their present members)
    counted out and deleted, the record tables read for their members only, their members' facts inserted
    and counted in."""
    person = Person._meta.db_table
    households = Sql(f"household_id IN (SELECT household_id FROM {SCOPE})")  # noqa: S608
    persons = Sql(f"person_id IN (SELECT person_id FROM {SCOPE_PERSONS})")  # noqa: S608
    return [
        Sql(f"CREATE TEMPORARY TABLE {SCOPE_PERSONS} (person_id bigint PRIMARY KEY)"),
        Sql(f"INSERT INTO {SCOPE_PERSONS} (person_id) SELECT p.id FROM {SCOPE} s CROSS JOIN {person} p"  # noqa: S608
            " WHERE p.household_id = s.household_id"),
        _counts_move(households, -1),
        Sql(f"DELETE FROM {FACT_TABLE} WHERE ") + households,  # noqa: S608
        _counts_move(persons, -1),
        Sql(f"DELETE FROM {FACT_TABLE} WHERE ") + persons,  # noqa: S608
        *_rec_statements(ctx, Sql(" AND ") + persons),
        *_inserts(ctx, FACT_TABLE, "scope", Sql()),
        # the rows of the households refreshed are those just inserted
        _counts_move(households, 1),
    ]


def _marks_done(ctx: Context, scope: str) -> Sql:
    """Marks of the county's households (and of households gone) are done; a household that moved to
    another county keeps its mark for that county's run."""
    household = Household._meta.db_table
    return Sql(f"DELETE FROM {STALE_TABLE} WHERE household_id IN (SELECT household_id FROM {scope})"  # noqa: S608
               f" AND NOT EXISTS (SELECT 1 FROM {household} h WHERE h.id = {STALE_TABLE}.household_id"
               " AND h.county_id <> %s)", [ctx.county.code])


def _rebuild_statements(ctx: Context, alone: bool) -> list[Sql]:
    household, person = Household._meta.db_table, Person._meta.db_table
    county = ctx.county.code
    # Besides the county's rows, those another county still keeps for persons now living here (a person or
    # household moved in since that county's last run): the person's row is unique, and a row left there
    # would hide an uncertified receiver from the leakage candidates and stay as a ghost in the old county.
    # The counts of those rows go from the other county's before they do.
    if alone:
        delete = [Sql(f"DELETE FROM {COUNT_TABLE}"), Sql(f"DELETE FROM {FACT_TABLE}")]  # noqa: S608
    else:
        moved_in = Sql(f"person_id IN (SELECT p.id FROM {person} p CROSS JOIN {household} h"  # noqa: S608
                       " WHERE h.id = p.household_id AND h.county_id = %s)", [county])
        delete = [_counts_move(Sql("county_id <> %s AND ", [county]) + moved_in, -1),
                  Sql(f"DELETE FROM {COUNT_TABLE} WHERE county_id = %s", [county]),  # noqa: S608
                  Sql(f"DELETE FROM {FACT_TABLE} WHERE county_id = %s OR ", [county]) + moved_in]  # noqa: S608
    return [
        *delete,
        *_rec_statements(ctx, Sql()),
        *_inserts(ctx, FACT_TABLE, "county", Sql(), whole=True),
        _counts_move(Sql("county_id = %s", [county]), 1),
        Sql(f"CREATE TEMPORARY TABLE {SCOPE} (household_id bigint PRIMARY KEY)"),
        Sql(f"INSERT INTO {SCOPE} (household_id) SELECT s.household_id FROM {STALE_TABLE} s"  # noqa: S608
            f" WHERE NOT EXISTS (SELECT 1 FROM {household} h WHERE h.id = s.household_id AND h.county_id <> %s)",
            [county]),
    ]


def _layout(ctx: Context) -> str:
    """What the kept facts were made by: the rules in the order of the `received` bits and a digest of the
    statements' text (parameters aside), so a release that changes what counts (a rule's kinds or window,
    an exclusion, a stop rule) rebuilds the facts instead of serving those made the old way."""
    made = [*_rec_statements(ctx, Sql()), *_inserts(ctx, FACT_TABLE, "county", Sql(), whole=True), _counts_move(Sql(), 1)]
    text = "\n".join(s.text for s in made)
    return ",".join(RULES) + ":" + hashlib.sha256(text.encode()).hexdigest()[:16]


def facts_keep(ctx: Context) -> str:
    """Bring the county's kept facts level with `ctx` (inside the run's transaction): refreshed for the
    households that may have changed since the facts were last made, or rebuilt (first run, new year,
    earlier date, another training period, too many households to refresh). Returns what was done, for the
    run's audit entry."""
    if connection.vendor == "postgresql":  # a write marking a household waits for the run (no mark lost)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {STALE_TABLE} IN EXCLUSIVE MODE")
    kept = _ensure_table()
    params = ctx.params
    state = CoverageFactState.objects.select_for_update().filter(county=ctx.county).first()
    layout = _layout(ctx)
    usable = (kept and state is not None and state.day.year == ctx.day.year and state.day <= ctx.day
              and state.training_period_start == params.training_period_start
              and state.training_period_end == params.training_period_end
              and state.layout == layout)
    _drop()
    try:
        done = ""
        if usable:
            assert state is not None
            _execute(_scope_statements(ctx, state.day))
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {SCOPE}")  # noqa: S608
                count = cursor.fetchone()[0]
            if count <= REFRESH_LIMIT:
                _execute([*_refresh_statements(ctx), _marks_done(ctx, SCOPE)])
                done = f"refreshed {count} households"
            _drop()
        if not done:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {FACT_TABLE} WHERE county_id <> %s LIMIT 1", [ctx.county.code])  # noqa: S608
                alone = cursor.fetchone() is None
            _execute([*_rebuild_statements(ctx, alone), _marks_done(ctx, SCOPE)])
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {FACT_TABLE}")
            done = "rebuilt"
    finally:
        _drop()
    CoverageFactState.objects.update_or_create(county=ctx.county, defaults={
        "day": ctx.day, "training_period_start": params.training_period_start,
        "training_period_end": params.training_period_end, "layout": layout})
    return done
