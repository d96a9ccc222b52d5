"""One stage of the pipeline board: its header and its cards, only the visible ones loaded.

``StageCards`` is a ``VirtualList`` whose rows are the customers at one status, each drawn
as a card of ``CARD_LINES`` lines (name; amount and close date). Its rows come in blocks of
``BLOCK`` cards from ``stage_cards(offset, limit)``, fetched off the UI thread as they come
into view; the first block comes with the board (``StageView.first_cards``). The list's
own header line is a thin rule under the stage header (``stage_header``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from crm_tui.domain.cockpit.pipeline import Card, Stage
from crm_tui.domain.locale_values import shown_amount, shown_date
from crm_tui.i18n import _, format_count, locale_name, ngettext
from crm_tui.ui.badges import badge_style
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.widgets.virtual_list import BlockCache, VirtualList

BLOCK = 50
"""Cards fetched at once."""
MAX_BLOCKS = 20
"""Blocks of cards held at most, per stage."""
CARD_LINES = 2
"""Lines of one card: the customer's name; its amount and close date."""

CardFetch = Callable[[int, int, int], Awaitable[Sequence[Card]]]
"""``(status_id, offset, limit)`` -> the cards, awaited off the UI thread."""


@dataclass(frozen=True, slots=True)
class CardRow:
    """A card as a list row: ``id`` is the customer's."""

    id: int
    card: Card


def card_rows(cards: Sequence[Card]) -> list[CardRow]:
    """Cards as list rows."""
    return [CardRow(card.customer_id, card) for card in cards]


def fit(text: Text, width: int) -> Text:
    """``text`` cut to ``width`` cells, an ellipsis where it was cut."""
    text = text.copy()
    text.truncate(max(0, width), overflow="ellipsis")
    return text


def stage_header(stage: Stage, width: int) -> Text:
    """Three lines: the stage's name on its badge colours, the count, the exact sum."""
    status = stage.status
    style = badge_style(status.font_color, status.background_color)
    name = fit(safe_text(status.name), width - 2)
    band = Text(" ", style=style, no_wrap=True, end="")
    band.append_text(name)
    band.append(" " * max(0, width - 1 - name.cell_len))
    count = ngettext("{count} customer", "{count} customers", stage.customers).format(
        count=format_count(stage.customers)
    )
    header = Text(no_wrap=True, overflow="ellipsis")
    header.append_text(band)
    header.append("\n")
    header.append_text(fit(Text(f" {count}"), width))
    header.append("\n")
    header.append_text(fit(Text(f" {shown_amount(stage.total_cents)}", style="bold"), width))
    return header


