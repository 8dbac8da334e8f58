# ruff: noqa: S608 -- SQL text is built from constant table names and the scope's compiled SQL; values are parameters.
"""Relations prepared once per run and shared by several rules (temporary tables, dropped after the run).

Without them each income rule would look for the household's latest record again and each member rule
would walk every household's members again; with them the rules are plain filters. Each is built by one
pass over the registry, restricted to the run's scope, and only when a rule of the run needs it (a
what-if on the income line builds only latest_income). The SQL is shared by SQLite and PostgreSQL except
where noted: the latest and the previous income records take forms each planner runs well.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import connection

from shouwang.core.sql import date_as_stored, date_type
from shouwang.registry.choices import ABLE_TO_WORK, LivingStatus, Schooling
from shouwang.registry.models import Disability, IncomeRecord, Person
from shouwang.screening.models import IncomeChange, LatestIncome, MemberFlag, MemberSummary


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _key() -> str:
    """The key of a prepared table: on SQLite an INTEGER PRIMARY KEY is the row id itself, so the table
    needs no separate index. On PostgreSQL a primary key would be an index built row by row beside the
    rows (0.3 s for the latest incomes at 1M persons), and nothing looks rows up by it: the rules filter
    these tables and joins with them hash them (their keys are distinct by construction)."""
    return "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigint NOT NULL"


# The figures of LatestIncome beyond the per-capita income, each with the record columns it is made of
# and the rules that read it; a run whose rules read none of them stores 0 (a what-if on the income line
# reads the per-capita income only).
FIGURES = (
    ("net_income", "r.net_income", ("net_income",), {"RIGID_SPENDING"}),
    ("rigid", "CASE WHEN r.medical_spending > r.insurance_claims THEN r.medical_spending - r.insurance_claims"
     " ELSE 0 END + r.education_spending", ("medical_spending", "insurance_claims", "education_spending"),
     {"RIGID_SPENDING"}),
    ("transfer_income", "r.transfer_income", ("transfer_income",), {"TRANSFER_DEPENDENT"}),
    ("gross", "r.wage_income + r.business_income + r.property_income + r.transfer_income",
     ("wage_income", "business_income", "property_income", "transfer_income"), {"TRANSFER_DEPENDENT"}),
)


LINE_RULES = frozenset({"INCOME_BELOW_LINE", "INCOME_NEAR_LINE"})


def build_latest_income(cursor: Any, ctx: Any, readers: frozenset[str]) -> None:
    income, table = _table(IncomeRecord), LatestIncome._meta.db_table
    scope_sql, scope_params = ctx.scope.household_condition("household_id")
    read = [(name, sql, columns) if readers & rules else (name, "0", ()) for name, sql, columns, rules in FIGURES]
    if connection.vendor == "postgresql":
        # DISTINCT ON, where PostgreSQL hash-joins the records to their own GROUP BY (and each parallel
        # worker builds that aggregate again). Both columns descending: the (household, year) unique
        # index read backwards gives that order, so the records are not sorted (a seq scan and a sort of
        # 615k records spilled 32 MB to disk at work_mem 64MB: 0.95 s; the backward index scan 0.5-0.85 s).
        # The figures are computed outside, for the latest records only: inside, PostgreSQL computes them
        # in the scan, for every record before DISTINCT ON drops the older ones (numeric sums of 615k
        # records where 308k are kept: 0.2 s).
        # CREATE TABLE ... AS writes the rows in bulk (0.1 s less than INSERT for 308k rows). When only the
        # line rules read it (a what-if on the income line), only the households they can flag are kept:
        # per-capita income below the line, or below the near-line ceiling (about half of them).
        columns = ", ".join(sorted({column for _, _, needed in read for column in needed}))
        figures = ", ".join(f"({sql})::numeric AS {name}" for name, sql, _ in read)
        ceiling, ceiling_params = "", []
        if readers <= LINE_RULES:
            from shouwang.screening.rules import near_line_upper

            ceiling = " WHERE r.per_capita_income < %s"
            ceiling_params = [near_line_upper(ctx.params) if "INCOME_NEAR_LINE" in readers else ctx.params.income_line]
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} AS SELECT r.household_id, r.year::integer AS year,"
            f" r.per_capita_income::numeric AS per_capita_income, {figures} FROM ("
            f"SELECT DISTINCT ON (household_id) household_id, year, per_capita_income{', ' if columns else ''}"
            f"{columns} FROM {income} WHERE year <= %s AND {scope_sql} ORDER BY household_id DESC, year DESC) r"
            f"{ceiling}",
            [int(ctx.income_year), *scope_params, *ceiling_params],
        )
        return
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (household_id {_key()}, year integer NOT NULL,"
        " per_capita_income numeric NOT NULL, net_income numeric NOT NULL, rigid numeric NOT NULL,"
        " transfer_income numeric NOT NULL, gross numeric NOT NULL)"
    )
    figures = ", ".join(sql for _, sql, _ in read)
    # SQLite: with a single MAX() aggregate, the other columns are taken from the row holding the maximum
    # (documented: "bare columns in an aggregate query"), so one pass in the (household, year) index
    # order finds each latest record, where joining the records to their own GROUP BY read them twice.
    cursor.execute(
        f"INSERT INTO {table} SELECT r.household_id, MAX(r.year), r.per_capita_income, {figures} FROM {income} r"
        f" WHERE r.year <= %s AND {scope_sql} GROUP BY r.household_id",
        [int(ctx.income_year), *scope_params],
    )


def build_income_change(cursor: Any, ctx: Any, readers: frozenset[str]) -> None:
    """The record before each household's latest one (built after latest_income, which it reads), kept
    only where the latest per-capita income is below it: INCOME_DROP, the only reader, fires on a drop of
    a ratio above 0 (check_parameters), never on an equal or higher income, and most households are
    not kept (a seventh of them in the demo county: 0.15 s less to write on PostgreSQL)."""
    income, latest, table = _table(IncomeRecord), LatestIncome._meta.db_table, IncomeChange._meta.db_table
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (household_id {_key()}, year integer NOT NULL,"
        " per_capita_income numeric NOT NULL, previous_year integer NOT NULL, previous_income numeric NOT NULL)"
    )
    if connection.vendor == "postgresql":
        # One hash join and one sort; PostgreSQL plans the correlated MAX below as a nested loop doing
        # two probes and a join per household.
        cursor.execute(
            f"INSERT INTO {table} SELECT * FROM (SELECT DISTINCT ON (l.household_id) l.household_id, l.year,"
            f" l.per_capita_income, p.year, p.per_capita_income AS previous_income FROM {latest} l JOIN {income} p"
            " ON p.household_id = l.household_id AND p.year < l.year ORDER BY l.household_id, p.year DESC) c"
            " WHERE c.previous_income > c.per_capita_income"
        )
        return
    # CROSS JOIN keeps SQLite driving from the latest records: knowing nothing of the temporary table's
    # size, it would otherwise scan every income record to probe it (200 ms for one household). Each
    # household's earlier records are read in one index range, grouped in the latest table's order, the
    # previous income being the bare column of the MAX(year) row (see build_latest_income), where a
    # correlated MAX looked each previous record up twice (0.47 -> 0.37 s at 308k households).
    cursor.execute(
        f"INSERT INTO {table} SELECT * FROM (SELECT l.household_id, l.year, l.per_capita_income,"
        " MAX(p.year) AS previous_year, p.per_capita_income AS previous_income"
        f" FROM {latest} l CROSS JOIN {income} p WHERE p.household_id = l.household_id AND p.year < l.year"
        " GROUP BY l.household_id) c WHERE c.previous_income > c.per_capita_income"
    )


class _Members(NamedTuple):
    """What every form of the member pass reads, in SQL on the person row `p`."""

    scope: tuple[str, list[Any]]  # the run's households
    able: str  # able to work
    working: str  # able to work and of working age, with working_params (youngest, oldest birth date)
    working_params: list[Any]
    elderly_born: Any  # born on or before: elderly


def build_member_summary(cursor: Any, ctx: Any, readers: frozenset[str]) -> None:
    """One pass over the living members (each joined to its certificate, if any), grouped by household.

    Only households some member rule can flag are kept: two or more disabled members (MULTI_DISABLED), or
    no able member of working age (NO_LABOUR, and ELDERLY_NO_LABOUR). Counting with FILTER clauses keeps
    the pass to one read of each person; the rules then filter a table a third of the households' size.

    When ELDERLY_NO_LABOUR is the only reader (a what-if on the elderly or working ages), both databases
    take two passes: a first one without the certificates finds the households it can flag at all (an
    elderly member and no able one of working age, a sixth of them) and only their members are looked up
    in the certificates and counted (SQLite: 1.1 -> 0.6 s CPU at 1M persons; PostgreSQL, see
    _elderly_no_labour_postgresql). PostgreSQL's forms: see _member_summary_postgresql.
    """
    p = ctx.params
    person, disability, table = _table(Person), _table(Disability), MemberSummary._meta.db_table
    from shouwang.screening.rules import years_before

    def able_of(t: str) -> str:
        return f"{t}.labour_capacity IN ({', '.join(repr(str(value)) for value in ABLE_TO_WORK)})"  # code constants

    def working_of(t: str) -> str:
        born = date_as_stored(f"{t}.birth_date")
        return f"{able_of(t)} AND {born} <= %s AND {born} > %s"

    members = _Members(
        scope=ctx.scope.household_condition("p.household_id"), able=able_of("p"), working=working_of("p"),
        working_params=[_date(years_before(ctx.as_of, p.working_age_min)),
                        _date(years_before(ctx.as_of, p.working_age_max + 1))],
        elderly_born=_date(years_before(ctx.as_of, p.elderly_age)),
    )
    if connection.vendor == "postgresql":
        form = _elderly_no_labour_postgresql if readers == {"ELDERLY_NO_LABOUR"} else _member_summary_postgresql
        cursor.execute(*form(members))
        return
    scope_sql, scope_params = members.scope
    born, elderly_born = date_as_stored("p.birth_date"), members.elderly_born
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (household_id {_key()}, living integer NOT NULL,"
        " able integer NOT NULL, able_working_age integer NOT NULL, disabled integer NOT NULL,"
        " elderly integer NOT NULL, disabled_elderly integer NOT NULL)"
    )
    counts = (
        f"INSERT INTO {table} (household_id, living, able, able_working_age, disabled, elderly, disabled_elderly)"
        f" SELECT p.household_id, COUNT(*), COUNT(*) FILTER (WHERE {members.able}),"
        f" COUNT(*) FILTER (WHERE {members.working}) AS n_working, COUNT(d.id) AS n_disabled,"
        f" COUNT(*) FILTER (WHERE {born} <= %s), COUNT(d.id) FILTER (WHERE {born} <= %s)"
        f" FROM {person} p LEFT JOIN {disability} d ON d.person_id = p.id"
        f" WHERE p.living_status = %s AND {scope_sql}"
    )
    params = [*members.working_params, elderly_born, elderly_born, LivingStatus.ALIVE.value, *scope_params]
    if readers == {"ELDERLY_NO_LABOUR"}:
        q_scope_sql, q_scope_params = ctx.scope.household_condition("q.household_id")
        q_born = date_as_stored("q.birth_date")
        cursor.execute(
            f"{counts} AND p.household_id IN (SELECT q.household_id FROM {person} q"
            f" WHERE q.living_status = %s AND {q_scope_sql} GROUP BY q.household_id"
            f" HAVING COUNT(*) FILTER (WHERE {working_of('q')}) = 0"
            f" AND COUNT(*) FILTER (WHERE {q_born} <= %s) >= 1) GROUP BY p.household_id",
            [*params, LivingStatus.ALIVE.value, *q_scope_params, *members.working_params, elderly_born],
        )
        return
    # HAVING names the counts (SQLite resolves result aliases there): written out again, with the working
    # ages as parameters of their own, the able-of-working-age count was an aggregate of its own, counted
    # a second time for every member.
    cursor.execute(
        f"{counts} GROUP BY p.household_id HAVING n_disabled >= 2 OR n_working = 0",
        params,
    )


# PostgreSQL: the certificate counts of the members in a subquery `p` that computed `certified` (two
# parameters: the elderly's latest birth date).
_CERTIFIED_COUNTS = (
    "COUNT(*) FILTER (WHERE p.certified)::integer AS disabled,"
    " COUNT(*) FILTER (WHERE p.birth_date <= %s)::integer AS elderly,"
    " COUNT(*) FILTER (WHERE p.certified AND p.birth_date <= %s)::integer AS disabled_elderly"
)


def _certified() -> str:
    return f"EXISTS (SELECT 1 FROM {_table(Disability)} d WHERE d.person_id = p.id)"


def _member_summary_postgresql(m: _Members) -> tuple[str, list[Any]]:
    """PostgreSQL: each member's certificate is an EXISTS, which it answers from one hash of the
    certificates for an area (probing a hash of 340k ids per member, where the LEFT JOIN built the same
    hash but carried each joined row into the grouping: 1.5 -> 1.3 s at 1M persons) and by an index
    look-up for a few households. The subquery computes it, and whether the member is able and of working
    age, once per member (OFFSET 0 keeps them from being folded into each count). It returns the members
    in household order: PostgreSQL then reads them from the members index alone (it includes the id the
    certificates are looked up by) and counts each household as its members pass, where it scanned the
    person table and hashed 300k households (about 0.3 s less at 1M persons); the subquery plans its own
    order, so it must ask for it. Written by CREATE TABLE ... AS (in bulk)."""
    scope_sql, scope_params = m.scope
    return (
        f"CREATE TEMPORARY TABLE {MemberSummary._meta.db_table} AS SELECT p.household_id, COUNT(*)::integer AS living,"
        f" COUNT(*) FILTER (WHERE {m.able})::integer AS able, COUNT(*) FILTER (WHERE p.working)::integer"
        f" AS able_working_age, {_CERTIFIED_COUNTS}"
        f" FROM (SELECT p.household_id, p.labour_capacity, p.birth_date, {m.working} AS working,"
        f" {_certified()} AS certified FROM {_table(Person)} p WHERE p.living_status = %s AND {scope_sql}"
        " ORDER BY p.household_id OFFSET 0) p GROUP BY p.household_id"
        " HAVING COUNT(*) FILTER (WHERE p.certified) >= 2 OR COUNT(*) FILTER (WHERE p.working) = 0",
        [m.elderly_born, m.elderly_born, *m.working_params, LivingStatus.ALIVE.value, *scope_params],
    )


def _elderly_no_labour_postgresql(m: _Members) -> tuple[str, list[Any]]:
    """ELDERLY_NO_LABOUR alone: only its counts are made (the others are 0), only for households it can
    flag, in two passes:
    1. the living members in household order from the members index, without their certificates: the
       households with an elderly member and no able member of working age (a sixth of them);
    2. their members again, by household, each with its certificate: its counts, for households with a
       certified member. Its able members of working age are none by 1.
    At 1M persons 0.58-0.69 s, where one pass looking up the certificates took 0.68-1.18 s (run alternately)."""
    person, (scope_sql, scope_params), alive = _table(Person), m.scope, LivingStatus.ALIVE.value
    return (
        f"CREATE TEMPORARY TABLE {MemberSummary._meta.db_table} AS WITH flaggable AS MATERIALIZED"
        f" (SELECT p.household_id FROM (SELECT p.household_id, p.birth_date, {m.working} AS working FROM {person} p"
        f" WHERE p.living_status = %s AND {scope_sql} ORDER BY p.household_id OFFSET 0) p GROUP BY p.household_id"
        " HAVING COUNT(*) FILTER (WHERE p.working) = 0 AND COUNT(*) FILTER (WHERE p.birth_date <= %s) >= 1)"
        " SELECT p.household_id, 0::integer AS living, 0::integer AS able, 0::integer AS able_working_age,"
        f" {_CERTIFIED_COUNTS} FROM (SELECT p.household_id, p.birth_date, {_certified()} AS certified FROM flaggable f"
        f" JOIN {person} p ON p.household_id = f.household_id WHERE p.living_status = %s OFFSET 0) p"
        " GROUP BY p.household_id HAVING COUNT(*) FILTER (WHERE p.certified) >= 1",
        [*m.working_params, alive, *scope_params, m.elderly_born, m.elderly_born, m.elderly_born, alive],
    )


def build_member_flags(cursor: Any, ctx: Any, readers: frozenset[str]) -> None:
    """The living members a person rule may flag, in one pass over the persons instead of one per rule."""
    from shouwang.screening.rules import OUT_OF_SCHOOL, years_before

    p = ctx.params
    person, table = _table(Person), MemberFlag._meta.db_table
    scope_sql, scope_params = ctx.scope.household_condition("p.household_id")
    out_of_school = ", ".join(f"'{Schooling(value).value}'" for value in OUT_OF_SCHOOL)  # code constants
    born = date_as_stored("p.birth_date")
    # On SQLite the birth date is kept as text (see date_type): SCHOOL_DROPOUT compares it with dates.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (person_id {_key()}, household_id bigint NOT NULL,"
        f" birth_date {date_type()} NOT NULL,"
        " schooling varchar(16) NOT NULL, medical_insurance boolean NOT NULL)"
    )
    # The schooling test first: it rules out most members before any date is compared.
    cursor.execute(
        f"INSERT INTO {table} (person_id, household_id, birth_date, schooling, medical_insurance)"
        f" SELECT p.id, p.household_id, p.birth_date, p.schooling, p.medical_insurance FROM {person} p"
        f" WHERE p.living_status = %s AND {scope_sql} AND (p.medical_insurance = %s"
        f" OR (p.schooling IN ({out_of_school}) AND {born} <= %s AND {born} > %s))",
        [LivingStatus.ALIVE.value, *scope_params, False, _date(years_before(ctx.as_of, p.school_age_min)),
         _date(years_before(ctx.as_of, p.school_age_max + 1))],
    )


PREPARED = {
    "latest_income": (LatestIncome._meta.db_table, build_latest_income),
    "income_change": (IncomeChange._meta.db_table, build_income_change),
    "members": (MemberSummary._meta.db_table, build_member_summary),
    "member_flags": (MemberFlag._meta.db_table, build_member_flags),
}
