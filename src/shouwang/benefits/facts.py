"""Build the CoverageFact table: each person's situation at a reference date.

Population: persons of the county with a disability certificate or with a record counting for a rule
(the latter so that a subsidy paid to someone without a certificate shows up as leakage).

1. per rule, the records that count at the reference date are aggregated per person into a small
   temporary table keyed by person (latest record, running count, last start): one range scan of the
   index (kind, person, start, end) per kind, in person order, so no sort and no per-row test of the
   other kinds; the exclusion kinds (特困, 孤儿, 工伤, 择高) go into one more such table;
2. the facts of certified persons: disability -> person -> household, with one lookup per rule table;
3. the facts of persons without a certificate found in a rule table (the leakage candidates).
All tables are temporary (per connection) and dropped when `built_facts()` ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from shouwang.benefits.choices import BenefitKind as K
from shouwang.benefits.models import BenefitRecord, CoverageFact
from shouwang.benefits.rules import ACTIVE, EVER, PERIOD, RULES, YEAR, Context, Rule
from shouwang.registry.models import Disability, Household, Person

FACT_TABLE = CoverageFact._meta.db_table
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


def _kinds(kinds: tuple[str, ...]) -> Sql:
    """`kind = a OR kind = b ...`: on SQLite an IN list costs a lookup in a temporary b-tree per row."""
    return Sql("(" + " OR ".join(["kind = %s"] * len(kinds)) + ")", [str(k) for k in kinds])


def window(rule: Rule, ctx: Context) -> Sql:
    """What a record of the rule's kinds must satisfy to count, beyond `_running`: ACTIVE runs on the day;
    YEAR and EVER need nothing more; PERIOD started inside the period."""
    if rule.window == ACTIVE:
        return _active(ctx)
    if rule.window == PERIOD:
        p = ctx.params
        return Sql(" AND start_on >= %s AND start_on <= %s", [p.training_period_start,
                                                              min(p.training_period_end, ctx.day)])
    assert rule.window in (YEAR, EVER)
    return Sql()


def _active(ctx: Context) -> Sql:
    return Sql(" AND (end_on IS NULL OR end_on >= %s)", [ctx.day])


def _running(rule_window: str, ctx: Context) -> Sql:
    """Started by the reference day and, unless one-off, running at some time in its year: history of
    running benefits ended before this year cannot count for any rule (it piles up year by year)."""
    started = Sql(" AND start_on <= %s", [ctx.day])
    if rule_window in (EVER, PERIOD):
        return started
    return started + Sql(" AND (end_on IS NULL OR end_on >= %s)", [ctx.year_start])


def rec_table(rule: Rule) -> str:
    return f"benefits_cov_rec_{rule.code.lower()}"


EXCLUSION_TABLE = "benefits_cov_rec_exclusion"


def _rec_columns(rule: Rule) -> list[tuple[str, str, str]]:
    """(column, aggregate, SQL type) of a rule's record table."""
    columns = [("rec", "MAX(id)", "bigint")]
    if rule.count_field:
        columns.append(("n", "COUNT(*)", "bigint"))
    if rule.window in (EVER, PERIOD):
        columns.append(("last", "MAX(start_on)", "date"))
    return columns


def _key() -> str:
    # the rowid itself on SQLite: rows arrive in person order and lookups by person are rowid seeks
    return "person_id integer PRIMARY KEY" if connection.vendor == "sqlite" else "person_id bigint PRIMARY KEY"


