"""Build the CoverageFact table: each person's situation at a reference date, in one INSERT ... SELECT.

Population: persons of the county with a disability certificate or with a record counting for a rule
(the latter so that a subsidy paid to someone without a certificate shows up as leakage). Benefit records
are aggregated once per person (GROUP BY) into the `rec_*`, `n_*`, `late_*` and exclusion columns.
The table is temporary (per connection) and dropped by `dropped_facts()`.
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
    if rule.window == ACTIVE:
        return Sql("start_on <= %s AND (end_on IS NULL OR end_on >= %s)", [ctx.day, ctx.day])
    if rule.window == YEAR:
        return Sql("start_on <= %s AND (end_on IS NULL OR end_on >= %s)", [ctx.day, ctx.year_start])
    if rule.window == PERIOD:
        p = ctx.params
        return Sql("start_on >= %s AND start_on <= %s", [p.training_period_start, min(p.training_period_end,
                                                                                         ctx.day)])
    assert rule.window == EVER
    return Sql("start_on <= %s", [ctx.day])


def _active(ctx: Context) -> Sql:
    return Sql("start_on <= %s AND (end_on IS NULL OR end_on >= %s)", [ctx.day, ctx.day])


def _record_aggregate(ctx: Context, person_ids: list[int] | None) -> Sql:
    """One row per person: latest receiving record per rule, running counts, exclusions, last one-off date."""
    # FILTER skips the aggregate step for the rows of other kinds (cheaper than MAX(CASE ...) per column).
    columns: list[Sql] = []
    for rule in RULES.values():
        when = Sql(" FILTER (WHERE ") + _kinds(rule.kinds) + " AND " + window(rule, ctx) + ")"
        columns.append(Sql("MAX(id)") + when + f" AS {rule.receiving_field}")
        if rule.count_field:
            columns.append(Sql("COUNT(*)") + when + f" AS {rule.count_field}")
        if rule.window in (EVER, PERIOD):
            columns.append(Sql("MAX(start_on)") + when + f" AS last_{rule.code.lower()}")
    for name, kinds in EXCLUSIONS.items():
        columns.append(Sql("COUNT(*) FILTER (WHERE ") + _kinds(kinds) + " AND " + _active(ctx) + f") AS {name}")
    # Running benefits ended before this year cannot count for any rule (history piles up year by year):
    # skip them before the per-rule filters; one-off kinds are judged by their start date and always kept.
    # Rows of kinds no rule reads fail every filter and cost no more than a test of the kind.
    one_off = tuple(k for rule in RULES.values() if rule.window in (EVER, PERIOD) for k in rule.kinds)
    where = (Sql("person_id IS NOT NULL AND (end_on IS NULL OR end_on >= %s OR ", [ctx.year_start])
             + _kinds(one_off) + ")")
    if person_ids is not None:
        where = where + _ids("person_id", person_ids)
    return (Sql("SELECT person_id, ") + _join(columns, ", ")  # noqa: S608
            + f" FROM {BenefitRecord._meta.db_table} WHERE " + where + " GROUP BY person_id")


def _ids(column: str, ids: list[int]) -> Sql:
    return Sql(f" AND {column} IN (" + ", ".join(["%s"] * len(ids)) + ")", list(ids)) if ids else Sql(" AND 1 = 0")


def _monitored(ctx: Context) -> Sql:
    from shouwang.monitoring.selectors import monitored_households

    sql, params = monitored_households(ctx.county).values("pk").query.sql_with_params()
    return Sql(sql, list(params))


def _household_tekun(ctx: Context) -> Sql:
    sql, params = (BenefitRecord.objects.active_on(ctx.day).filter(kind=K.TEKUN, person__isnull=True)
                   .values("household_id").query.sql_with_params())
    return Sql(sql, list(params))


FACT_COLUMNS = [f.column for f in CoverageFact._meta.concrete_fields]
REC_COLUMNS = [
    *(c for rule in RULES.values() for c in (rule.receiving_field, rule.count_field,
      f"last_{rule.code.lower()}" if rule.window in (EVER, PERIOD) else None) if c),
    *EXCLUSIONS,
]




def _values(ctx: Context) -> Sql:
    rules = list(RULES.values())
    bool_ = "(COALESCE(r.{0}, 0) > 0)"
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
        Sql("(h.assistance_status = 'tekun' OR COALESCE(r.x_tekun, 0) > 0 OR h.id IN (")
        + _household_tekun(ctx) + "))",
        bool_.format("x_orphan"), bool_.format("x_work_injury"), bool_.format("x_choose_higher"),
        *[f"r.{rule.receiving_field}" for rule in rules],
        *[f"COALESCE(r.{rule.count_field}, 0)" for rule in rules if rule.count_field],
        *[f"COALESCE(p.living_status <> 'alive' AND r.last_{rule.code.lower()} > p.status_date, FALSE)"
          for rule in rules if rule.window in (EVER, PERIOD)],
    ]
    assert len(values) == len(FACT_COLUMNS), (len(values), len(FACT_COLUMNS))
    return _join([v if isinstance(v, Sql) else Sql(v) for v in values], ", ")


def _no_records() -> Sql:
    """One row of empty aggregate columns (typed, for PostgreSQL) for persons without any record."""
    typed = [f"CAST(NULL AS {'date' if c.startswith('last_') else 'bigint'}) AS {c}" for c in REC_COLUMNS]
    return Sql("(SELECT " + ", ".join(typed) + ")")


def _inserts(ctx: Context, person_ids: list[int] | None) -> list[Sql]:
    """Two INSERT ... SELECTs.

    1. persons with records, driven by the per-person aggregate of benefit records (a subquery read row by
       row in person order, never stored): certified persons and those without a certificate who receive
       something a rule counts (the leakage candidates);
    2. certified persons without any record (driven by the disability table; one probe of the fact table
       each, then the person and household lookups only for those not yet there).
    CROSS JOIN fixes SQLite's join order (lookups by primary key); PostgreSQL plans freely."""
    insert = Sql(f"INSERT INTO {FACT_TABLE} ({', '.join(FACT_COLUMNS)}) SELECT ") + _values(ctx)
    scope = Sql(" AND h.county_id = %s", [ctx.county.code])
    if person_ids is not None:
        scope = scope + _ids("p.id", person_ids)
    receiving_any = " OR ".join(f"r.{rule.receiving_field} IS NOT NULL" for rule in RULES.values())
    person, household, disability = (m._meta.db_table for m in (Person, Household, Disability))
    with_records = (insert + " FROM (" + _record_aggregate(ctx, person_ids) + ") r"  # noqa: S608
                    + f" LEFT JOIN {disability} d ON d.person_id = r.person_id"
                    + f" CROSS JOIN {person} p CROSS JOIN {household} h"
                    + f" WHERE (d.id IS NOT NULL OR {receiving_any}) AND p.id = r.person_id"
                    + " AND h.id = p.household_id" + scope)
    without = (insert + f" FROM {disability} d CROSS JOIN {person} p CROSS JOIN {household} h"  # noqa: S608
               + " CROSS JOIN " + _no_records() + " r"
               + f" WHERE NOT EXISTS (SELECT 1 FROM {FACT_TABLE} f WHERE f.person_id = d.person_id)"  # noqa: S608
               + " AND p.id = d.person_id AND h.id = p.household_id" + scope)
    return [with_records, without]


def _create_table() -> None:
    editor = connection.SchemaEditorClass(connection, collect_sql=True, atomic=False)
    sql, params = editor.table_sql(CoverageFact)
    assert sql.startswith("CREATE TABLE")
    if connection.vendor == "sqlite":  # the rowid itself, not a second index beside it
        sql = sql.replace('"person_id" bigint NOT NULL PRIMARY KEY', '"person_id" integer NOT NULL PRIMARY KEY')
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FACT_TABLE}")
        cursor.execute("CREATE TEMPORARY TABLE" + sql[len("CREATE TABLE"):], params)


@contextmanager
def built_facts(ctx: Context, person_ids: list[int] | None = None) -> Iterator[None]:
    """Fill the fact table for the county (or only `person_ids`) for the duration of the block (two
    INSERT ... SELECTs, see `_inserts`); the temporary table is dropped when the block ends."""
    _create_table()
    try:
        with connection.cursor() as cursor:
            for statement in _inserts(ctx, person_ids):
                cursor.execute(statement.text, statement.params)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {FACT_TABLE}")
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FACT_TABLE}")
