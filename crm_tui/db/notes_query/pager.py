"""``NotePages``: a compiled notes query, paged by keyset over the segment walk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import database_proxy
from crm_tui.db.notes_query.decode import (
    Row,
    StoredValue,
    StoredValues,
    ValueFormatter,
    key_reader,
    note_row,
    zones_by_option,
)
from crm_tui.db.notes_query.plan import NAMED, Fix, Level, Plan, Segment, segments
from crm_tui.db.notes_query.statements import KEYS, ROWS, SegmentSql
from crm_tui.db.search_index import sqlite_match
from crm_tui.note_query import Cursor, Page
from crm_tui.records import Settings

StatementHook = Callable[[str, Sequence[object]], None]
_Chunks = list[tuple[Segment, list[Row]]]


class NotePages:
    """The notes matching a compiled plan, in its order, over a settings snapshot.

    Nothing is fetched up front: each call runs the few index walks it needs. Cursors
    from ``page``/``page_before``/``checkpoints`` are valid for any ``NotePages`` of the
    same plan and settings, and survive notes being added, changed or deleted.
    ``format_values`` turns a page's stored values into the values shown.
    ``statement_hook``, if given, sees every statement before it runs (for tests and
    tracing).
    """

    def __init__(
        self,
        plan: Plan,
        settings: Settings,
        format_values: ValueFormatter,
        *,
        database: peewee.Database | None = None,
        statement_hook: StatementHook | None = None,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.format_values = format_values
        self._database = database
        self.statement_hook = statement_hook
        self._sql: SegmentSql | None = None
        self._stored: StoredValues | None = None
        self._readers = {level.index: key_reader(level.column) for level in self.plan.levels}
        self._zones = zones_by_option(settings)

    # --- plumbing -------------------------------------------------------------------

    @property
    def database(self) -> peewee.Database:
        """The database queried (the models' one unless given)."""
        return self._database or database_proxy.obj

    @property
    def sql(self) -> SegmentSql:
        """The statement builder for this list's engine."""
        if self._sql is None:
            sqlite = is_sqlite(self.database)
            match = None
            if sqlite and self.plan.tokens:
                match = sqlite_match(self.database, self.plan.tokens)
            self._sql = SegmentSql(self.plan, sqlite, match)
        return self._sql

    def _run(self, sql: str, params: Sequence[object]) -> list[Row]:
        if self.statement_hook is not None:
            self.statement_hook(sql, params)
        rows: list[Row] = self.database.execute_sql(sql, params).fetchall()
        return rows

    def _next_key(
        self, level: Level, fixes: tuple[Fix, ...], after: object, forward: bool
    ) -> object:
        rows = self._run(*self.sql.next_key(level, fixes, after, forward))
        return self._readers[level.index](rows[0]) if rows else None

    def _cursor(self, segment: Segment, row: Row) -> Cursor:
        """The cursor of a row fetched by ``segment``: its fixed keys, span key and id."""
        fixed = tuple(key for _level, key in segment.fixes)
        if segment.span is not None:
            fixed = (*fixed, self._readers[segment.span.index](row))
        return Cursor(fixed, row[0])

    def _collect(self, cursor: Cursor | None, forward: bool, limit: int, mode: str) -> _Chunks:
        """Up to ``limit`` rows after (forward) or before ``cursor``, in walk order, by segment."""
        chunks: _Chunks = []
        total = 0
        if limit <= 0:
            return chunks
        for segment in segments(self.plan, cursor, forward, self._next_key):
            rows = self._run(*self.sql.segment(segment, mode, limit - total))
            if rows:
                chunks.append((segment, rows))
                total += len(rows)
            if total >= limit:
                break
        return chunks

    def _page(self, chunks: _Chunks, reverse: bool = False) -> Page:
        fetched: list[Row] = []
        cursors: list[Cursor] = []
        for segment, rows in chunks:
            fixed = tuple(key for _level, key in segment.fixes)
            if segment.span is None:
                cursors.extend(Cursor(fixed, row[0]) for row in rows)
            else:
                read = self._readers[segment.span.index]
                cursors.extend(Cursor((*fixed, read(row)), row[0]) for row in rows)
            fetched.extend(rows)
        if reverse:
            fetched.reverse()
            cursors.reverse()
        note_ids: list[int] = [row[0] for row in fetched]
        stored: Iterable[StoredValue] = ()
        if note_ids and self.settings.variables:
            if self._stored is None:
                self._stored = StoredValues(self.settings, self.sql.sqlite)
            stored = self._stored.read(self._run, note_ids)
        values = self.format_values(note_ids, stored)
        zones = self._zones
        return Page([note_row(row, values[row[0]], zones) for row in fetched], cursors)

    # --- public ---------------------------------------------------------------------

    def first_page_is_instant(self) -> bool:
        """Whether the first page is one short index walk, quick enough for the UI thread:
        the plain newest-first list (no sort, condition or search word) on SQLite, whose
        reads do not wait on a server."""
        plain = not (self.plan.levels or self.plan.preds or self.plan.tokens)
        return plain and is_sqlite(self.database)

    def ids_statement(self) -> tuple[str, list[object]]:
        """One statement selecting the id of every matching note (column ``id``), unordered:
        for a caller that copies the ids into the database, never through Python."""
        return self.sql.ids()

    def count(self) -> int:
        """How many notes match (one indexed ``COUNT``; run it off the UI thread at scale)."""
        rows = self._run(*self.sql.count())
        return int(rows[0][0])

    def page(self, after: Cursor | None = None, limit: int = 100) -> Page:
        """Up to ``limit`` rows just after ``after`` (from the first row when ``None``)."""
        return self._page(self._collect(after, True, limit, ROWS))

    def page_before(self, before: Cursor, limit: int = 100) -> Page:
        """Up to ``limit`` rows just before ``before``, in list order (scrolling up)."""
        return self._page(self._collect(before, False, limit, ROWS), reverse=True)

    def last_page(self, limit: int = 100) -> Page:
        """The last ``limit`` rows, in list order (the End key)."""
        return self._page(self._collect(None, False, limit, ROWS), reverse=True)

    def position(self, note_id: int, batch: int = 20_000) -> int | None:
        """Where note ``note_id`` is in the list (0: first), or ``None`` if the query leaves
        it out (its filters or search). Reads the keys in list order up to the note (about
        a second per million notes before it): run it in a worker."""
        if not self._run(*self.sql.member(note_id)):
            return None
        after: Cursor | None = None
        position = 0
        while True:
            chunks = self._collect(after, True, batch, KEYS)
            for _segment, rows in chunks:
                for offset, row in enumerate(rows):
                    if row[0] == note_id:
                        return position + offset
                position += len(rows)
            if not chunks or sum(len(rows) for _segment, rows in chunks) < batch:
                return None
            last_segment, last_rows = chunks[-1]
            after = self._cursor(last_segment, last_rows[-1])

    def checkpoints(self, every: int = 200) -> list[Cursor]:
        """Cursors of rows 0, ``every``, 2×``every``…: jump targets for ``page_at``.

        Reads every matching note's keys (about a second per million notes for one sort
        key; a few seconds with several, read by one sorted scan): run it in a worker.
        """
        every = max(1, every)
        if len(self.plan.levels) >= 2:
            return self._checkpoints_by_scan(every)
        marks: list[Cursor] = []
        after: Cursor | None = None
        position = 0
        batch = max(every, 20_000)
        while True:
            chunks = self._collect(after, True, batch, KEYS)
            for segment, rows in chunks:
                first = -position % every
                marks.extend(self._cursor(segment, row) for row in rows[first::every])
                position += len(rows)
            if not chunks or sum(len(rows) for _segment, rows in chunks) < batch:
                return marks
            last_segment, last_rows = chunks[-1]
            after = self._cursor(last_segment, last_rows[-1])

    def _checkpoints_by_scan(self, every: int) -> list[Cursor]:
        """The checkpoints of a sort of several keys, from one sorted read of every key."""
        sql, params = self.sql.full_scan()
        if self.statement_hook is not None:
            self.statement_hook(sql, params)
        ends: list[tuple[int, Callable[[Row], object]]] = []
        end = 1
        for level in self.plan.levels:
            end += 2 if level.column.kind == NAMED else 1
            ends.append((end, self._readers[level.index]))
        marks: list[Cursor] = []
        position = 0
        for rows in self._stream(sql, params):
            for row in rows[-position % every :: every]:
                keys = tuple(
                    None if row[end - 1] is None else read(row[:end]) for end, read in ends
                )
                marks.append(Cursor(keys, row[0]))
            position += len(rows)
        return marks

    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[list[Row]]:
        """The rows of a big statement in batches, never all in memory at once."""
        database = self.database
        if self.sql.sqlite:
            found = database.execute_sql(sql, params)
            while rows := found.fetchmany(10_000):
                yield rows
            return
        with database.atomic():  # a server-side cursor lives in a transaction
            found = database.connection().cursor(name="crm_note_checkpoints")
            try:
                found.execute(sql, params)
                while rows := found.fetchmany(10_000):
                    yield rows
            finally:
                found.close()
