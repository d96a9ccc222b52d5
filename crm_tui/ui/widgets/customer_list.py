"""``CustomerList``: a virtual list of customers, instant at 100,000.

A ``VirtualList`` whose rows are the customers matching a search, by name. Rows come in
blocks from ``crm_tui.domain.customer_queries``, fetched off the UI thread when they come
into view; a row not loaded yet is drawn as a placeholder. A new search (or a refresh)
keeps showing the old rows until the new count and first rows are there.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, work
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
from crm_tui.ui.background import off_thread
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.widgets.call_light import (
    LOCAL_WIDTH,
    LightStyles,
    LocalClock,
    clock_interval,
    has_local_column,
    local_label,
)
from crm_tui.ui.widgets.virtual_list import BlockCache, ListContext, VirtualList

MAX_BLOCKS = 30
"""Blocks of customers held at most."""
GAP = 2


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its label, width and whether it is right-aligned."""

    key: str
    label: str
    width: int
    right: bool = False


def layout_columns(width: int, settings: Settings) -> list[Column]:
    """Columns that fit ``width``: the name takes what the others leave.

    With zones on options, Local (the customer's local time and call-now light) comes
    right after the name; e-mail, then phone, give way first at narrow widths.
    """
    widest = max(
        (cell_len(visible(s.name)) for s in settings.statuses if not s.archived), default=6
    )
    status = Column("status", _("Status"), max(cell_len(_("Status")), min(22, widest + 2)))
    notes = Column("notes", _("Notes"), max(5, cell_len(_("Notes"))), right=True)
    local: list[Column] = []
    if has_local_column(settings):
        label = local_label()
        local = [Column("local", label, max(LOCAL_WIDTH, min(cell_len(label), 12)))]
    optional = [Column("email", _("E-mail"), 30), Column("phone", _("Phone"), 18)]
    while True:
        fixed = [*local, *optional, notes, status]
        name_width = width - 1 - sum(c.width + GAP for c in fixed)
        if name_width >= 24 or not optional:
            break
        optional.pop()
    return [Column("name", _("Name"), max(10, name_width)), *fixed]


@dataclass(frozen=True, slots=True)
class FirstRows:
    """What a new search shows first: the count, the cursor and the cursor's block."""

    count: int
    cursor: int
    block: int
    rows: list[CustomerRow]


def read_first_rows(search: str, cursor: int, select_id: int | None) -> FirstRows:
    """Count the customers matching ``search`` and read the block of the cursor's row.

    The cursor goes to ``select_id``'s row when it matches, else stays at ``cursor``
    (clamped). Runs off the UI thread.
    """
    count = count_customers(search)
    if select_id is not None:
        position = customer_position(search, select_id)
        cursor = position if position is not None else cursor
    cursor = max(0, min(cursor, count - 1))
    block = cursor // BLOCK
    return FirstRows(count, cursor, block, customer_block(search, offset=block * BLOCK))


def read_block(search: str, block: int, after: str | None) -> list[CustomerRow]:
    """Block ``block`` of the customers matching ``search`` (after ``after``, a name key,
    when the block before it is known). Runs off the UI thread."""
    if after is not None:
        return customer_block(search, after=after)
    return customer_block(search, offset=block * BLOCK)


