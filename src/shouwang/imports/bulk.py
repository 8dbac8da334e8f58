"""Set-based writes for the import's hot path.

`insert_rows` is bulk_create without the per-object ORM work: one INSERT executed with executemany over
plain tuples (Django's bulk_create compiles every value of every object, which costs more than the
database does at 100k rows). Values are adapted once per column type with the backend's own adapters, so
SQLite and PostgreSQL store exactly what the ORM would. Model defaults fill the columns a row leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from shouwang.registry.choices import LivingStatus, Relation
from shouwang.registry.models import Household, Person


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return None


def _memoised(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Adapted values are cached: a batch shares one timestamp and few distinct dates."""
    cache: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if value not in cache:
            cache[value] = adapt(value)
        return cache[value]

    return cached


def insert_rows(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """INSERT every row (attname -> value; missing names take the field default) in one executemany."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [f.get_default() for f in fields]
    adapters = [_adapter(f) for f in fields]
    names = [f.attname for f in fields]
    plan = list(zip(names, defaults, [_memoised(a) if a else None for a in adapters], strict=True))
    params = [
        tuple((adapt(row.get(name, default)) if adapt and row.get(name, default) is not None
               else row.get(name, default)) for name, default, adapt in plan)
        for row in rows
    ]
    if not params:
        return 0
    qn = connection.ops.quote_name
    # Table and column names come from the model; every value is a parameter.
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def household_counts_refresh(household_ids: list[int]) -> None:
    """The denormalised head name and member/disabled/severe counts, in one UPDATE for all the ids.

    Same figures as `registry.services.household_refresh_counts` (living members only; the living head
    first), which issues one UPDATE per household - too slow for an import of 100k rows."""
    if not household_ids:
        return
    living = Person.objects.filter(household=OuterRef("pk"), living_status=LivingStatus.ALIVE)

    def count(queryset: Any) -> Coalesce:
        return Coalesce(Subquery(queryset.order_by().values("household").annotate(n=Count("pk")).values("n")), 0)

    head = (Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD)
            .order_by("living_status").values("name")[:1])
    Household.objects.filter(pk__in=household_ids).update(
        member_count=count(living),
        disabled_count=count(living.filter(disability__isnull=False)),
        severe_count=count(living.filter(Q(disability__grade__lte=2))),
        head_name=Coalesce(Subquery(head), Value("")),
    )
