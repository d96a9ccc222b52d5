"""``VirtualList``: the base of the app's long lists (notes, customers, and those to come).

A Line-API ``ScrollView`` in Textual's own idiom (``OptionList``, ``DataTable``): its
virtual height is the number of rows plus a fixed header line, ``render_line`` paints
the header on line 0 and the rows from the scroll position below it, and a reactive
``cursor_row``, clamped by its validator, marks the highlighted row. Rows come from a
``BlockCache``: fixed-size blocks fetched off the UI thread by the subclass as they come
into view, the least recently used dropped first, and the blocks of an older query (an
older *generation*) dropped when they arrive. Painted lines are kept in a small LRU.

A subclass says only what differs: its rows (``row_count``, how blocks are fetched),
its header and row painting, and its own bindings and messages.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crm_tui.i18n import N_
from crm_tui.records import Settings


class ListContext(Protocol):
    """What a list reads of the session it shows (the screen hands it the session)."""

    @property
    def settings(self) -> Settings:
        """The settings snapshot: statuses, actions, variables."""
        ...

    def today(self) -> dt.date:
        """Today's date (follow-ups before it are overdue)."""
        ...


class ListRow(Protocol):
    """What a virtual list needs of a row: the id of what it shows."""

    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=ListRow)
KeyT = TypeVar("KeyT")


@dataclass(slots=True)
class Block(Generic[RowT, KeyT]):
    """Consecutive rows and each row's keyset cursor (where the next rows start)."""

    rows: list[RowT]
    cursors: list[KeyT]