class CustomerList(VirtualList[CustomerRow, str]):
    """Customers matching a search, by name, with a row cursor; ``enter`` opens one."""

    COMPONENT_CLASSES = {
        "customer-list--header",
        "customer-list--cursor",
        "customer-list--placeholder",
        "customer-list--light-open",
        "customer-list--light-soon",
        "customer-list--light-closed",
    }

    class Opened(VirtualList.Opened):
        """Enter (or a double click) on a customer."""

        @property
        def customer_id(self) -> int:
            """The customer opened."""
            return self.row_id

    @dataclass
    class Counted(VirtualList.Counted):
        """The number of customers matching the search is known."""

        search: str

    def __init__(self, context: ListContext, *, id: str | None = None) -> None:
        super().__init__(BlockCache[CustomerRow, str](BLOCK, MAX_BLOCKS), id=id)
        self.context = context
        self.search = ""
        self.count: int | None = None
        self._columns: list[Column] = []
        self._fetch_scheduled = False
        self._shown = 0
        """The generation of the rows shown (older than the blocks' while a search loads)."""
        self._local_clock = LocalClock(context.settings.business_hours)
        """Local times and lights per zone for the current minute (the Local column)."""
        self._lights: LightStyles | None = None

    # --- public API ---------------------------------------------------------------------

    def load(self, search: str | None = None, *, select_id: int | None = None) -> None:
        """Show the customers matching ``search`` (``None``: the same search, read again).

        The cursor goes to ``select_id`` when given, to the top for a new search, and
        stays where it was otherwise.
        """
        new_search = self.search if search is None else search
        cursor = self.cursor_row if new_search == self.search else 0
        generation = self.blocks.new_generation()
        self._reload(generation, new_search, cursor, select_id)

    @property
    def highlighted(self) -> CustomerRow | None:
        """The customer under the cursor, if loaded."""
        return self.highlighted_row

    @property
    def loaded(self) -> bool:
        """Whether a count and first rows are shown."""
        return self.count is not None

    @property
    def row_count(self) -> int:
        """The customers matching the search (0 until counted)."""
        return self.count or 0

    def tick_clock(self) -> bool:
        """Look at the clock: on a new minute, repaint the local times (whether it did).

        A timer calls it (``Timing.clock_interval``); tests call it after moving the clock.
        """
        if not self._local_clock.moved():
            return False
        if any(column.key == "local" for column in self._get_columns()):
            self.clear_lines()
            self.refresh()
        return True

    def on_mount(self) -> None:
        """Look at the clock on the minute."""
        interval = clock_interval(self.context)
        if interval is not None:
            self.set_interval(interval, self.tick_clock)

    # --- loading ------------------------------------------------------------------------

    @work(exclusive=True, group="customer-list-reload", exit_on_error=False)
    async def _reload(
        self, generation: int, search: str, cursor: int, select_id: int | None
    ) -> None:
        try:
            first = await off_thread(read_first_rows, search, cursor, select_id)
        except Exception:
            if self.blocks.is_current(generation):
                self.blocks.resume(self._shown)  # the rows shown stay, and load on
            raise
        if not self.blocks.is_current(generation):
            return
        self._shown = generation
        self.search = search
        self.count = first.count
        self.blocks.clear()
        self.blocks.accept(
            generation, first.block, first.rows, [row.name_key for row in first.rows]
        )
        self.clear_lines()
        self._columns = []
        self._local_clock.set_hours(self.context.settings.business_hours)
        self.update_virtual_size(self.size.width)
        self.cursor_row = first.cursor
        self.scroll_to_cursor(center=True)
        self.refresh()
        self.post_message(self.Counted(self, first.count, search))

    def want_rows(self) -> None:
        """Ask (after this repaint) for the blocks in view that are not loaded yet."""
        if self.count and not self._fetch_scheduled and self._missing_blocks():
            self._fetch_scheduled = True
            self.call_later(self._fetch_missing)

    def _missing_blocks(self) -> list[int]:
        if not self.blocks.is_current(self._shown):
            return []  # a new search is loading: its rows replace these
        top = round(self.scroll_y)
        last = min((self.count or 1) - 1, top + self.body_height)
        return self.blocks.missing([top // BLOCK, last // BLOCK, self.cursor_row // BLOCK])

    def _fetch_missing(self) -> None:
        self._fetch_scheduled = False
        for block in self._missing_blocks():
            self.blocks.pending.add(block)
            after = self.blocks.cursor_before(block)
            self._fetch(self._shown, self.search, block, after)

    @work(group="customer-list-blocks", exit_on_error=False)
    async def _fetch(self, generation: int, search: str, block: int, after: str | None) -> None:
        rows = await off_thread(read_block, search, block, after)
        if self.blocks.accept(generation, block, rows, [row.name_key for row in rows]):
            self.clear_lines()
            self.refresh()

    # --- painting -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width."""
        self._columns = []
        self.clear_lines()
        if self.count is not None:
            self.update_virtual_size(event.size.width)
        self.scroll_to_cursor()

    def _get_columns(self) -> list[Column]:
        if not self._columns:
            width = self.scrollable_content_region.width or self.size.width
            self._columns = layout_columns(width, self.context.settings)
        return self._columns

    def render_header(self, width: int, scroll_x: int) -> Strip:
        """The column labels."""
        style = self.get_component_rich_style("customer-list--header")
        return self._strip([Text(c.label) for c in self._get_columns()], style, width)

    def render_past_end(self, index: int, width: int) -> Strip:
        """Below the last customer: blank, or what to do when there is none."""
        if self.count == 0 and index == 0:
            return self._strip([safe_text(self._empty_message())], self.rich_style, width)
        return Strip.blank(width, self.rich_style)

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        """A customer not loaded yet: ``…``."""
        style = self.rich_style
        if cursor:
            style = self.get_component_rich_style("customer-list--cursor")
        dim = self.get_component_rich_style("customer-list--placeholder", partial=True)
        return self._strip([Text("…", style=dim)], style, width)

    def render_row(self, row: CustomerRow, cursor: bool, width: int, scroll_x: int) -> Strip:
        """One customer: name, e-mail, phone, number of notes, status."""
        style = self.rich_style
        if cursor:
            style = self.get_component_rich_style("customer-list--cursor")
        return self._strip(self._cells(row), style, width)

    def notify_style_update(self) -> None:
        """Theme changed: the lights' colours again."""
        super().notify_style_update()
        self._lights = None

    def _local(self, zone: str | None) -> Text:
        """The customer's local time and light this minute (blank without a zone)."""
        cell = self._local_clock.cell(zone)
        if cell is None:
            return Text("")
        if self._lights is None:

            def part(name: str) -> Style:
                return self.get_component_rich_style(f"customer-list--{name}", partial=True)

            self._lights = LightStyles(part("light-open"), part("light-soon"), part("light-closed"))
        text = Text(cell.symbol, style=self._lights.of(cell.light))
        text.append(" " + cell.time)
        return text

    def _cells(self, row: CustomerRow) -> list[Text]:
        settings = self.context.settings
        columns = self._get_columns()
        by_key = {
            "local": self._local(row.zone),
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
