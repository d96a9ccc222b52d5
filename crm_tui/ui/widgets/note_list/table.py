"""``NoteTable``: a virtual list of notes that stays instant at a million rows.

A ``VirtualList`` whose rows are the notes of a query. ``render_line`` paints rows from a
small LRU of row blocks; missing blocks are fetched by keyset off the UI thread (see
``loading``), and rows not loaded yet are drawn as placeholders. Nothing sorts or filters
here: the order and the rows are the domain's (``crm_tui.domain.query.NotePager``).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from crm_tui.domain.query import NotePager, NoteQuery, Page
from crm_tui.i18n import N_
from crm_tui.records import NoteRow, Settings
from crm_tui.ui.widgets.call_light import LOCAL_COLUMN, LocalClock, clock_interval
from crm_tui.ui.widgets.note_list.blocks import NoteBlocks
from crm_tui.ui.widgets.note_list.columns import (
    PAINTED_PARTS,
    PaintStyles,
    RowPainter,
    TableLayout,
    filtered_columns,
    widest_values,
)
from crm_tui.ui.widgets.note_list.loading import TableLoading
from crm_tui.ui.widgets.note_list.row_source import RowSource
from crm_tui.ui.widgets.virtual_list import ListContext, VirtualList


class NoteTable(TableLoading):
    """The notes of a query, one line each, with a fixed header and a row cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINTED_PARTS)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first", N_("First note"), show=False, id="list.first"),
        Binding("end", "last", N_("Last note"), show=False, id="list.last"),
        Binding("left", "pan(-8)", N_("Scroll left"), show=False, id="note_table.left"),
        Binding("right", "pan(8)", N_("Scroll right"), show=False, id="note_table.right"),
    ]

    class Opened(VirtualList.Opened):
        """Enter or a double click on a note."""

        @property
        def note_id(self) -> int:
            """The note opened."""
            return self.row_id

    class Highlighted(VirtualList.Highlighted):
        """The cursor moved to another note (``None``: the list is empty)."""

        @property
        def note_id(self) -> int | None:
            """The note under the cursor."""
            return self.row_id

    class Counted(VirtualList.Counted):
        """The number of notes matching the query is known (or changed)."""

    @dataclass
    class HeaderClicked(Message):
        """A click on the header of column ``column``."""

        note_table: NoteTable
        column: str

        @property
        def control(self) -> NoteTable:
            """The table whose header was clicked."""
            return self.note_table

    @dataclass
    class Failed(Message):
        """The query could not be run; ``problem`` is the user's message."""

        note_table: NoteTable
        problem: str

        @property
        def control(self) -> NoteTable:
            """The table that could not be read."""
            return self.note_table

    def __init__(
        self,
        query: NoteQuery | None,
        context: ListContext,
        *,
        hidden_columns: Iterable[str] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        blocks = NoteBlocks()
        super().__init__(blocks, name=name, id=id, classes=classes)
        self.context = context
        self._query = query or NoteQuery()
        self._hidden = frozenset(hidden_columns)
        self._source = RowSource(blocks)
        self._layout: TableLayout | None = None
        self._painter: RowPainter | None = None
        self._header: Strip | None = None
        self._ahead_scheduled = False
        self._load_scheduled = False
        self._cursor_after_count: int | None = None  # a far row to go to once counted
        self._opening = True  # the first list shown, read in place when it is the plain one
        self._slow_timer: Timer | None = None
        self._marked: Container[int] = frozenset()
        self._seen: dict[str, int] = {}
        """The widest number/amount loaded so far by column id (their columns' widths)."""
        self._local_clock = LocalClock(context.settings.business_hours)
        """Local times and lights per zone for the current minute (the Local column)."""

    # --- public API -------------------------------------------------------------------

    @property
    def note_query(self) -> NoteQuery:
        """The query shown (or being loaded)."""
        return self._query

    @property
    def count(self) -> int | None:
        """How many notes match, once counted."""
        state = self._source.state
        return state.count if state else None

    @property
    def row_count(self) -> int:
        """Rows of the list shown: its count, or the rows known so far."""
        return self._source.total

    @property
    def loaded(self) -> bool:
        """Whether the first rows of the current query are on screen."""
        return self._source.incoming is None and self._source.state is not None

    @property
    def rows_fetched(self) -> int:
        """How many rows the table has received from the domain so far."""
        return self.blocks.fetched_rows

    @property
    def rows_held(self) -> int:
        """How many rows the table holds right now."""
        return self.blocks.live_rows

    @property
    def highlighted_note_id(self) -> int | None:
        """The id of the note under the cursor (if loaded)."""
        row = self.highlighted_row if self._source.state else None
        return row.id if row else None

    def set_query(self, query: NoteQuery) -> None:
        """Show ``query`` from its first row (raises ``DomainError`` if it cannot run)."""
        note_list = NotePager(query, self._settings(), self.context.today())
        self._query = query
        self._start(note_list, keep_note_id=None, keep_index=0)

    def reload(
        self, query: NoteQuery | None = None, *, keep: tuple[int, int] | None = None
    ) -> None:
        """Read the list again (notes or settings changed), keeping the cursor's note.

        With ``query``, show that one instead (e.g. the same query minus a deleted
        variable), still keeping the cursor's note when it is there. ``keep``: the note
        to put the cursor on instead, and its row (a note just saved).
        """
        wanted = query if query is not None else self._query
        try:
            note_list = NotePager(wanted, self._settings(), self.context.today())
        except Exception as error:  # the query no longer fits the settings
            self.post_message(self.Failed(self, str(error)))
            return
        self._query = wanted
        keep_index = self.cursor_row
        keep_note_id = self.highlighted_note_id
        if keep is not None:
            keep_note_id, keep_index = keep
        self._relayout()
        self._start(note_list, keep_note_id=keep_note_id, keep_index=keep_index)

    def set_marked(self, marked: Container[int]) -> None:
        """Draw a mark before the notes whose ids are in ``marked`` (kept, not copied)."""
        self._marked = marked
        self.clear_lines()
        self.refresh()

    def set_hidden_columns(self, hidden: Iterable[str]) -> None:
        """Hide the columns with these ids (show all the others)."""
        self._hidden = frozenset(hidden)
        self._relayout()

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Ids of the hidden columns."""
        return self._hidden

    # --- lifecycle ----------------------------------------------------------------------

    def tick_clock(self) -> bool:
        """Look at the clock: on a new minute, repaint the Local column (whether it did).

        A list filtered on ``callable`` or sorted by local time is read again instead,
        keeping the cursor's note: customers come and go as business hours open and
        close. A timer calls it (``Timing.clock_interval``); tests call it after moving
        the clock.
        """
        if not self._local_clock.moved():
            return False
        if self._query.follows_the_clock:
            self.reload()
            return True
        layout = self._layout
        if layout is None or all(c.id != LOCAL_COLUMN for c in layout.columns):
            return False
        self.clear_lines()
        self.refresh()
        return True

    def on_mount(self) -> None:
        """Lay out the columns and load the first rows; look at the clock on the minute."""
        interval = clock_interval(self.context)
        if interval is not None:
            self.set_interval(interval, self.tick_clock)
        self._relayout()
        try:
            self.set_query(self._query)
        except Exception as error:
            self.post_message(self.Failed(self, str(error)))

    def on_resize(self, event: events.Resize) -> None:
        """Stretch the text column to the new width."""
        self._relayout()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or focus changed: rebuild the styles the rows are painted with."""
        super().notify_style_update()
        if self._layout is not None:
            self._painter = None
            self._header = None

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Repaint the cursor with the table's current styles.

        Unlike other widgets (and ``VirtualList``), the table's node styles are not
        recomputed on a focus change: its cursor keeps the colours it had (the
        snapshots of a blurred list show them so).
        """
        self.notify_style_update()
        self.refresh()

    def _report_failure(self, problem: str) -> None:
        """Post ``Failed``: the screen says why the list could not be read."""
        self.post_message(self.Failed(self, problem))

    def _settings(self) -> Settings:
        return self.context.settings

    # --- layout and painting ------------------------------------------------------------

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        self._layout = self._build_layout()
        self._painter = None
        self._header = None
        self.clear_lines()
        self._update_virtual_size()
        self.refresh()

    def _build_layout(self) -> TableLayout:
        width = self.scrollable_content_region.width or self.size.width
        query = self._source.state.query if self._source.state else NoteQuery()
        return TableLayout.build(
            self._settings(),
            self._hidden,
            width,
            [key.column for key in query.sort],
            filtered_columns(query),
            self._seen,
        )

    def _see_values(self, blocks: list[tuple[int, Page]], *, fresh: bool = False) -> bool:
        """Note the widest numbers and amounts of rows that arrived (``fresh``: a new
        list, forget the old one's); whether a column must widen."""
        if fresh:
            self._seen = {}
        grown = False
        settings = self._settings()
        for _block, page in blocks:
            for column_id, length in widest_values(settings, page.rows).items():
                if length > self._seen.get(column_id, 0):
                    self._seen[column_id] = length
                    grown = True
        return grown

    def _get_painter(self) -> RowPainter:
        if self._painter is None:
            if self._layout is None:
                self._layout = self._build_layout()
            settings = self._settings()
            self._local_clock.set_hours(settings.business_hours)
            self._painter = RowPainter(
                self._layout,
                settings,
                self.context.today(),
                PaintStyles.of(self),
                self._local_clock,
            )
        return self._painter

    def _update_virtual_size(self) -> None:
        self.update_virtual_size(self._layout.width if self._layout else self.size.width)

    def want_rows(self) -> None:
        """Ask for any block in view (or a page away) not loaded yet."""
        self._want_visible()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint the lines in ``crop``, then the rows around them between frames."""
        try:
            return super().render_lines(crop)
        finally:
            if not self._ahead_scheduled:
                self._ahead_scheduled = True
                self.call_later(self._paint_ahead)

    def render_header(self, width: int, scroll_x: int) -> Strip:
        """The column labels, with the sort marks."""
        painter = self._get_painter()
        if self._header is None:
            state = self._source.state
            sort = state.query.sort if state else self._query.sort
            self._header = painter.header(sort)
        return self._header.crop_extend(scroll_x, scroll_x + width, painter.styles.header)

    def is_marked(self, row: NoteRow) -> bool:
        """Whether the note is marked (for a bulk edit)."""
        return row.id in self._marked

    def render_row(self, row: NoteRow, cursor: bool, width: int, scroll_x: int) -> Strip:
        """One note, cropped to the horizontal scroll."""
        painter = self._get_painter()
        full = painter.row(row, cursor=cursor)
        if row.id in self._marked:
            full = _with_mark(full)
        return _cropped(full, width, scroll_x, painter.styles.base)

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        """A note not loaded yet."""
        painter = self._get_painter()
        full = painter.placeholder(cursor=cursor)
        return _cropped(full, width, scroll_x, painter.styles.base)

    def _paint_ahead(self) -> None:
        """Paint the loaded rows a screenful above and below, between frames and a few
        at a time (other messages go first), so that a page up or down only shows them."""
        self._ahead_scheduled = False
        if not self.is_mounted or self._layout is None or self._source.incoming is not None:
            return
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        top = round(self.scroll_y)
        height = self.body_height
        last = self._source.total - 1
        painted = 0
        for index in range(max(0, top - height), min(last, top + 2 * height) + 1):
            if index == self.cursor_row or self.blocks.row(index) is None:
                continue
            if self.has_line(index, False, width, scroll_x):
                continue
            self.line_of(index, False, width, scroll_x)
            painted += 1
            if painted == PAINT_AHEAD_BATCH:  # the rest in a later turn
                self._ahead_scheduled = True
                self.call_later(self._paint_ahead)
                return

    # --- actions and clicks -------------------------------------------------------------

    def action_pan(self, cells: int) -> None:
        """Scroll sideways (wide tables)."""
        self.scroll_to(x=max(0, self.scroll_x + cells), animate=False)

    def header_clicked(self, x: int) -> None:
        """A click on a column's label: say which (the screen sorts by it)."""
        if self._layout is not None:
            column = self._layout.column_at(x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column.id))


PAINT_AHEAD_BATCH = 8
"""Rows painted ahead in one turn of the message loop (about 1 ms)."""

MARK = "●"
"""Drawn in the first cell of a marked note."""


def _cropped(full: Strip, width: int, scroll_x: int, base: Style) -> Strip:
    """A full-width line cut to the view (as is in the usual case: it fills the width)."""
    if scroll_x == 0 and full.cell_length == width:
        return full
    return full.crop_extend(scroll_x, scroll_x + width, base)


def _with_mark(line: Strip) -> Strip:
    """The row with the mark in its first (blank) cell."""
    first = next(iter(line), None)
    style = (first.style if first else None) or Style()
    mark = Strip([Segment(MARK, style + Style(bold=True))], 1)
    return Strip.join([mark, line.crop(1, line.cell_length)])
