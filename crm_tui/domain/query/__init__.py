"""The notes query engine: sort, filter and search notes, paged by keyset at any scale.

``NoteQuery`` says what to show, ``parse_sort``/``parse_condition`` read it as users type
it, and ``NotePager`` pages through the result (``crm_tui.db.notes_query`` walks it).
"""

from crm_tui.domain.query.engine import NotePager
from crm_tui.domain.query.parse import parse_condition, parse_sort, resolve_column, sort_columns
from crm_tui.note_query import (
    BUILTIN_COLUMNS,
    OVERDUE,
    Condition,
    Cursor,
    NoteQuery,
    Page,
    SortKey,
    variable_column,
)

__all__ = [
    "BUILTIN_COLUMNS",
    "OVERDUE",
    "Condition",
    "Cursor",
    "NotePager",
    "NoteQuery",
    "Page",
    "SortKey",
    "parse_condition",
    "parse_sort",
    "resolve_column",
    "sort_columns",
    "variable_column",
]
