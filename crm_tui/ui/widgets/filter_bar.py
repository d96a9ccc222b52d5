"""The bar over the notes list: the search field, one chip per active sort, filter and
search, and the count.

Chips are focusable: ``tab`` reaches them, ``left``/``right`` move between them and
``delete`` (or ``backspace``, ``x``, ``enter``) removes the one focused. Chips that do
not fit on one line wrap onto the next ones (the bar grows) rather than being cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from crm_tui.i18n import _
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.safe_text import shown
from crm_tui.ui.widgets.safe_inputs import SafeInput

FILTER_CHIP_ACTIONS = ActionTable(
    Action("filter_bar.remove", "delete,backspace,x,enter", "remove", N_("Remove")),
    Action("filter_bar.previous", "left", "step(-1)", N_("Previous"), show=False),
    Action("filter_bar.next", "right", "step(1)", N_("Next"), show=False),
)
"""The keys of ``FilterChip``."""


class FilterChip(Static, can_focus=True):
    """One active sort or filter; removable from the keyboard or by a click."""

    BINDINGS = FILTER_CHIP_ACTIONS.bindings()

    class Removed(Message):
        """Remove the sort (``kind`` "sort"), condition number ``index`` ("condition")
        or the search ("search")."""

        def __init__(self, kind: str, index: int) -> None:
            self.kind = kind
            self.index = index
            super().__init__()

    def __init__(self, kind: str, index: int, label: Text) -> None:
        text = label.copy()
        text.append(" ✕", style="bold")
        super().__init__(text, classes=f"filter-chip chip-{kind}")
        self.kind = kind
        self.index = index
        self.tooltip = _("delete: remove")

    def action_remove(self) -> None:
        """Ask the screen to drop this sort or filter."""
        self.post_message(self.Removed(self.kind, self.index))

    def on_click(self) -> None:
        """A click removes the chip too."""
        self.action_remove()

    def action_step(self, offset: int) -> None:
        """Focus the previous or next chip (across the bar's lines)."""
        bar = next((a for a in self.ancestors if isinstance(a, FilterBar)), None)
        chips = list(bar.query(FilterChip)) if bar else []
        if self in chips:
            position = chips.index(self) + offset
            if 0 <= position < len(chips):
                chips[position].focus()


CHIP_CHROME = 2 + 2 + 1
"""Cells of a chip besides its label: `` ✕``, the padding and the margin after it."""

ChipSpec = tuple[str, int, Text]
"""``(kind, index, label)`` of one chip."""


def chip_lines(chips: Sequence[ChipSpec], width: int) -> list[list[ChipSpec]]:
    """The chips split into lines of at most ``width`` cells (each line at least one)."""
    lines: list[list[ChipSpec]] = []
    used = 0
    for chip in chips:
        cells = cell_len(chip[2].plain) + CHIP_CHROME
        if lines and used + cells <= width:
            lines[-1].append(chip)
            used += cells
        else:
            lines.append([chip])
            used = cells
    return lines


class ChipLines(Vertical):
    """The chips, on as many lines as they need; laid out again when its width changes."""

    def on_resize(self, event: events.Resize) -> None:
        """A new width may split the chips differently."""
        bar = self.parent
        if isinstance(bar, FilterBar):
            bar.lay_out_chips()


class FilterBar(Horizontal):
    """Search field, active sort, filters and search, and how many notes match."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._chips: list[ChipSpec] = []
        self._split: tuple[int, ...] | None = None

    def compose(self) -> ComposeResult:
        """The search field, the chips, the count."""
        yield SafeInput(placeholder=_("/ search"), id="notes-search", compact=True)
        yield ChipLines(id="filter-chips")
        yield Static("", id="notes-count")

    def relabel(self) -> None:
        """The search field's hint in the language in force (what was typed stays)."""
        self.search_input.placeholder = _("/ search")

    @property
    def search_input(self) -> Input:
        """The search field."""
        return self.query_one("#notes-search", Input)

    def show_chips(self, chips: Sequence[ChipSpec]) -> None:
        """Replace the chips with ``(kind, index, label)`` ones."""
        self._chips = list(chips)
        self._split = None
        self.lay_out_chips()

    def lay_out_chips(self) -> None:
        """Mount the chips on lines that fit the holder's width (if that changed them)."""
        holder = self.query_one("#filter-chips", ChipLines)
        width = holder.size.width or 10_000  # not laid out yet: one line, then again
        lines = chip_lines(self._chips, width)
        split = tuple(len(line) for line in lines)
        if split == self._split:
            return
        self._split = split
        old = list(holder.query(FilterChip))
        focused = self.screen.focused
        position = old.index(focused) if isinstance(focused, FilterChip) and focused in old else -1
        holder.remove_children()
        built = [[FilterChip(*chip) for chip in line] for line in lines]
        if built:
            holder.mount(*[Horizontal(*line, classes="chip-line") for line in built])
            if position >= 0:
                chips = [chip for line in built for chip in line]
                self.call_after_refresh(chips[min(position, len(chips) - 1)].focus)

    def set_count(self, text: str) -> None:
        """Show the number of notes."""
        self.query_one("#notes-count", Static).update(shown(text))
