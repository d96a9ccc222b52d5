"""How ``NoteTable`` loads rows: thread workers that post plain data, and their handlers.

A mixin of the table (kept apart so each module stays small): it starts the count, the
first blocks and the checkpoints of a query, fetches blocks that come into view, and
swaps in a new query's rows once they arrive. Workers never touch widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from crm_tui.db.database import is_sqlite
from crm_tui.domain.query import NoteList, NoteQuery, Page
from crm_tui.ui.widgets.note_list.blocks import Fetch
from crm_tui.ui.widgets.note_list.row_source import (
    CheckpointsBuilt,
    ListState,
    RowsCounted,
    RowsFailed,
    RowsLoaded,
    RowSource,
    load_pages,
)

if TYPE_CHECKING:
    from crm_tui.ui.widgets.note_list.table import NoteTable

PREFETCH_ROWS = 20
"""Rows above and below the screen loaded ahead (at least a screenful), so scrolling
rarely waits."""

SLOW_LOAD = 0.4
"""Seconds before a query still loading covers the old rows with a loading indicator."""


class TableLoading:
    """Loading behaviour of ``NoteTable`` (see the module docstring)."""

    _source: RowSource
    _load_scheduled: bool
    _cursor_after_count: int | None
    _opening: bool
    _slow_timer: Timer | None

    def _start(
        self: NoteTable, note_list: NoteList, *, keep_note_id: int | None, keep_index: int
    ) -> None:
        state, plans = self._source.begin(note_list, keep_note_id, keep_index)
        self._count_rows(state.generation, note_list)
        if self._opening and is_sqlite(note_list.database) and note_list.query == NoteQuery():
            # The first screen of the plain newest-first list: one index walk of a few
            # milliseconds, read here so that it is in the first frames instead of waiting
            # for a worker's turn while those frames are drawn.
            self._opening = False
            try:
                self.post_message(RowsLoaded(state.generation, load_pages(note_list, plans)))
            except Exception:
                self._fetch(state.generation, note_list, plans)
        else:
            self._fetch(state.generation, note_list, plans)
        if self._slow_timer is not None:
            self._slow_timer.stop()
        self._slow_timer = self.set_timer(SLOW_LOAD, self._slow_load)

    def _slow_load(self: NoteTable) -> None:
        """A query is taking long: say so rather than show the old rows as its own."""
        if self._source.incoming is not None:
            self.loading = True

    def _loaded(self: NoteTable) -> None:
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None
        self.loading = False

    def _wanted_rows(self: NoteTable) -> list[int]:
        total = self._source.total
        if total == 0:
            return []
        top = round(self.scroll_y)
        height = self._body_height()
        bottom = top + height
        ahead = max(PREFETCH_ROWS, height)  # a page ahead: page up/down never wait
        return [
            max(0, top - ahead),
            min(total - 1, top),
            min(total - 1, bottom + ahead),
            min(total - 1, self.cursor_row),
        ]

    def _want_visible(self: NoteTable) -> None:
        if not self._load_scheduled and self._source.wants(self._wanted_rows()):
            self._load_scheduled = True
            self.call_later(self._load_missing)

    def _load_missing(self: NoteTable) -> None:
        self._load_scheduled = False
        plans, needs_checkpoints = self._source.missing(self._wanted_rows())
        state = self._source.state
        if state is None:
            return
        if plans:
            self._fetch(state.generation, state.note_list, plans)
        if needs_checkpoints:
            self._build_checkpoints(state.generation, state.note_list)

    @work(thread=True, exclusive=True, group="note-table-fetch", exit_on_error=False)
    def _fetch(self: NoteTable, generation: int, note_list: NoteList, plans: list[Fetch]) -> None:
        """Fetch blocks off the UI thread; post the rows back as plain data."""
        try:
            loaded = load_pages(note_list, plans)
        except Exception as error:
            self.post_message(RowsFailed(generation, str(error), [p.block for p in plans]))
            return
        self.post_message(RowsLoaded(generation, loaded))

    @work(thread=True, exclusive=True, group="note-table-count", exit_on_error=False)
    def _count_rows(self: NoteTable, generation: int, note_list: NoteList) -> None:
        """Count the matching notes off the UI thread."""
        try:
            count = note_list.count()
        except Exception as error:
            self.post_message(RowsFailed(generation, str(error), []))
            return
        self.post_message(RowsCounted(generation, count))

    @work(thread=True, exclusive=True, group="note-table-checkpoints", exit_on_error=False)
    def _build_checkpoints(self: NoteTable, generation: int, note_list: NoteList) -> None:
        """Build the jump table (every block's first cursor) off the UI thread."""
        try:
            checkpoints = note_list.checkpoints(every=self._source.cache.size)
        except Exception:
            return  # far jumps keep showing placeholders; nothing else depends on it
        self.post_message(CheckpointsBuilt(generation, checkpoints))

    def on_rows_loaded(self: NoteTable, message: RowsLoaded) -> None:
        """Blocks arrived: show them (or, for a new query, swap the whole list)."""
        source = self._source
        state = source.state_for(message.generation)
        if state is None:
            return
        if state is source.incoming:
            self._promote(state, message.blocks)
            return
        if source.add(state, message.blocks):
            self._counted()
        if self._see_values(message.blocks):
            self._relayout()  # a wider number or amount: its column widens
        self._strips.clear()
        self._update_virtual_size()
        self._announce_highlight()
        self.refresh()

    def _promote(self: NoteTable, state: ListState, blocks: list[tuple[int, Page]]) -> None:
        old_top = round(self.scroll_y)
        cursor = self._source.promote(state, blocks)
        self._loaded()
        self._strips.clear()
        self._header = None
        self._see_values(blocks, fresh=state.keep_note_id is None)
        self._relayout()  # the key columns and the widths follow the new rows
        self._update_virtual_size()
        self.cursor_row = max(0, min(cursor, self._source.total - 1))
        # A row past the rows known so far (a saved note far down) waits for the count.
        far = state.count is None and cursor > self.cursor_row
        self._cursor_after_count = cursor if far else None
        if state.keep_note_id is None:
            self.scroll_to(x=0, y=0, animate=False, force=True)
        else:
            self.scroll_to(y=old_top, animate=False, force=True)
            self._scroll_to_cursor()
        if state.count is not None:
            self._counted()
        self._announce_highlight()
        self.refresh()

    def on_rows_counted(self: NoteTable, message: RowsCounted) -> None:
        """The count of a list arrived."""
        state = self._source.state_for(message.generation)
        if state is None:
            return
        state.count = message.count
        if state is self._source.state:
            self._counted()

    def _counted(self: NoteTable) -> None:
        state = self._source.state
        if state is None:
            return
        count = state.count or 0
        self._update_virtual_size()
        wanted = self._cursor_after_count
        if wanted is not None and state.count is not None:
            self._cursor_after_count = None
            self.cursor_row = max(0, min(wanted, count - 1))
            self._scroll_to_cursor()
            self._announce_highlight()
        if count and self.cursor_row >= count:
            self.cursor_row = count - 1
        self.post_message(self.Counted(count))
        self.refresh()

    def on_checkpoints_built(self: NoteTable, message: CheckpointsBuilt) -> None:
        """Far rows can be fetched now."""
        state = self._source.state_for(message.generation)
        if state is not None:
            state.checkpoints = message.checkpoints
            self.refresh()

    def on_rows_failed(self: NoteTable, message: RowsFailed) -> None:
        """Say why the list could not be read."""
        incoming = self._source.incoming
        if self._source.failed(message.generation, message.blocks):
            if incoming is not None and self._source.incoming is None:
                self._loaded()
            self.post_message(self.Failed(message.problem))

    def on_worker_state_changed(self: NoteTable, event: Worker.StateChanged) -> None:
        """A fetch cancelled by a newer one: forget it was pending (it is asked again)."""
        if event.worker.group == "note-table-fetch" and event.state in (
            WorkerState.CANCELLED,
            WorkerState.ERROR,
        ):
            self._source.forget_pending()
            self.refresh()
