"""SQL text shared by the set-based passes (screening, coverage) that write their own SQL.

SQLite declares Django's date columns `date`, which gives them NUMERIC affinity: comparing one with a
date parameter tries to read both ISO strings as numbers on every row before comparing them as text.
The passes over a million rows avoid that in two ways, the same on both sides."""

from __future__ import annotations

from django.db import connection


def date_as_stored(column: str) -> str:
    """A date column compared as stored: on SQLite the unary plus drops the column's affinity and the ISO
    strings compare as they are (the same order). Never on a term meant to seek an index: an expression
    is not the indexed column."""
    return f"+{column}" if connection.vendor == "sqlite" else column


def date_type() -> str:
    """The declared type of a date column in a table a pass builds: on SQLite `text`, so comparing it with
    a date parameter compares the ISO strings as they are."""
    return "text" if connection.vendor == "sqlite" else "date"
