"""Compiling a ``NoteQuery`` against a settings snapshot into the storage's ``Plan``.

The plan (levels, predicates, search words) is plain data; how it is walked is the
storage's business (``crm_tui.db.notes_query.plan``).
"""

from __future__ import annotations

import datetime as dt

from crm_tui import clock
from crm_tui.db.notes_query.plan import Level, Plan
from crm_tui.domain.query.columns import column_for
from crm_tui.domain.query.preds import compile_conditions
from crm_tui.domain.text import search_tokens
from crm_tui.note_query import NoteQuery
from crm_tui.records import Settings


def compile_plan(
    query: NoteQuery, settings: Settings, today: dt.date, now_utc: dt.datetime | None = None
) -> Plan:
    """Check ``query`` against ``settings`` and cut it into levels and predicates.

    A sort key whose column an ``=`` condition pins to one value orders nothing and is
    dropped, as is a repeated one. ``now_utc`` (default: now) decides who is callable and
    the order of local times.
    """
    now_utc = now_utc or clock.utc_now()
    preds = tuple(compile_conditions(query.conditions, settings, today, now_utc))
    pinned = {p.column.id for p in preds if p.pins}
    levels: list[Level] = []
    seen: set[str] = set()
    for key in query.sort:
        column = column_for(key.column, settings, now_utc)
        if column.id in seen or column.id in pinned:
            continue
        seen.add(column.id)
        levels.append(Level(len(levels), column, key.descending))
    tokens = tuple(dict.fromkeys(search_tokens(query.search or "")))
    return Plan(tuple(levels), preds, tokens)
