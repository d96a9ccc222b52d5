"""The storage side of the notes query: a compiled ``Plan`` walked by keyset, in SQL.

``plan`` holds the compiled query's plain data (columns as stored, predicates, levels)
and the segment walk; ``statements`` spells each segment as SQL for SQLite or
PostgreSQL; ``decode`` reads what the engines return; ``pager`` (``NotePages``) runs it.
The domain (``crm_tui.domain.query``) compiles a ``NoteQuery`` into a ``Plan``.
"""

from crm_tui.db.notes_query.pager import NotePages, StatementHook

__all__ = ["NotePages", "StatementHook"]