def _rec_tables(ctx: Context, person_ids: list[int] | None) -> list[Sql]:
    """CREATE and INSERT ... SELECT of every rule's record table and of the exclusion table."""
    scope = Sql(" AND person_id IS NOT NULL") + (_ids("person_id", person_ids) if person_ids is not None else "")
    table = BenefitRecord._meta.db_table
    out: list[Sql] = []
    for rule in RULES.values():
        columns = _rec_columns(rule)
        out.append(Sql(f"CREATE TEMPORARY TABLE {rec_table(rule)} ({_key()}, "
                       + ", ".join(f"{c} {t}" for c, _, t in columns) + ")"))
        out.append(Sql(f"INSERT INTO {rec_table(rule)} SELECT person_id, "  # noqa: S608
                       + ", ".join(a for _, a, _ in columns) + f" FROM {table} WHERE ")
                   + _kinds(rule.kinds) + _running(rule.window, ctx) + window(rule, ctx) + scope
                   + " GROUP BY person_id")
    flags = [Sql("COUNT(*) FILTER (WHERE ") + _kinds(kinds) + f") AS {name}" for name, kinds in EXCLUSIONS.items()]
    every = tuple(k for kinds in EXCLUSIONS.values() for k in kinds)
    out.append(Sql(f"CREATE TEMPORARY TABLE {EXCLUSION_TABLE} ({_key()}, "
                   + ", ".join(f"{name} bigint" for name in EXCLUSIONS) + ")"))
    out.append(Sql(f"INSERT INTO {EXCLUSION_TABLE} SELECT person_id, ") + _join(flags, ", ")  # noqa: S608
               + f" FROM {table} WHERE " + _kinds(every) + _running(ACTIVE, ctx) + _active(ctx) + scope
               + " GROUP BY person_id")
    return out


def _rec_joins(on: str) -> str:
    """LEFT JOINs of the record tables to the person `on` (aliases r0, r1, ... and x)."""
    joins = [f" LEFT JOIN {rec_table(rule)} r{i} ON r{i}.person_id = {on}" for i, rule in enumerate(RULES.values())]
    return "".join(joins) + f" LEFT JOIN {EXCLUSION_TABLE} x ON x.person_id = {on}"


def _rec(rule: Rule, column: str) -> str:
    return f"r{list(RULES).index(rule.code)}.{column}"


def _ids(column: str, ids: list[int]) -> Sql:
    return Sql(f" AND {column} IN (" + ", ".join(["%s"] * len(ids)) + ")", list(ids)) if ids else Sql(" AND 1 = 0")


def _monitored(ctx: Context) -> Sql:
    """Households under monitoring now (the monitoring app's definition, `MonitoringCase.monitored()`);
    the fact rows are the county's already, so the county's households need not be walked again."""
    from shouwang.monitoring.models import MonitoringCase

    sql, params = MonitoringCase.objects.monitored().values("household_id").query.sql_with_params()
    return Sql(sql, list(params))


def _household_tekun(ctx: Context) -> Sql:
    sql, params = (BenefitRecord.objects.active_on(ctx.day).filter(kind=K.TEKUN, person__isnull=True)
                   .values("household_id").query.sql_with_params())
    return Sql(sql, list(params))


FACT_COLUMNS = [f.column for f in CoverageFact._meta.concrete_fields]




def _values(ctx: Context) -> Sql:
    rules = list(RULES.values())
    bool_ = "(COALESCE(x.{0}, 0) > 0)"
    # the stop rules (see rules.stop_rules): in_force must equal all of them holding
    stop = Sql("CASE WHEN p.living_status <> 'alive' AND (p.status_date IS NULL OR p.status_date < %s)"
               " THEN p.living_status ELSE '' END", [ctx.month_start])
    cert_stop = Sql("CASE WHEN d.id IS NOT NULL AND (d.valid_until < %s OR (d.status <> 'valid' AND "
                    "(d.valid_until IS NULL OR d.valid_until > %s))) THEN (CASE WHEN d.status = 'cancelled' "
                    "THEN 'cancelled' ELSE 'expired' END) ELSE '' END", [ctx.month_start, ctx.day])
    values: list[Sql | str] = [
        "p.id", "p.household_id", "h.county_id", "h.township_id", "h.village_id", "p.birth_date",
        stop,
        "(d.id IS NOT NULL)",
        cert_stop,
        Sql("(") + stop + " NOT IN ('deceased', 'moved_out') AND d.id IS NOT NULL AND " + cert_stop
        + " NOT IN ('cancelled', 'expired'))",
        "d.category", "d.grade", "p.schooling", "p.needs_rehabilitation", "p.needs_accessibility",
        "p.needs_custodial_care", "p.needs_long_term_care",
        "(p.training_need AND p.training_willing AND p.training_able)", "p.family_doctor",
        "h.assistance_status", "h.poverty_status",
        Sql("(h.id IN (") + _monitored(ctx) + "))",
        Sql("(h.assistance_status = 'tekun' OR COALESCE(x.x_tekun, 0) > 0 OR h.id IN (")
        + _household_tekun(ctx) + "))",
        bool_.format("x_orphan"), bool_.format("x_work_injury"), bool_.format("x_choose_higher"),
        *[_rec(rule, "rec") for rule in rules],
        *[f"COALESCE({_rec(rule, 'n')}, 0)" for rule in rules if rule.count_field],
        *[f"COALESCE(p.living_status <> 'alive' AND {_rec(rule, 'last')} > p.status_date, FALSE)"
          for rule in rules if rule.window in (EVER, PERIOD)],
    ]
    assert len(values) == len(FACT_COLUMNS), (len(values), len(FACT_COLUMNS))
    return _join([v if isinstance(v, Sql) else Sql(v) for v in values], ", ")


