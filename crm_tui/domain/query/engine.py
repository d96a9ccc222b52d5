"""``NoteList``: a compiled notes query, paged by keyset over the segment walk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import database_proxy
from crm_tui.domain.query.plan import Fix, Level, Segment, compile_plan, segments
from crm_tui.domain.query.rows import key_reader, note_row, page_values
from crm_tui.domain.query.spec import Cursor, NoteQuery, Page
from crm_tui.domain.query.sql import KEYS, ROWS, SegmentSql
from crm_tui.domain.records import NoteRow, Settings

StatementHook = Callable[[str, Sequence[object]], None]
_Fetched = list[tuple[Sequence[object], Cursor]]


class NoteList:
    """The notes matching a query, in its order, over a settings snapshot.

    Nothing is fetched up front: each call runs the few index walks it needs. Cursors
    from ``page``/``page_before``/``checkpoints`` are valid for any ``NoteList`` of the
    same query and settings, and survive notes being added, changed or deleted.
    ``statement_hook``, if given, sees every statement before it runs (for tests and
    tracing).
    """

    def __init__(
        self,
        query: NoteQuery,
        settings: Settings,
        today: dt.date | None = None,
        *,
        database: peewee.Database | None = None,
        statement_hook: StatementHook | None = None,
    ) -> None:
        self.query = query
        self.settings = settings
        self.today = today or dt.date.today()
        self._database = database
        self.plan = compile_plan(query, settings, self.today)
        self.statement_hook = statement_hook
        self._sql: SegmentSql | None = None
        self._readers = {level.index: key_reader(level.column) for level in self.plan.levels}

    # --- plumbing -------------------------------------------------------------------

    @property
    def database(self) -> peewee.Database:
        """The database queried (the models' one unless given)."""
        return self._database or database_proxy.obj

    @property
    def sql(self) -> SegmentSql:
        """The statement builder for this list's engine."""
        if self._sql is None:
            self._sql = SegmentSql(self.plan, is_sqlite(self.database))
        return self._sql

    def _run(self, sql: str, params: Sequence[object]) -> list[Sequence[object]]:
        if self.statement_hook is not None:
            self.statement_hook(sql, params)
        return self.database.execute_sql(sql, params).fetchall()

    def _next_key(
        self, level: Level, fixes: tuple[Fix, ...], after: object, forward: bool
    ) -> object:
        rows = self._run(*self.sql.next_key(level, fixes, after, forward))
        return self._readers[level.index](rows[0]) if rows else None

    def _fetch(self, segment: Segment, mode: str, limit: int) -> _Fetched:
        rows = self._run(*self.sql.segment(segment, mode, limit))
        fixed = tuple(key for _level, key in segment.fixes)
        if segment.span is None:
            return [(row, Cursor(fixed, row[0])) for row in rows]  # type: ignore[arg-type]
        read = self._readers[segment.span.index]
        return [(row, Cursor((*fixed, read(row)), row[0])) for row in rows]  # type: ignore[arg-type]

    def _collect(self, cursor: Cursor | None, forward: bool, limit: int, mode: str) -> _Fetched:
        """Up to ``limit`` rows after (forward) or before ``cursor``, in walk order."""
        found: _Fetched = []
        if limit <= 0:
            return found
        for segment in segments(self.plan, cursor, forward, self._next_key):
            found.extend(self._fetch(segment, mode, limit - len(found)))
            if len(found) >= limit:
                break
        return found

    def _page(self, fetched: _Fetched) -> Page:
        ids = [row[0] for row, _cursor in fetched]
        values = page_values(self._run, ids, self.settings, "?" if self.sql.sqlite else "%s")
        rows = [note_row(row, values[row[0]]) for row, _cursor in fetched]  # type: ignore[index]
        return Page(rows, [cursor for _row, cursor in fetched])

    # --- public ---------------------------------------------------------------------

    def count(self) -> int:
        """How many notes match (one indexed ``COUNT``; run it off the UI thread at scale)."""
        rows = self._run(*self.sql.count())
        return int(rows[0][0])

    def page(self, after: Cursor | None = None, limit: int = 100) -> Page:
        """Up to ``limit`` rows just after ``after`` (from the first row when ``None``)."""
        return self._page(self._collect(after, True, limit, ROWS))

    def page_at(self, at: Cursor, limit: int = 100) -> Page:
        """Up to ``limit`` rows from ``at``'s own row on (e.g. from a checkpoint)."""
        return self.page(at.inclusive(), limit)

    def page_before(self, before: Cursor, limit: int = 100) -> Page:
        """Up to ``limit`` rows just before ``before``, in list order (scrolling up)."""
        fetched = self._collect(before, False, limit, ROWS)
        fetched.reverse()
        return self._page(fetched)

    def last_page(self, limit: int = 100) -> Page:
        """The last ``limit`` rows, in list order (the End key)."""
        fetched = self._collect(None, False, limit, ROWS)
        fetched.reverse()
        return self._page(fetched)

    def iter_rows(self, batch: int = 1000) -> Iterator[NoteRow]:
        """Every row in order, fetched ``batch`` at a time (export)."""
        after: Cursor | None = None
        while True:
            page = self.page(after, batch)
            yield from page.rows
            if len(page.rows) < batch:
                return
            after = page.cursors[-1]

    def checkpoints(self, every: int = 200) -> list[Cursor]:
        """Cursors of rows 0, ``every``, 2×``every``…: jump targets for ``page_at``.

        Walks only keys, in big batches; at a million notes it takes about a second, so
        run it in a worker thread.
        """
        every = max(1, every)
        marks: list[Cursor] = []
        after: Cursor | None = None
        position = 0
        batch = max(every, 5000)
        while True:
            fetched = self._collect(after, True, batch, KEYS)
            for _row, cursor in fetched:
                if position % every == 0:
                    marks.append(cursor)
                position += 1
            if len(fetched) < batch:
                return marks
            after = fetched[-1][1]
