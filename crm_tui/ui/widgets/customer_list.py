"""``CustomerList``: a virtual list of customers, instant at 100,000.

A Line-API ``ScrollView`` whose virtual height is the number of matching customers (plus
a fixed header line). Rows come in blocks from ``crm_tui.domain.customer_queries``,
fetched in thread workers when they come into view and kept in a small LRU; a row not
loaded yet is drawn as a placeholder. A new search (or a refresh) keeps showing the old
rows until the new count and first rows are there.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crm_tui.domain.customer_queries import (
    BLOCK,
    CustomerRow,
    count_customers,
    customer_block,
    customer_position,
)
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.records import Settings
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_text

MAX_BLOCKS = 30
GAP = 2


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its label, width and whether it is right-aligned."""

    key: str
    label: str
    width: int
    right: bool = False


def layout_columns(width: int, settings: Settings) -> list[Column]:
    """Columns that fit ``width``: the name takes what the others leave."""
    widest = max(
        (cell_len(visible(s.name)) for s in settings.statuses if not s.archived), default=6
    )
    status = Column("status", _("Status"), max(cell_len(_("Status")), min(22, widest + 2)))
    notes = Column("notes", _("Notes"), max(5, cell_len(_("Notes"))), right=True)
    optional = [Column("email", _("E-mail"), 30), Column("phone", _("Phone"), 18)]
    while True:
        fixed = [*optional, notes, status]
        name_width = width - 1 - sum(c.width + GAP for c in fixed)
        if name_width >= 24 or not optional:
            break
        optional.pop()
    return [Column("name", _("Name"), max(10, name_width)), *fixed]


