"""``NotePager``: a notes query checked against the settings and paged through.

The query is compiled here (columns resolved, conditions checked and typed); the
storage (``crm_tui.db.notes_query``) walks it, by keyset, at any scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import peewee

from crm_tui import clock
from crm_tui.db.notes_query import NotePages, StatementHook
from crm_tui.domain.query.plan import compile_plan
from crm_tui.domain.query.row_values import ValueFormats
from crm_tui.note_query import Cursor, NoteQuery, Page
from crm_tui.records import NoteRow, Settings


class NotePager:
    """The notes matching a query, in its order, over a settings snapshot.

    Nothing is fetched up front: each call runs the few index walks it needs. Cursors
    from ``page``/``page_before``/``checkpoints`` are valid for any ``NotePager`` of the
    same query and settings, and survive notes being added, changed or deleted.
    A query that does not fit the settings raises ``ValidationError`` here.
    ``now_utc`` (naive UTC, default: now) is the time at which customers are callable
    (``callable=yes``) and local times ordered (``local_time``), fixed for the pager.
    ``statement_hook``, if given, sees every statement before it runs (for tests and
    tracing).
    """

    def __init__(
        self,
        query: NoteQuery,
        settings: Settings,
        today: dt.date | None = None,
        *,
        now_utc: dt.datetime | None = None,
        database: peewee.Database | None = None,
        statement_hook: StatementHook | None = None,
    ) -> None:
        self.query = query
        self.settings = settings
        self.today = today or dt.date.today()
        self.now_utc = now_utc or clock.utc_now()
        self.plan = compile_plan(query, settings, self.today, self.now_utc)
        self.pages = NotePages(
            self.plan,
            settings,
            ValueFormats.shared(settings),
            database=database,
            statement_hook=statement_hook,
        )

    def first_page_is_instant(self) -> bool:
        """Whether the first page may be read on the UI thread (the storage knows it is
        one short index walk of a local file)."""
        return self.pages.first_page_is_instant()

    def count(self) -> int:
        """How many notes match (one indexed ``COUNT``; run it off the UI thread at scale)."""
        return self.pages.count()

    def page(self, after: Cursor | None = None, limit: int = 100) -> Page:
        """Up to ``limit`` rows just after ``after`` (from the first row when ``None``)."""
        return self.pages.page(after, limit)

    def page_at(self, at: Cursor, limit: int = 100) -> Page:
        """Up to ``limit`` rows from ``at``'s own row on (e.g. from a checkpoint)."""
        return self.page(at.inclusive(), limit)

    def page_before(self, before: Cursor, limit: int = 100) -> Page:
        """Up to ``limit`` rows just before ``before``, in list order (scrolling up)."""
        return self.pages.page_before(before, limit)

    def last_page(self, limit: int = 100) -> Page:
        """The last ``limit`` rows, in list order (the End key)."""
        return self.pages.last_page(limit)

    def iter_rows(self, batch: int = 1000) -> Iterator[NoteRow]:
        """Every row in order, fetched ``batch`` at a time (export)."""
        after: Cursor | None = None
        while True:
            page = self.page(after, batch)
            yield from page.rows
            if len(page.rows) < batch:
                return
            after = page.cursors[-1]

    def position(self, note_id: int, batch: int = 20_000) -> int | None:
        """Where note ``note_id`` is in the list (0: first), or ``None`` if the query leaves
        it out (its filters or search). Reads the keys in list order up to the note (about
        a second per million notes before it): run it in a worker."""
        return self.pages.position(note_id, batch)

    def checkpoints(self, every: int = 200) -> list[Cursor]:
        """Cursors of rows 0, ``every``, 2×``every``…: jump targets for ``page_at``.

        Reads every matching note's keys (about a second per million notes for one sort
        key; a few seconds with several): run it in a worker.
        """
        return self.pages.checkpoints(every)

    def ids_statement(self) -> tuple[str, list[object]]:
        """One statement selecting the id of every matching note (column ``id``)."""
        return self.pages.ids_statement()
