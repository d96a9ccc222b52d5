"""Rows of peewee queries as plain tuples or dicts, typed as such.

Peewee's type stubs give ``.tuples()`` and ``.dicts()`` the model's type; these helpers
say what the rows are, so callers need no ``type: ignore``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import peewee


def tuple_rows(query: peewee.SelectBase) -> Iterable[tuple[Any, ...]]:
    """The rows of ``query`` as tuples, in the order of its selected columns."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())


def dict_rows(query: peewee.SelectBase) -> Iterable[dict[str, Any]]:
    """The rows of ``query`` as dicts by column name."""
    return cast(Iterable[dict[str, Any]], query.dicts())
