"""Storage spellings the customers list needs: a name prefix as each engine reads it fastest,
``COUNT(*)``, and rows as plain tuples."""

from __future__ import annotations

from typing import Any

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import database_proxy

_HIGHEST = "\U0010ffff"


def starts_with(column: peewee.Field, key: str) -> peewee.Expression:
    """``column`` starts with ``key``: an index range on SQLite, ``LIKE`` elsewhere."""
    if is_sqlite(database_proxy.obj):
        return (column >= key) & (column < key + _HIGHEST)
    return column.startswith(key)


def count_rows() -> peewee.Function:
    """``COUNT(*)``: how many rows a select finds."""
    return peewee.fn.COUNT(peewee.SQL("*"))


def tuple_rows(query: peewee.SelectBase) -> list[tuple[Any, ...]]:
    """Every row of ``query`` as a plain tuple (the driver's values, untyped)."""
    rows: list[tuple[Any, ...]] = list(query.tuples().execute())
    return rows