UNCERTIFIED = "benefits_cov_uncertified"


def _inserts(ctx: Context, person_ids: list[int] | None) -> list[Sql]:
    """The facts: certified persons (driven by the disability table), then the persons without a
    certificate found in some rule's record table. CROSS JOIN fixes SQLite's join order (lookups by
    primary key); PostgreSQL plans freely."""
    insert = Sql(f"INSERT INTO {FACT_TABLE} ({', '.join(FACT_COLUMNS)}) SELECT ") + _values(ctx)
    scope = Sql(" AND h.county_id = %s", [ctx.county.code])
    if person_ids is not None:
        scope = scope + _ids("p.id", person_ids)
    person, household, disability = (m._meta.db_table for m in (Person, Household, Disability))
    certified = (insert + f" FROM {disability} d CROSS JOIN {person} p CROSS JOIN {household} h"  # noqa: S608
                 + _rec_joins("p.id") + " WHERE p.id = d.person_id AND h.id = p.household_id" + scope)
    missing = " UNION ".join(
        f"SELECT person_id FROM {rec_table(rule)} t WHERE NOT EXISTS"  # noqa: S608
        f" (SELECT 1 FROM {FACT_TABLE} f WHERE f.person_id = t.person_id)" for rule in RULES.values())
    uncertified = (insert + f" FROM {UNCERTIFIED} u CROSS JOIN {person} p CROSS JOIN {household} h"  # noqa: S608
                   + f" LEFT JOIN {disability} d ON d.person_id = p.id" + _rec_joins("p.id")
                   + " WHERE p.id = u.person_id AND h.id = p.household_id AND d.id IS NULL" + scope)
    return [certified, Sql(f"CREATE TEMPORARY TABLE {UNCERTIFIED} ({_key()})"),
            Sql(f"INSERT INTO {UNCERTIFIED} {missing}"), uncertified]  # noqa: S608


def _create_table() -> None:
    editor = connection.SchemaEditorClass(connection, collect_sql=True, atomic=False)
    sql, params = editor.table_sql(CoverageFact)
    assert sql.startswith("CREATE TABLE")
    if connection.vendor == "sqlite":  # the rowid itself, not a second index beside it
        sql = sql.replace('"person_id" bigint NOT NULL PRIMARY KEY', '"person_id" integer NOT NULL PRIMARY KEY')
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FACT_TABLE}")
        cursor.execute("CREATE TEMPORARY TABLE" + sql[len("CREATE TABLE"):], params)


def _temporary_tables() -> list[str]:
    return [FACT_TABLE, UNCERTIFIED, EXCLUSION_TABLE, *(rec_table(rule) for rule in RULES.values())]


@contextmanager
def built_facts(ctx: Context, person_ids: list[int] | None = None) -> Iterator[None]:
    """Fill the fact table for the county (or only `person_ids`) for the duration of the block; the
    temporary tables are dropped when the block ends."""
    _drop()
    _create_table()
    try:
        with connection.cursor() as cursor:
            for statement in [*_rec_tables(ctx, person_ids), *_inserts(ctx, person_ids)]:
                cursor.execute(statement.text, statement.params)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {FACT_TABLE}")
        yield
    finally:
        _drop()


def _drop() -> None:
    with connection.cursor() as cursor:
        for table in _temporary_tables():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