class StageCards(VirtualList[CardRow, int], can_focus=False):
    """The cards of one stage, ``CARD_LINES`` lines each, with a card cursor.

    Never focused: the board's keys drive the current stage's list (``active``, the only
    one whose cursor shows), so going from stage to stage moves no focus (no restyle, no
    footer rebuilt)."""

    COMPONENT_CLASSES = {
        "stage-cards--rule",
        "stage-cards--cursor",
        "stage-cards--placeholder",
        "stage-cards--name",
        "stage-cards--detail",
    }

    @dataclass
    class Picked(Message):
        """A click on a card of this stage: the board makes it the current stage."""

        cards: StageCards

    class Opened(VirtualList.Opened):
        """Enter (or a double click) on a card."""

        @property
        def customer_id(self) -> int:
            """The customer of the card."""
            return self.row_id

    def __init__(
        self,
        stage: Stage,
        cards: Sequence[Card] | None,
        fetch: CardFetch,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(BlockCache[CardRow, int](BLOCK, MAX_BLOCKS), id=id)
        self.stage = stage
        self.fetch = fetch
        self._fetch_scheduled = False
        self._card_lines: dict[tuple[int, bool, int], list[Strip]] = {}
        self.active = False
        """Whether this is the board's current stage (its cursor shows)."""
        self.show(stage, cards)

    def set_active(self, active: bool) -> None:
        """Make this the current stage (its cursor shows), or not."""
        if active != self.active:
            self.active = active
            self.clear_lines()
            self.refresh()

    # --- rows ---------------------------------------------------------------------------

    @property
    def status_id(self) -> int:
        """The status this stage shows."""
        return self.stage.status.id

    @property
    def row_count(self) -> int:
        """The customers of the stage."""
        return self.stage.customers

    @property
    def highlighted_card(self) -> Card | None:
        """The card under the cursor, if loaded."""
        row = self.highlighted_row
        return row.card if row is not None else None

    def show(
        self, stage: Stage, cards: Sequence[Card] | None, *, select_id: int | None = None
    ) -> None:
        """Show ``stage`` with its first ``cards`` (``None``: read as they come into view;
        the blocks after them are read again).

        The cursor goes to ``select_id``'s card when it is among ``cards``, else stays
        (clamped)."""
        generation = self.blocks.new_generation()
        self.stage = stage
        self.blocks.clear()
        if cards is not None:
            rows = card_rows(cards)
            self.blocks.accept(generation, 0, rows, [row.id for row in rows])
        self.clear_lines()
        cursor = self.cursor_row
        if select_id is not None:
            found = self.blocks.find(select_id)
            cursor = found if found is not None else cursor
        self.update_virtual_size(self.size.width)
        self.cursor_row = self.validate_cursor_row(cursor)
        if self.is_mounted:
            self.scroll_to_cursor()
        self.refresh()
        self.announce_highlight()

    def want_rows(self) -> None:
        """Ask (after this repaint) for the blocks in view that are not loaded yet."""
        if self.row_count and not self._fetch_scheduled and self._missing_blocks():
            self._fetch_scheduled = True
            self.call_later(self._fetch_missing)

    def _missing_blocks(self) -> list[int]:
        top = self.top_card
        last = min(self.row_count - 1, top + self.body_height)
        return self.blocks.missing([top // BLOCK, last // BLOCK, self.cursor_row // BLOCK])

    def _fetch_missing(self) -> None:
        self._fetch_scheduled = False
        for block in self._missing_blocks():
            self.blocks.pending.add(block)
            self._fetch_block(self.blocks.generation, block)

    @work(group="stage-cards-blocks", exit_on_error=False)
    async def _fetch_block(self, generation: int, block: int) -> None:
        cards = await self.fetch(self.status_id, block * BLOCK, BLOCK)
        rows = card_rows(cards)
        if self.blocks.accept(generation, block, rows, [row.id for row in rows]):
            self.clear_lines()
            self.refresh()
            self.announce_highlight()

    # --- cards of several lines: positions in lines -----------------------------------

    @property
    def top_card(self) -> int:
        """The first card on screen."""
        return round(self.scroll_y) // CARD_LINES

    @property
    def body_height(self) -> int:
        """How many whole cards show at once."""
        return max(1, (self.scrollable_content_region.height - 1) // CARD_LINES)

    def visible_rows(self) -> list[CardRow | None]:
        """The cards on screen, top to bottom (``None`` for cards still loading)."""
        top = self.top_card
        last = min(self.row_count, top + self.body_height)
        return [self.blocks.row(index) for index in range(top, last)]

    def update_virtual_size(self, width: int) -> None:
        """As tall as the cards, plus the rule line."""
        self.virtual_size = Size(width, self.row_count * CARD_LINES + 1)

    def scroll_to_cursor(self, *, center: bool = False) -> None:
        """Scroll just enough to show the card under the cursor."""
        height = self.body_height
        top = self.top_card
        row = self.cursor_row
        if center and not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 2) * CARD_LINES, animate=False, force=True)
        elif row < top:
            self.scroll_to(y=row * CARD_LINES, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=(row - height + 1) * CARD_LINES, animate=False, force=True)

    def refresh_row(self, index: int) -> None:
        """Repaint card ``index`` if it is on screen."""
        line = (index - self.top_card) * CARD_LINES + 1
        height = self.scrollable_content_region.height
        if 1 <= line < height:
            width = self.scrollable_content_region.width
            self.refresh(Region(0, line, width, CARD_LINES))

    def action_page(self, direction: int) -> None:
        """Move the cursor and the view by a screenful of cards."""
        height = self.body_height
        self.move_cursor(self.cursor_row + direction * height)
        top = max(0, self.top_card + direction * height)
        self.scroll_to(y=top * CARD_LINES, animate=False, force=True)
        self.scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        """Click a card to put the cursor on it, double-click to open it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = (round(self.scroll_y) + offset.y - 1) // CARD_LINES
        if index < self.row_count:
            self.post_message(self.Picked(self))
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        """Cards drawn again at the new width."""
        self.clear_lines()
        self.update_virtual_size(event.size.width)
        self.scroll_to_cursor()

    def clear_lines(self) -> None:
        """Forget the painted cards too."""
        super().clear_lines()
        self._card_lines.clear()

    # --- painting -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line ``y``: the rule, then the cards' lines from the scroll position."""
        width = self.scrollable_content_region.width
        if y == 0:
            return self.render_header(width, 0)
        line = round(self.scroll_y) + y - 1
        index, part = divmod(line, CARD_LINES)
        if index >= self.row_count:
            return self.render_past_end(index, width)
        cursor = self.active and index == self.cursor_row
        row = self.blocks.row(index)
        if row is None:
            placeholder = self.render_placeholder(cursor, width, 0)
            return placeholder if part == 0 else Strip.blank(width, placeholder_style(self, cursor))
        key = (index, cursor, width)
        lines = self._card_lines.get(key)
        if lines is None:
            lines = self._card_lines[key] = self._card(row.card, cursor, width)
        return lines[part]

    def _base_style(self, cursor: bool) -> Style:
        if cursor:
            return self.get_component_rich_style("stage-cards--cursor")
        return self.rich_style

    def render_header(self, width: int, scroll_x: int) -> Strip:
        """A thin rule under the stage header."""
        style = self.get_component_rich_style("stage-cards--rule")
        return Strip([Segment("─" * max(0, width), style)], max(0, width))

    def render_past_end(self, index: int, width: int) -> Strip:
        """Below the last card: blank, or "no customer" in an empty stage."""
        if self.row_count == 0 and index == 0:
            dim = self.get_component_rich_style("stage-cards--placeholder")
            empty = fit(Text(" " + _("(none)"), style=dim), width)
            return self._strip(empty, self.rich_style, width)
        return Strip.blank(width, self.rich_style)

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        """A card not loaded yet: ``…``."""
        style = self._base_style(cursor)
        dim = self.get_component_rich_style("stage-cards--placeholder", partial=True)
        return self._strip(Text(" …", style=dim), style, width)

    def render_row(self, row: CardRow, cursor: bool, width: int, scroll_x: int) -> Strip:
        """The first line of a card (the list's one-line API; painting uses ``_card``)."""
        return self._card(row.card, cursor, width)[0]

    def _card(self, card: Card, cursor: bool, width: int) -> list[Strip]:
        style = self._base_style(cursor)
        inner = max(1, width - 2)
        name_style = self.get_component_rich_style("stage-cards--name", partial=True)
        name = fit(safe_text(card.customer, name_style), inner)
        detail_style = self.get_component_rich_style("stage-cards--detail", partial=True)
        detail = card_detail(card, inner, detail_style)
        return [
            self._strip(Text(" ").append_text(name), style, width),
            self._strip(Text(" ").append_text(detail), style, width),
        ]

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        text.no_wrap = True
        text.end = ""
        segments = list(text.render(self.app.console))
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)


def placeholder_style(widget: StageCards, cursor: bool) -> Style:
    """The style of a card not loaded yet."""
    if cursor:
        return widget.get_component_rich_style("stage-cards--cursor")
    return widget.rich_style


def month_day(day: dt.date) -> str:
    """A date without its year, as the locale writes it: ``Dec 15`` (en), ``15 déc.`` (fr)."""
    from babel.dates import format_skeleton  # lazily: the board only

    return format_skeleton("MMMd", day, locale=locale_name())


def card_detail(card: Card, width: int, style: Style) -> Text:
    """The second line of a card: the amount, and the close date at the right (without its
    year when the whole date does not fit; cut with an ellipsis when neither does)."""
    amount = shown_amount(card.amount_cents) if card.amount_cents is not None else "—"
    line = Text(amount, style=style)
    if card.close_date is not None:
        room = width - cell_len(amount) - 1
        close = shown_date(card.close_date)
        if room < cell_len(close):
            close = month_day(card.close_date)
        if room >= cell_len(close):
            line.append(" " * (room - cell_len(close) + 1))
            line.append(close, style=style)
        elif room >= 2:
            line.append(" ")
            line.append_text(fit(Text(close, style=style), room))
    return fit(line, width)


def stage_cards_id(status_id: int) -> str:
    """The DOM id of a stage's card list."""
    return f"stage-cards-{status_id}"
