"""Set-based reads and writes for the import's hot path.

`insert_rows` is bulk_create without the per-object ORM work: COPY (PostgreSQL) or one prepared INSERT
executed for every row (SQLite) over plain values; when the caller needs the new primary keys back they
are reserved first and inserted as given (keyed by a natural key, so their order does not matter). Values are adapted once per column type
with the backend's own adapters, so SQLite and PostgreSQL store exactly what the ORM would; model
defaults fill the columns a row leaves out. `update_rows` is bulk_update as one prepared UPDATE executed
for every row (Django's bulk_update builds a CASE expression per field and row, which costs more than the
database does). `select_in` reads rows whose key is in a long list, in chunks, without compiling an ORM
lookup per value.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction

KEYS_PER_SELECT = 2000


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _memoised(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memoised(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        return _memoised(lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places))
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_value stores (json.dumps with the field's encoder), minus its layers,
        # one encoder for all values, and compact: no padding, Chinese as UTF-8 rather than \u escapes
        # (the same JSON values; an audit entry's text is a third shorter).
        return (field.encoder or json.JSONEncoder)(ensure_ascii=False, separators=(",", ":")).encode
    return None


def _memoised(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Adapted values are cached: a batch shares one timestamp and few distinct dates and amounts."""
    cache: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            cache[value] = adapted = adapt(value)
            return adapted

    return cached


def concrete(model: type[models.Model], name: str) -> models.Field:
    """A concrete field by name or attname (typed for the callers)."""
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _row_values(plan: list[tuple[str, Any, Callable[[Any], Any] | None]]
                ) -> tuple[Callable[[Mapping[str, Any]], list[Any]], list[tuple[int, Callable[[Any], Any]]]]:
    """A function giving a row's values in column order (defaults filled in), and which columns to adapt:
    the per-value work is done by dict and itemgetter in C, only the few adapted columns in Python."""
    defaults = {name: default for name, default, _adapt in plan}
    pick = operator.itemgetter(*(name for name, _default, _adapt in plan))

    def values_of(row: Mapping[str, Any]) -> list[Any]:
        found = pick({**defaults, **row})
        return list(found) if len(plan) > 1 else [found]

    return values_of, [(i, adapt) for i, (_name, _default, adapt) in enumerate(plan) if adapt is not None]


def insert_rows(model: type[models.Model], rows: Iterable[Mapping[str, Any]],
                returning: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """INSERT every row (attname -> value; missing names take the field default).

    Returns the `returning` columns (attnames) of every inserted row, in no particular order. When the
    caller wants any back, the new primary keys are reserved first (`_reserve_ids`) and inserted as
    given, so no RETURNING is needed: PostgreSQL loads the rows by COPY, SQLite by one prepared INSERT
    executed for every row (cheaper than multi-row statements, which SQLite parses anew each time)."""
    meta = model._meta
    rows = list(rows)
    if not rows:
        return []
    # The reserved ids must stay ours until the rows are in: one transaction for both (the caller's, if any).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor, connection.wrap_database_errors:
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        plan = [(f.attname, f.get_default(), _adapter(f)) for f in fields]
        values_of, adapters = _row_values(plan)
        params = []
        for row in rows:
            values = values_of(row)
            for i, adapt in adapters:
                if values[i] is not None:
                    values[i] = adapt(values[i])
            params.append(values)
        ids: list[int] = []
        if returning:  # the reserved primary key goes first; else the database gives it
            ids = _reserve_ids(cursor, model, len(rows))
            for values, pk in zip(params, ids, strict=True):
                values.insert(0, pk)
            fields.insert(0, meta.pk)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in fields)
        if connection.vendor == "postgresql":
            # COPY goes to psycopg directly; wrap_database_errors turns its errors into Django's
            # (IntegrityError, ...) as for any query, so the caller sees a refused batch.
            with cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from the model
                for values in params:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})", params)  # noqa: S608
    if not returning:
        return []
    pk_name = meta.pk.attname
    return [tuple(pk if name == pk_name else row[name] for name in returning)
            for row, pk in zip(rows, ids, strict=True)]


def _reserve_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for model, as the database would hand them out. PostgreSQL draws them from
    the table's sequence; SQLite (AUTOINCREMENT tables: ids are never reused while stored) continues from
    the highest id ever given, under the write lock the transaction holds, and moves its counter past
    the ones we insert by itself."""
    meta = model._meta
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, count])
        return [r[0] for r in cursor.fetchall()]
    qn = connection.ops.quote_name
    cursor.execute(f"SELECT MAX(x) FROM (SELECT MAX({qn(meta.pk.column)}) AS x FROM {qn(meta.db_table)} "  # noqa: S608
                   "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)", [meta.db_table])
    start = cursor.fetchone()[0] or 0
    return list(range(start + 1, start + 1 + count))


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """UPDATE the given fields (attnames) of every row, keyed by its "pk", in one executemany."""
    meta = model._meta
    targets = [concrete(model, name) for name in fields]
    adapters = [_adapter(f) for f in targets]
    params = []
    for row in rows:
        values = [row[f.attname] for f in targets]
        params.append([adapt(v) if adapt is not None and v is not None else v
                       for v, adapt in zip(values, adapters, strict=True)] + [row["pk"]])
    if not params:
        return 0
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in targets)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def select_in(sql: str, keys: Iterable[Any], *, params: Sequence[Any] = ()) -> Iterable[tuple[Any, ...]]:
    """Rows of `sql` (which ends in `IN ({keys})`) for every key, KEYS_PER_SELECT keys per query.

    `params` are the parameters before the IN list."""
    keys = list(keys)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), KEYS_PER_SELECT):
            chunk = keys[start:start + KEYS_PER_SELECT]
            cursor.execute(sql.format(keys=", ".join(["%s"] * len(chunk))), [*params, *chunk])
            yield from cursor.fetchall()