class BlockCache(Generic[RowT, KeyT]):
    """A list's rows in blocks by block number, least recently used dropped first.

    Block ``k`` holds rows ``k * size`` to ``k * size + size - 1``. Every query shown gets
    a new ``generation``; blocks answered for an older one are dropped (``accept``), and
    ``pending`` holds the block numbers asked for and not answered yet.
    """

    def __init__(self, size: int, max_blocks: int) -> None:
        self.size = size
        self.max_blocks = max_blocks
        self.generation = 0
        self._issued = 0
        self.pending: set[int] = set()
        self.fetched_rows = 0
        """Rows received since the list was created (a measure of what it materialised)."""
        self._blocks: OrderedDict[int, Block[RowT, KeyT]] = OrderedDict()

    # --- generations ---------------------------------------------------------------------

    def new_generation(self) -> int:
        """A new query: what is asked from now on belongs to the returned generation.

        The blocks held stay (shown until the new query's first rows arrive), but
        answers for older generations are dropped from now on.
        """
        self._issued += 1
        self.generation = self._issued
        self.pending.clear()
        return self.generation

    def resume(self, generation: int) -> None:
        """Answers for ``generation`` (still shown) are wanted again: a newer query
        failed. Its own late answers stay dropped (generations are never reissued)."""
        self.generation = generation
        self.pending.clear()

    def is_current(self, generation: int) -> bool:
        """Whether an answer for ``generation`` is still wanted."""
        return generation == self.generation

    def accept(self, generation: int, block: int, rows: list[RowT], cursors: list[KeyT]) -> bool:
        """Keep a block answered for ``generation``; ``False`` (dropped) if it is stale."""
        if not self.is_current(generation):
            return False
        self.pending.discard(block)
        self.put(block, rows, cursors)
        return True

    # --- blocks --------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every block (a new query's rows replace them)."""
        self._blocks.clear()

    def block_of(self, index: int) -> int:
        """The block number holding row ``index``."""
        return index // self.size

    def has(self, block: int) -> bool:
        """Whether block ``block`` is loaded."""
        return block in self._blocks

    def get(self, block: int) -> Block[RowT, KeyT] | None:
        """Block ``block`` if it is loaded."""
        return self._blocks.get(block)

    @property
    def live_rows(self) -> int:
        """How many rows are held right now."""
        return sum(len(block.rows) for block in self._blocks.values())

    def leading_rows(self) -> int:
        """How many rows are loaded without a gap from the first one."""
        total = 0
        number = 0
        while number in self._blocks:
            rows = len(self._blocks[number].rows)
            total += rows
            if rows < self.size:
                break
            number += 1
        return total

    def put(self, block: int, rows: list[RowT], cursors: list[KeyT]) -> None:
        """Keep a freshly loaded block, dropping the least recently used ones."""
        self._blocks[block] = Block(rows, cursors)
        self._blocks.move_to_end(block)
        self.fetched_rows += len(rows)
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)

    def touch(self, block: int) -> None:
        """Mark a block as just used (it is on screen)."""
        if block in self._blocks:
            self._blocks.move_to_end(block)

    def missing(self, blocks: Iterable[int]) -> list[int]:
        """Of these blocks (marked used), those neither loaded nor asked for, in order."""
        wanted: list[int] = []
        for block in sorted(set(blocks)):
            self.touch(block)
            if block not in self._blocks and block not in self.pending:
                wanted.append(block)
        return wanted

    def row(self, index: int) -> RowT | None:
        """Row ``index`` if its block is loaded."""
        block = self._blocks.get(index // self.size)
        if block is None:
            return None
        offset = index % self.size
        return block.rows[offset] if offset < len(block.rows) else None

    def cursor(self, index: int) -> KeyT | None:
        """The cursor of row ``index`` if its block is loaded."""
        block = self._blocks.get(index // self.size)
        if block is None:
            return None
        offset = index % self.size
        return block.cursors[offset] if offset < len(block.cursors) else None

    def cursor_before(self, block: int) -> KeyT | None:
        """The cursor block ``block`` follows on from: the last of a full block before it."""
        previous = self._blocks.get(block - 1)
        if previous is not None and len(previous.rows) == self.size and previous.cursors:
            return previous.cursors[-1]
        return None

    def find(self, row_id: int) -> int | None:
        """The index of the row with id ``row_id`` among the loaded rows, if there."""
        for number, block in self._blocks.items():
            for offset, row in enumerate(block.rows):
                if row.id == row_id:
                    return number * self.size + offset
        return None


class VirtualList(ScrollView, Generic[RowT, KeyT], can_focus=True):
    """Rows of a long list, one line each, under a fixed header, with a row cursor."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), id="list.open"),
        Binding("up", "cursor(-1)", N_("Up"), show=False, id="list.up"),
        Binding("down", "cursor(1)", N_("Down"), show=False, id="list.down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="list.page_down"),
        Binding("home", "first", N_("First"), show=False, id="list.first"),
        Binding("end", "last", N_("Last"), show=False, id="list.last"),
    ]

    cursor_row: var[int] = var(0, always_update=False)
    """Index of the highlighted row (clamped to the rows there are)."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row (``row_id`` ``None``: no row loaded there)."""

        virtual_list: VirtualList[Any, Any]
        row_id: int | None

        @property
        def control(self) -> VirtualList[Any, Any]:
            """The list whose cursor moved."""
            return self.virtual_list

    @dataclass
    class Opened(Message):
        """Enter or a double click on a row."""

        virtual_list: VirtualList[Any, Any]
        row_id: int

        @property
        def control(self) -> VirtualList[Any, Any]:
            """The list the row was opened from."""
            return self.virtual_list

    @dataclass
    class Counted(Message):
        """The number of rows of the list is known (or changed)."""

        virtual_list: VirtualList[Any, Any]
        count: int

        @property
        def control(self) -> VirtualList[Any, Any]:
            """The list that was counted."""
            return self.virtual_list

    def __init__(
        self,
        blocks: BlockCache[RowT, KeyT],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.blocks = blocks
        self._lines: LRUCache[tuple[int, bool, int, int, bool], Strip] = LRUCache(256)
        """Painted lines by (row, cursor, horizontal scroll, width, marked)."""
        self._frame: tuple[int, int, int] | None = None
        """While painting: the width and scroll offsets every line uses."""
        self._highlighted: int | None = -1

    # --- what a subclass provides ----------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list spans now (its virtual height less the header)."""
        raise NotImplementedError

    def want_rows(self) -> None:
        """About to paint: ask (off the UI thread) for the rows in view not loaded yet."""

    def render_header(self, width: int, scroll_x: int) -> Strip:
        """The header line, ``width`` cells from ``scroll_x``."""
        raise NotImplementedError

    def render_row(self, row: RowT, cursor: bool, width: int, scroll_x: int) -> Strip:
        """``row`` as a line ``width`` cells wide from ``scroll_x`` (kept and reused)."""
        raise NotImplementedError

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        """A row not loaded yet (never kept: the row replaces it)."""
        raise NotImplementedError

    def render_past_end(self, index: int, width: int) -> Strip:
        """A line below the last row (blank)."""
        return Strip.blank(width, self.rich_style)

    def is_marked(self, row: RowT) -> bool:
        """Whether ``row`` is drawn with a mark (part of a painted line's identity)."""
        return False

    def header_clicked(self, x: int) -> None:
        """A click on cell ``x`` of the full (unscrolled) header line."""

    # --- rows and cursor -------------------------------------------------------------------

    @property
    def body_height(self) -> int:
        """How many rows show at once (the lines below the header)."""
        return max(1, self.scrollable_content_region.height - 1)

    def row_at(self, index: int) -> RowT | None:
        """Row ``index`` of the list if it is loaded."""
        return self.blocks.row(index)

    @property
    def highlighted_row(self) -> RowT | None:
        """The row under the cursor, if loaded."""
        return self.blocks.row(self.cursor_row)

    def visible_rows(self) -> list[RowT | None]:
        """The rows on screen, top to bottom (``None`` for rows still loading)."""
        top = round(self.scroll_y)
        return [self.blocks.row(index) for index in range(top, top + self.body_height)]

    def validate_cursor_row(self, row: int) -> int:
        """Keep the cursor on a row of the list (row 0 when it is empty)."""
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the two rows and say which row is highlighted."""
        self.refresh_row(old)
        self.refresh_row(new)
        self.announce_highlight()

    def announce_highlight(self) -> None:
        """Post ``Highlighted`` if the row under the cursor is another one than last said."""
        row = self.highlighted_row
        row_id = row.id if row is not None else None
        if row_id != self._highlighted:
            self._highlighted = row_id
            self.post_message(self.Highlighted(self, row_id))

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        self.cursor_row = index
        self.scroll_to_cursor()

    def scroll_to_cursor(self, *, center: bool = False) -> None:
        """Scroll just enough to show the cursor (``center``: in the middle, if out of view)."""
        height = self.body_height
        top = round(self.scroll_y)
        row = self.cursor_row
        if center and not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False, force=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    def refresh_row(self, index: int) -> None:
        """Repaint row ``index`` if it is on screen."""
        line = index - round(self.scroll_y) + 1
        if 1 <= line <= self.body_height:
            self.refresh(Region(0, line, self.scrollable_content_region.width, 1))

    def update_virtual_size(self, width: int) -> None:
        """Make the scrollable area ``width`` cells wide and as tall as the rows."""
        self.virtual_size = Size(width, self.row_count + 1)

    def clear_lines(self) -> None:
        """Forget the painted lines (rows, styles or widths changed)."""
        self._lines.clear()

    # --- actions ---------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down."""
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor and the view by a screenful."""
        height = self.body_height
        self.move_cursor(self.cursor_row + direction * height)
        top = round(self.scroll_y) + direction * height
        self.scroll_to(y=max(0, top), animate=False, force=True)
        self.scroll_to_cursor()

    def action_first(self) -> None:
        """Go to the first row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Go to the last row."""
        self.move_cursor(self.row_count - 1)

    def action_open(self) -> None:
        """Open the row under the cursor."""
        row = self.highlighted_row
        if row is not None:
            self.post_message(self.Opened(self, row.id))

    def on_click(self, event: events.Click) -> None:
        """Click a row to put the cursor on it, double-click to open it; or the header."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            self.header_clicked(offset.x + round(self.scroll_x))
            return
        index = round(self.scroll_y) + offset.y - 1
        if index < self.row_count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()

    # --- painting --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Theme or focus changed: paint the lines again."""
        super().notify_style_update()
        self.clear_lines()

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Draw the cursor in its focused (or unfocused) colours."""
        super().watch_has_focus(_has_focus)
        self.notify_style_update()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint the lines in ``crop``, asking for the rows in view not loaded yet."""
        self.want_rows()
        self._frame = self._measure()  # read once per paint, not once per line
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _measure(self) -> tuple[int, int, int]:
        return (
            self.scrollable_content_region.width,
            round(self.scroll_x),
            round(self.scroll_y),
        )

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, then rows from the scroll position."""
        width, scroll_x, scroll_y = self._frame or self._measure()
        if y == 0:
            return self.render_header(width, scroll_x)
        index = scroll_y + y - 1
        if index >= self.row_count:
            return self.render_past_end(index, width)
        return self.line_of(index, index == self.cursor_row, width, scroll_x)

    def line_of(self, index: int, cursor: bool, width: int, scroll_x: int) -> Strip:
        """Row ``index`` painted (from the painted lines when it was painted before)."""
        row = self.blocks.row(index)
        if row is None:
            return self.render_placeholder(cursor, width, scroll_x)
        key = (index, cursor, scroll_x, width, self.is_marked(row))
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = self.render_row(row, cursor, width, scroll_x)
        return line

    def has_line(self, index: int, cursor: bool, width: int, scroll_x: int) -> bool:
        """Whether row ``index`` is loaded and painted already."""
        row = self.blocks.row(index)
        if row is None:
            return False
        return (index, cursor, scroll_x, width, self.is_marked(row)) in self._lines
