"""``NoteTable``: a virtual list of notes that stays instant at a million rows.

A Line-API ``ScrollView`` whose virtual height is the number of matching notes (plus the
fixed header line). ``render_line`` paints rows from a small LRU of row blocks; missing
blocks are fetched by keyset in thread workers that post plain data back, and rows not
loaded yet are drawn as placeholders. Nothing sorts or filters here: the order and the
rows are the domain's (``crm_tui.domain.query.NoteList``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from crm_tui.domain.query import NoteList, NoteQuery, Page
from crm_tui.i18n import _
from crm_tui.records import NoteRow, Settings
from crm_tui.ui.widgets.note_list.columns import (
    PaintStyles,
    RowPainter,
    TableLayout,
    filtered_columns,
    widest_values,
)
from crm_tui.ui.widgets.note_list.loading import TableLoading
from crm_tui.ui.widgets.note_list.row_source import RowSource


class NoteTable(TableLoading, ScrollView, can_focus=True):
    """The notes of a query, one line each, with a fixed header and a row cursor."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES = {
        "note-table--header",
        "note-table--header-sorted",
        "note-table--cursor",
        "note-table--overdue",
        "note-table--placeholder",
    }
    BINDINGS = [
        Binding("enter", "open", _("Open"), id="note_table.open"),
        Binding("up", "cursor(-1)", _("Up"), show=False, id="note_table.up"),
        Binding("down", "cursor(1)", _("Down"), show=False, id="note_table.down"),
        Binding("pageup", "page(-1)", _("Page up"), show=False, id="note_table.page_up"),
        Binding("pagedown", "page(1)", _("Page down"), show=False, id="note_table.page_down"),
        Binding("home", "first", _("First note"), show=False, id="note_table.first"),
        Binding("end", "last", _("Last note"), show=False, id="note_table.last"),
        Binding("left", "pan(-8)", _("Scroll left"), show=False, id="note_table.left"),
        Binding("right", "pan(8)", _("Scroll right"), show=False, id="note_table.right"),
    ]

    cursor_row: var[int] = var(0, always_update=False)
    """Index of the highlighted note in the list."""

    class Opened(Message):
        """Enter or a double click on a note."""

        def __init__(self, note_id: int) -> None:
            self.note_id = note_id
            super().__init__()

    class Highlighted(Message):
        """The cursor moved to another note (``None``: the list is empty)."""

        def __init__(self, note_id: int | None) -> None:
            self.note_id = note_id
            super().__init__()

    class Counted(Message):
        """The number of notes matching the query is known (or changed)."""

        def __init__(self, count: int) -> None:
            self.count = count
            super().__init__()

    class HeaderClicked(Message):
        """A click on the header of column ``column``."""

        def __init__(self, column: str) -> None:
            self.column = column
            super().__init__()

    class Failed(Message):
        """The query could not be run; ``problem`` is the user's message."""

        def __init__(self, problem: str) -> None:
            self.problem = problem
            super().__init__()

    def __init__(
        self,
        query: NoteQuery | None = None,
        *,
        hidden_columns: Iterable[str] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._query = query or NoteQuery()
        self._hidden = frozenset(hidden_columns)
        self._source = RowSource()
        self._cache = self._source.cache
        self._layout: TableLayout | None = None
        self._painter: RowPainter | None = None
        self._header: Strip | None = None
        self._strips: LRUCache[tuple[int, bool, int, int, bool], Strip] = LRUCache(256)
        """Painted lines by (row, cursor, horizontal scroll, width, marked)."""
        self._frame: tuple[RowPainter, int, int, int] | None = None
        """While painting: the painter, width and scroll offsets every line uses."""
        self._ahead_scheduled = False
        self._load_scheduled = False
        self._cursor_after_count: int | None = None  # a far row to go to once counted
        self._opening = True  # the first list shown, read in place when it is the plain one
        self._slow_timer: Timer | None = None
        self._highlighted: int | None = -1
        self._marked: Container[int] = frozenset()
        self._seen: dict[str, int] = {}
        """The widest number/amount loaded so far by column id (their columns' widths)."""

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
    def loaded(self) -> bool:
        """Whether the first rows of the current query are on screen."""
        return self._source.incoming is None and self._source.state is not None

    @property
    def rows_fetched(self) -> int:
        """How many rows the table has received from the domain so far."""
        return self._cache.fetched_rows

    @property
    def rows_held(self) -> int:
        """How many rows the table holds right now."""
        return self._cache.live_rows

    @property
    def highlighted_note_id(self) -> int | None:
        """The id of the note under the cursor (if loaded)."""
        row = self._cache.row(self.cursor_row) if self._source.state else None
        return row.id if row else None

    def row_at(self, index: int) -> NoteRow | None:
        """Row ``index`` of the list if it is loaded."""
        return self._cache.row(index)

    def visible_rows(self) -> list[NoteRow | None]:
        """The rows on screen, top to bottom (``None`` for rows still loading)."""
        top = round(self.scroll_y)
        return [self._cache.row(index) for index in range(top, top + self._body_height())]

    def set_query(self, query: NoteQuery) -> None:
        """Show ``query`` from its first row (raises ``DomainError`` if it cannot run)."""
        note_list = NoteList(query, self._settings(), self._today())
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
            note_list = NoteList(wanted, self._settings(), self._today())
        except Exception as error:  # the query no longer fits the settings
            self.post_message(self.Failed(str(error)))
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
        self._strips.clear()
        self.refresh()

    def set_hidden_columns(self, hidden: Iterable[str]) -> None:
        """Hide the columns with these ids (show all the others)."""
        self._hidden = frozenset(hidden)
        self._relayout()

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Ids of the hidden columns."""
        return self._hidden

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        last = self._source.total - 1
        self.cursor_row = max(0, min(index, last))
        self._scroll_to_cursor()

    # --- lifecycle ----------------------------------------------------------------------

    def on_mount(self) -> None:
        """Lay out the columns and load the first rows."""
        self._relayout()
        try:
            self.set_query(self._query)
        except Exception as error:
            self.post_message(self.Failed(str(error)))

    def on_resize(self, event: events.Resize) -> None:
        """Stretch the text column to the new width."""
        self._relayout()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or focus changed: rebuild the styles the rows are painted with."""
        super().notify_style_update()
        if self._layout is not None:
            self._painter = None
            self._strips.clear()
            self._header = None

    def watch_has_focus(self) -> None:
        """Draw the cursor in its focused (or unfocused) colours."""
        self.notify_style_update()
        self.refresh()

    # --- helpers over the app's session -----------------------------------------------------

    def _settings(self) -> Settings:
        return self.app.session.settings  # type: ignore[attr-defined]

    def _today(self) -> dt.date:
        return self.app.session.today()  # type: ignore[attr-defined]

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # --- layout and painting ------------------------------------------------------------

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        self._layout = self._build_layout()
        self._painter = None
        self._header = None
        self._strips.clear()
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
            self._painter = RowPainter(
                self._layout, self._settings(), self._today(), PaintStyles.of(self)
            )
        return self._painter

    def _update_virtual_size(self) -> None:
        width = self._layout.width if self._layout else self.size.width
        self.virtual_size = Size(width, self._source.total + 1)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint the lines in ``crop``, asking for any block not loaded yet."""
        self._want_visible()
        self._frame = self._paint_frame()  # read once per paint, not once per line
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None
            if not self._ahead_scheduled:
                self._ahead_scheduled = True
                self.call_later(self._paint_ahead)

    def _paint_frame(self) -> tuple[RowPainter, int, int, int]:
        """What every line needs: the painter, the width and the scroll offsets."""
        return (
            self._get_painter(),
            self.scrollable_content_region.width,
            round(self.scroll_x),
            round(self.scroll_y),
        )

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, then rows from the scroll position."""
        painter, width, scroll_x, scroll_y = self._frame or self._paint_frame()
        if y == 0:
            if self._header is None:
                state = self._source.state
                sort = state.query.sort if state else self._query.sort
                self._header = painter.header(sort)
            return self._header.crop_extend(scroll_x, scroll_x + width, painter.styles.header)
        index = scroll_y + y - 1
        if index >= self._source.total:
            return Strip.blank(width, painter.styles.base)
        return self._row_line(index, index == self.cursor_row, painter, width, scroll_x)

    def _row_line(
        self, index: int, cursor: bool, painter: RowPainter, width: int, scroll_x: int
    ) -> Strip:
        """Row ``index`` painted (from the cache when it was painted before)."""
        row = self._cache.row(index)
        marked = row is not None and row.id in self._marked
        key = (index, cursor, scroll_x, width, marked)
        line = self._strips.get(key)
        if line is None:
            full = painter.row(row, cursor=cursor) if row else painter.placeholder(cursor=cursor)
            if marked:
                full = _with_mark(full)
            if scroll_x == 0 and full.cell_length == width:
                line = full  # the usual case: the columns fill the width exactly
            else:
                line = full.crop_extend(scroll_x, scroll_x + width, painter.styles.base)
            if row is not None:
                self._strips[key] = line
        return line

    def _paint_ahead(self) -> None:
        """Paint the loaded rows a screenful above and below, between frames and a few
        at a time (other messages go first), so that a page up or down only shows them."""
        self._ahead_scheduled = False
        if not self.is_mounted or self._layout is None or self._source.incoming is not None:
            return
        painter, width, scroll_x, top = self._paint_frame()
        height = self._body_height()
        last = self._source.total - 1
        painted = 0
        for index in range(max(0, top - height), min(last, top + 2 * height) + 1):
            if index == self.cursor_row or self._cache.row(index) is None:
                continue
            key = (index, False, scroll_x, width, self._cache.row(index).id in self._marked)  # type: ignore[union-attr]
            if key in self._strips:
                continue
            self._row_line(index, False, painter, width, scroll_x)
            painted += 1
            if painted == PAINT_AHEAD_BATCH:  # the rest in a later turn
                self._ahead_scheduled = True
                self.call_later(self._paint_ahead)
                return

    def _refresh_row(self, index: int) -> None:
        line = index - round(self.scroll_y) + 1
        if 1 <= line <= self._body_height():
            self.refresh(Region(0, line, self.scrollable_content_region.width, 1))

    # --- cursor ---------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the two rows and tell the screen which note is highlighted."""
        self._refresh_row(old)
        self._refresh_row(new)
        self._announce_highlight()

    def _announce_highlight(self) -> None:
        note_id = self.highlighted_note_id
        if note_id != self._highlighted:
            self._highlighted = note_id
            self.post_message(self.Highlighted(note_id))

    def _scroll_to_cursor(self) -> None:
        height = self._body_height()
        top = round(self.scroll_y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down."""
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        height = self._body_height()
        self.move_cursor(self.cursor_row + direction * height)
        top = round(self.scroll_y) + direction * height
        self.scroll_to(y=max(0, top), animate=False, force=True)
        self._scroll_to_cursor()

    def action_first(self) -> None:
        """Go to the first note."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Go to the last note."""
        self.move_cursor(self._source.total - 1)

    def action_pan(self, cells: int) -> None:
        """Scroll sideways (wide tables)."""
        self.scroll_to(x=max(0, self.scroll_x + cells), animate=False)

    def action_open(self) -> None:
        """Open the highlighted note."""
        note_id = self.highlighted_note_id
        if note_id is not None:
            self.post_message(self.Opened(note_id))

    def on_click(self, event: events.Click) -> None:
        """Click a row to select it, double-click to open; click a header to sort."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            if self._layout is not None:
                column = self._layout.column_at(offset.x + round(self.scroll_x))
                if column is not None:
                    self.post_message(self.HeaderClicked(column.id))
            return
        index = round(self.scroll_y) + offset.y - 1
        if index < self._source.total:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()


PAINT_AHEAD_BATCH = 8
"""Rows painted ahead in one turn of the message loop (about 1 ms)."""

MARK = "●"
"""Drawn in the first cell of a marked note."""


def _with_mark(line: Strip) -> Strip:
    """The row with the mark in its first (blank) cell."""
    first = next(iter(line), None)
    style = (first.style if first else None) or Style()
    mark = Strip([Segment(MARK, style + Style(bold=True))], 1)
    return Strip.join([mark, line.crop(1, line.cell_length)])
