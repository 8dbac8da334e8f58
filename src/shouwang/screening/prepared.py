# ruff: noqa: S608 -- SQL text is built from constant table names and the scope's compiled SQL; values are parameters.
"""Relations prepared once per run and shared by several rules (temporary tables, dropped after the run).

Without them each income rule would look for the household's latest record again and each member rule
would walk every household's members again; with them the rules are plain filters. Both are built by one
GROUP BY pass over the registry, restricted to the run's scope, in SQL that SQLite and PostgreSQL share.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from shouwang.registry.choices import ABLE_TO_WORK, LivingStatus
from shouwang.registry.models import Disability, IncomeRecord, Person
from shouwang.screening.models import LatestIncome, MemberSummary


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def build_latest_income(cursor: Any, ctx: Any) -> None:
    income, table = _table(IncomeRecord), LatestIncome._meta.db_table
    scope_sql, scope_params = ctx.scope.household_condition("household_id")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (household_id bigint PRIMARY KEY, year integer NOT NULL,"
        " per_capita_income numeric NOT NULL, net_income numeric NOT NULL, rigid numeric NOT NULL,"
        " transfer_income numeric NOT NULL, gross numeric NOT NULL, previous_year integer NULL,"
        " previous_income numeric NULL)"
    )
    cursor.execute(
        f"INSERT INTO {table} SELECT r.household_id, r.year, r.per_capita_income, r.net_income,"
        " CASE WHEN r.medical_spending > r.insurance_claims THEN r.medical_spending - r.insurance_claims"
        " ELSE 0 END + r.education_spending, r.transfer_income,"
        " r.wage_income + r.business_income + r.property_income + r.transfer_income, p.year, p.per_capita_income"
        f" FROM (SELECT household_id, MAX(year) AS year FROM {income} WHERE year <= %s AND {scope_sql}"
        " GROUP BY household_id) m"
        f" JOIN {income} r ON r.household_id = m.household_id AND r.year = m.year"
        f" LEFT JOIN {income} p ON p.household_id = r.household_id AND p.year = (SELECT MAX(q.year) FROM {income} q"
        " WHERE q.household_id = r.household_id AND q.year < r.year)",
        [int(ctx.income_year), *scope_params],
    )


def build_member_summary(cursor: Any, ctx: Any) -> None:
    p = ctx.params
    person, disability, table = _table(Person), _table(Disability), MemberSummary._meta.db_table
    scope_sql, scope_params = ctx.scope.household_condition("p.household_id")
    from shouwang.screening.rules import years_before

    elderly_born = _date(years_before(ctx.as_of, p.elderly_age))
    working_oldest = _date(years_before(ctx.as_of, p.working_age_max + 1))
    working_youngest = _date(years_before(ctx.as_of, p.working_age_min))
    able = ", ".join(f"'{value}'" for value in ABLE_TO_WORK)  # constants from the code list
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (household_id bigint PRIMARY KEY, living integer NOT NULL,"
        " able integer NOT NULL, able_working_age integer NOT NULL, disabled integer NOT NULL,"
        " elderly integer NOT NULL, disabled_elderly integer NOT NULL)"
    )
    # Members are counted in one scan of the persons; disabled members in a second, much smaller pass
    # driven by the certificates, so the million persons need no join.
    cursor.execute(
        f"INSERT INTO {table} SELECT m.household_id, m.living, m.able, m.able_working_age,"
        " COALESCE(d.disabled, 0), m.elderly, COALESCE(d.disabled_elderly, 0) FROM"
        " (SELECT p.household_id, COUNT(*) AS living,"
        f" SUM(CASE WHEN p.labour_capacity IN ({able}) THEN 1 ELSE 0 END) AS able,"
        f" SUM(CASE WHEN p.labour_capacity IN ({able}) AND p.birth_date <= %s AND p.birth_date > %s THEN 1 ELSE 0 END)"
        " AS able_working_age, SUM(CASE WHEN p.birth_date <= %s THEN 1 ELSE 0 END) AS elderly"
        f" FROM {person} p WHERE p.living_status = %s AND {scope_sql} GROUP BY p.household_id) m"
        " LEFT JOIN (SELECT p.household_id, COUNT(*) AS disabled,"
        " SUM(CASE WHEN p.birth_date <= %s THEN 1 ELSE 0 END) AS disabled_elderly"
        f" FROM {disability} d JOIN {person} p ON p.id = d.person_id WHERE p.living_status = %s AND {scope_sql}"
        " GROUP BY p.household_id) d ON d.household_id = m.household_id",
        [working_youngest, working_oldest, elderly_born, LivingStatus.ALIVE.value, *scope_params,
         elderly_born, LivingStatus.ALIVE.value, *scope_params],
    )


PREPARED = {
    "latest_income": (LatestIncome._meta.db_table, build_latest_income),
    "members": (MemberSummary._meta.db_table, build_member_summary),
}
