"""The bar over the notes list: the search field, one chip per active sort/filter, the count.

Chips are focusable: ``tab`` reaches them, ``left``/``right`` move between them and
``delete`` (or ``backspace``, ``x``, ``enter``) removes the one focused.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from crm_tui.i18n import _
from crm_tui.ui.safe_text import shown
from crm_tui.ui.widgets.safe_inputs import SafeInput


class FilterChip(Static, can_focus=True):
    """One active sort or filter; removable from the keyboard or by a click."""

    BINDINGS = [
        Binding("delete,backspace,x,enter", "remove", _("Remove"), id="filter_bar.remove"),
        Binding("left", "step(-1)", _("Previous"), show=False, id="filter_bar.previous"),
        Binding("right", "step(1)", _("Next"), show=False, id="filter_bar.next"),
    ]

    class Removed(Message):
        """Remove the sort (``kind`` "sort") or condition number ``index`` ("condition")."""

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
        """Focus the previous or next chip."""
        chips = list(self.parent.query(FilterChip)) if self.parent else []
        if self in chips:
            position = chips.index(self) + offset
            if 0 <= position < len(chips):
                chips[position].focus()


class FilterBar(Horizontal):
    """Search field, active sort and filters, and how many notes match."""

    def compose(self) -> ComposeResult:
        """The search field, the chips, the count."""
        yield SafeInput(placeholder=_("/ search"), id="notes-search", compact=True)
        yield Horizontal(id="filter-chips")
        yield Static("", id="notes-count")

    @property
    def search_input(self) -> Input:
        """The search field."""
        return self.query_one("#notes-search", Input)

    def show_chips(self, chips: Sequence[tuple[str, int, Text]]) -> None:
        """Replace the chips with ``(kind, index, label)`` ones."""
        holder = self.query_one("#filter-chips", Horizontal)
        old = list(holder.query(FilterChip))
        focused = self.screen.focused
        position = old.index(focused) if isinstance(focused, FilterChip) and focused in old else -1
        holder.remove_children()
        new = [FilterChip(kind, index, label) for kind, index, label in chips]
        if new:
            holder.mount(*new)
            if position >= 0:
                self.call_after_refresh(new[min(position, len(new) - 1)].focus)

    def set_count(self, text: str) -> None:
        """Show the number of notes."""
        self.query_one("#notes-count", Static).update(shown(text))