class CustomerList(ScrollView, can_focus=True):
    """Customers matching a search, by name, with a row cursor; ``enter`` opens one."""

    COMPONENT_CLASSES = {
        "customer-list--header",
        "customer-list--cursor",
        "customer-list--placeholder",
    }
    BINDINGS = [
        Binding("enter", "open", _("Open"), id="customer_list.open"),
        Binding("up", "cursor(-1)", _("Up"), show=False, id="customer_list.up"),
        Binding("down", "cursor(1)", _("Down"), show=False, id="customer_list.down"),
        Binding("pageup", "page(-1)", _("Page up"), show=False, id="customer_list.page_up"),
        Binding("pagedown", "page(1)", _("Page down"), show=False, id="customer_list.page_down"),
        Binding("home", "first", _("First"), show=False, id="customer_list.first"),
        Binding("end", "last", _("Last"), show=False, id="customer_list.last"),
    ]

    cursor_row: var[int] = var(0)

    class Opened(Message):
        """Enter (or a double click) on a customer."""

        def __init__(self, customer_id: int) -> None:
            self.customer_id = customer_id
            super().__init__()

    class Counted(Message):
        """The number of customers matching the search is known."""

        def __init__(self, search: str, count: int) -> None:
            self.search = search
            self.count = count
            super().__init__()

    class _Reloaded(Message, bubble=False):
        def __init__(
            self, generation: int, search: str, count: int, cursor: int, block: int, rows: list
        ) -> None:
            self.generation = generation
            self.search = search
            self.count = count
            self.cursor = cursor
            self.block = block
            self.rows = rows
            super().__init__()

    class _Block(Message, bubble=False):
        def __init__(self, generation: int, block: int, rows: list[CustomerRow]) -> None:
            self.generation = generation
            self.block = block
            self.rows = rows
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = ""
        self.count: int | None = None
        self._generation = 0
        self._blocks: OrderedDict[int, list[CustomerRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._strips: LRUCache[tuple[int, bool], Strip] = LRUCache(256)
        self._columns: list[Column] = []
        self._fetch_scheduled = False

    # --- public API ---------------------------------------------------------------------

    def load(self, search: str | None = None, *, select_id: int | None = None) -> None:
        """Show the customers matching ``search`` (``None``: the same search, read again).

        The cursor goes to ``select_id`` when given, to the top for a new search, and
        stays where it was otherwise.
        """
        new_search = self.search if search is None else search
        cursor = self.cursor_row if new_search == self.search else 0
        self._generation += 1
        self._reload(self._generation, new_search, cursor, select_id)

    @property
    def highlighted(self) -> CustomerRow | None:
        """The customer under the cursor, if loaded."""
        return self.row_at(self.cursor_row)

    def row_at(self, index: int) -> CustomerRow | None:
        """Row ``index`` if it is loaded."""
        rows = self._blocks.get(index // BLOCK)
        offset = index % BLOCK
        return rows[offset] if rows is not None and offset < len(rows) else None

    @property
    def loaded(self) -> bool:
        """Whether a count and first rows are shown."""
        return self.count is not None

    # --- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="customer-list-reload", exit_on_error=False)
    def _reload(self, generation: int, search: str, cursor: int, select_id: int | None) -> None:
        count = count_customers(search)
        if select_id is not None:
            position = customer_position(search, select_id)
            cursor = position if position is not None else cursor
        cursor = max(0, min(cursor, count - 1))
        block = cursor // BLOCK
        rows = customer_block(search, offset=block * BLOCK)
        self.post_message(self._Reloaded(generation, search, count, cursor, block, rows))

    @on(_Reloaded)
    def _reloaded(self, message: _Reloaded) -> None:
        if message.generation != self._generation:
            return
        self.search = message.search
        self.count = message.count
        self._blocks.clear()
        self._pending.clear()
        self._blocks[message.block] = message.rows
        self._strips.clear()
        self._columns = []
        self.virtual_size = Size(self.size.width, message.count + 1)
        self.cursor_row = message.cursor
        self._scroll_to_cursor(center=True)
        self.refresh()
        self.post_message(self.Counted(message.search, message.count))

    def _want_visible(self) -> None:
        """Ask (after this repaint) for the blocks in view that are not loaded yet."""
        if self.count and not self._fetch_scheduled and self._missing_blocks():
            self._fetch_scheduled = True
            self.call_later(self._fetch_missing)

    def _missing_blocks(self) -> list[int]:
        top = round(self.scroll_y)
        last = min((self.count or 1) - 1, top + self._body_height())
        wanted = sorted({top // BLOCK, last // BLOCK, self.cursor_row // BLOCK})
        for block in wanted:
            if block in self._blocks:
                self._blocks.move_to_end(block)
        return [b for b in wanted if b not in self._blocks and b not in self._pending]

    def _fetch_missing(self) -> None:
        self._fetch_scheduled = False
        for block in self._missing_blocks():
            self._pending.add(block)
            before = self._blocks.get(block - 1)
            after = before[-1].name_key if before and len(before) == BLOCK else None
            self._fetch(self._generation, self.search, block, after)

    @work(thread=True, group="customer-list-blocks", exit_on_error=False)
    def _fetch(self, generation: int, search: str, block: int, after: str | None) -> None:
        if after is not None:
            rows = customer_block(search, after=after)
        else:
            rows = customer_block(search, offset=block * BLOCK)
        self.post_message(self._Block(generation, block, rows))

    @on(_Block)
    def _block_loaded(self, message: _Block) -> None:
        if message.generation != self._generation:
            return
        self._pending.discard(message.block)
        self._blocks[message.block] = message.rows
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        self._strips.clear()
        self.refresh()

    # --- painting -------------------------------------------------------------------------

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width."""
        self._columns = []
        self._strips.clear()
        if self.count is not None:
            self.virtual_size = Size(event.size.width, self.count + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or focus changed: paint again."""
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        """Show the cursor in its focused colours."""
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        """Show the cursor in its unfocused colours."""
        self._strips.clear()
        self.refresh()

    def _get_columns(self) -> list[Column]:
        if not self._columns:
            settings = self.app.session.settings  # type: ignore[attr-defined]
            width = self.scrollable_content_region.width or self.size.width
            self._columns = layout_columns(width, settings)
        return self._columns

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint, asking for the blocks in view that are not loaded yet."""
        self._want_visible()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """The header on line 0, then the rows from the scroll position."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = self.get_component_rich_style("customer-list--header")
            return self._strip([Text(c.label) for c in self._get_columns()], style, width)
        index = round(self.scroll_y) + y - 1
        if self.count == 0 and y == 1:
            return self._strip([safe_text(self._empty_message())], base, width)
        if self.count is None or index >= self.count:
            return Strip.blank(width, base)
        cursor = index == self.cursor_row
        key = (index, cursor)
        strip = self._strips.get(key)
        if strip is None:
            style = base
            if cursor:
                style = self.get_component_rich_style("customer-list--cursor")
            row = self.row_at(index)
            if row is None:
                dim = self.get_component_rich_style("customer-list--placeholder", partial=True)
                return self._strip([Text("…", style=dim)], style, width)
            strip = self._strips[key] = self._strip(self._cells(row), style, width)
        return strip

    def _cells(self, row: CustomerRow) -> list[Text]:
        settings = self.app.session.settings  # type: ignore[attr-defined]
        columns = self._get_columns()
        by_key = {
            "name": safe_text(row.name),  # stored text: literal, control characters visible
            "email": safe_text(row.email),
            "phone": safe_text(row.phone),
            "notes": Text(str(row.notes)),
            "status": badge_text(settings.status(row.status_id), width=columns[-1].width),
        }
        return [by_key[column.key] for column in columns]

    def _strip(self, cells: list[Text], style: Style, width: int) -> Strip:
        line = Text(" ", style=style, no_wrap=True, end="")
        for column, cell in zip(self._get_columns(), cells, strict=False):
            text = cell.copy()
            text.truncate(column.width, overflow="ellipsis")
            pad = column.width - text.cell_len
            if column.right:
                line.append(" " * pad)
                line.append_text(text)
            else:
                line.append_text(text)
                line.append(" " * pad)
            line.append(" " * GAP)
        segments = list(line.render(self.app.console))  # spans only: the base style is ours
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)

    def _empty_message(self) -> str:
        if self.search:
            return _("No customer matches {search!r}.").format(search=self.search)
        return _("No customers yet: press a to add one.")

    # --- cursor ---------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the two rows."""
        for index in (old, new):
            line = index - round(self.scroll_y) + 1
            if 1 <= line <= self._body_height():
                self.refresh(Region(0, line, self.size.width, 1))

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        last = (self.count or 0) - 1
        self.cursor_row = max(0, min(index, last))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = self._body_height()
        top = round(self.scroll_y)
        row = self.cursor_row
        if center and not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False, force=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down."""
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        self.move_cursor(self.cursor_row + direction * self._body_height())

    def action_first(self) -> None:
        """Go to the first customer."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Go to the last customer."""
        self.move_cursor((self.count or 1) - 1)

    def action_open(self) -> None:
        """Open the customer under the cursor."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.Opened(row.id))

    def on_click(self, event: events.Click) -> None:
        """Click a customer to put the cursor on it; double-click to open it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or self.count is None:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index < self.count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()
