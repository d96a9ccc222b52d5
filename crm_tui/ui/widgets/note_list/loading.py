"""How ``NoteTable`` loads rows: async workers that await the domain off the UI thread.

A mixin of the table: it starts the count, the first blocks and the checkpoints of a
query, fetches blocks that come into view, and swaps in a new query's rows once they
arrive. Each worker ``await``s ``off_thread(...)`` and then, back on the UI loop, hands
the answer on, unless a newer query was asked for meanwhile (its generation is stale).
"""

from __future__ import annotations

from textual import work
from textual.strip import Strip
from textual.timer import Timer

from crm_tui.domain.query import NotePager, Page
from crm_tui.note_query import Cursor
from crm_tui.records import NoteRow
from crm_tui.ui.background import off_thread
from crm_tui.ui.widgets.note_list.blocks import Fetch
from crm_tui.ui.widgets.note_list.row_source import ListState, RowSource, load_pages
from crm_tui.ui.widgets.virtual_list import VirtualList

PREFETCH_ROWS = 20
"""Rows above and below the screen loaded ahead (at least a screenful), so scrolling
rarely waits."""

SLOW_LOAD = 0.4
"""Seconds before a query still loading covers the old rows with a loading indicator."""


class TableLoading(VirtualList[NoteRow, Cursor]):
    """Loading behaviour of ``NoteTable`` (see the module docstring)."""

    _source: RowSource
    _load_scheduled: bool
    _cursor_after_count: int | None
    _opening: bool
    _slow_timer: Timer | None
    _header: Strip | None

    def _see_values(self, blocks: list[tuple[int, Page]], *, fresh: bool = False) -> bool:
        """Note the widest values of rows that arrived; whether a column must widen."""
        raise NotImplementedError

    def _relayout(self) -> None:
        """Lay the columns out again (new rows, new widths)."""
        raise NotImplementedError

    def _update_virtual_size(self) -> None:
        """Make the scrollable area fit the columns and the rows."""
        raise NotImplementedError

    def _report_failure(self, problem: str) -> None:
        """Tell the screen the list could not be read (``problem``: the user's message)."""
        raise NotImplementedError

    def _start(self, note_list: NotePager, *, keep_note_id: int | None, keep_index: int) -> None:
        state, plans = self._source.begin(note_list, keep_note_id, keep_index)
        self._count_rows(state.generation, note_list)
        if self._opening and note_list.first_page_is_instant():
            # The first screen of the plain newest-first list: one index walk of a few
            # milliseconds, read here so that it is in the first frames instead of waiting
            # for a worker's turn while those frames are drawn.
            self._opening = False
            try:
                self.call_later(self._rows_loaded, state.generation, load_pages(note_list, plans))
            except Exception:
                self._fetch(state.generation, note_list, plans)
        else:
            self._fetch(state.generation, note_list, plans)
        if self._slow_timer is not None:
            self._slow_timer.stop()
        self._slow_timer = self.set_timer(SLOW_LOAD, self._slow_load)

    def _slow_load(self) -> None:
        """A query is taking long: say so rather than show the old rows as its own."""
        if self._source.incoming is not None:
            self.loading = True

    def _loaded(self) -> None:
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None
        self.loading = False

    def _wanted_rows(self) -> list[int]:
        total = self._source.total
        if total == 0:
            return []
        top = round(self.scroll_y)
        height = self.body_height
        bottom = top + height
        ahead = max(PREFETCH_ROWS, height)  # a page ahead: page up/down never wait
        return [
            max(0, top - ahead),
            min(total - 1, top),
            min(total - 1, bottom + ahead),
            min(total - 1, self.cursor_row),
        ]

    def _want_visible(self) -> None:
        if not self._load_scheduled and self._source.wants(self._wanted_rows()):
            self._load_scheduled = True
            self.call_later(self._load_missing)

    def _load_missing(self) -> None:
        self._load_scheduled = False
        plans, needs_checkpoints = self._source.missing(self._wanted_rows())
        state = self._source.state
        if state is None:
            return
        if plans:
            self._fetch(state.generation, state.note_list, plans)
        if needs_checkpoints:
            self._build_checkpoints(state.generation, state.note_list)

    @work(group="note-table-fetch", exit_on_error=False)
    async def _fetch(self, generation: int, note_list: NotePager, plans: list[Fetch]) -> None:
        """Fetch blocks off the UI thread (every fetch runs to its end: one cancelled by
        the next would be asked again, and cancel that one in turn)."""
        try:
            loaded = await off_thread(load_pages, note_list, plans)
        except Exception as error:
            self._rows_failed(generation, str(error), [p.block for p in plans])
            return
        self._rows_loaded(generation, loaded)

    @work(exclusive=True, group="note-table-count", exit_on_error=False)
    async def _count_rows(self, generation: int, note_list: NotePager) -> None:
        """Count the matching notes off the UI thread."""
        try:
            count = await off_thread(note_list.count)
        except Exception as error:
            self._rows_failed(generation, str(error), [])
            return
        self._rows_counted(generation, count)

    @work(exclusive=True, group="note-table-checkpoints", exit_on_error=False)
    async def _build_checkpoints(self, generation: int, note_list: NotePager) -> None:
        """Build the jump table (every block's first cursor) off the UI thread."""
        try:
            checkpoints = await off_thread(note_list.checkpoints, every=self._source.cache.size)
        except Exception:
            return  # far jumps keep showing placeholders; nothing else depends on it
        self._checkpoints_built(generation, checkpoints)

    def _rows_loaded(self, generation: int, blocks: list[tuple[int, Page]]) -> None:
        """Blocks arrived: show them (or, for a new query, swap the whole list)."""
        source = self._source
        state = source.state_for(generation)
        if state is None:
            return
        if state is source.incoming:
            self._promote(state, blocks)
            return
        if source.add(state, blocks):
            self._counted()
        if self._see_values(blocks):
            self._relayout()  # a wider number or amount: its column widens
        self.clear_lines()
        self._update_virtual_size()
        self.announce_highlight()
        self.refresh()

    def _promote(self, state: ListState, blocks: list[tuple[int, Page]]) -> None:
        old_top = round(self.scroll_y)
        cursor = self._source.promote(state, blocks)
        self._loaded()
        self.clear_lines()
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
            self.scroll_to_cursor()
        if state.count is not None:
            self._counted()
        self.announce_highlight()
        self.refresh()

    def _rows_counted(self, generation: int, count: int) -> None:
        """The count of a list arrived."""
        state = self._source.state_for(generation)
        if state is None:
            return
        state.count = count
        if state is self._source.state:
            self._counted()

    def _counted(self) -> None:
        state = self._source.state
        if state is None:
            return
        count = state.count or 0
        self._update_virtual_size()
        wanted = self._cursor_after_count
        if wanted is not None and state.count is not None:
            self._cursor_after_count = None
            self.cursor_row = max(0, min(wanted, count - 1))
            self.scroll_to_cursor()
            self.announce_highlight()
        if count and self.cursor_row >= count:
            self.cursor_row = count - 1
        self.post_message(self.Counted(self, count))
        self.refresh()

    def _checkpoints_built(self, generation: int, checkpoints: list[Cursor]) -> None:
        """Far rows can be fetched now."""
        state = self._source.state_for(generation)
        if state is not None:
            state.checkpoints = checkpoints
            self.refresh()

    def _rows_failed(self, generation: int, problem: str, blocks: list[int]) -> None:
        """Say why the list could not be read."""
        incoming = self._source.incoming
        if self._source.failed(generation, blocks):
            if incoming is not None and self._source.incoming is None:
                self._loaded()
            self._report_failure(problem)
