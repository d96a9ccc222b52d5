"""Pickers of the note editor: badges (and users) in a row, and a customer name with suggestions.

``BadgePicker`` draws every choice in its own colours, in configured order; typing an
abbreviation or the start of a name selects, ``left``/``right`` move, ``delete`` clears.
``CustomerInput`` suggests existing customers while a name is typed (a few rows, from a
database thread); a name no customer has yet makes a new customer when the note is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.customer_queries import suggest_customers
from crm_tui.domain.text import fold, visible
from crm_tui.i18n import _
from crm_tui.records import Badge, CustomerInfo, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_format, safe_text
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.safe_inputs import SafeInput

SUGGESTIONS = 8
"""How many customers are suggested while a name is typed."""

SUGGEST_HOLD = "customer-suggestions"


@dataclass(frozen=True, slots=True)
class PickerItem:
    """One choice of a picker: a badge, or a plain name (users)."""

    id: int
    name: str
    abbreviation: str = ""
    badge: Badge | None = None

    def label(self) -> Text:
        """The choice as drawn: the badge in its colours, or the name."""
        if self.badge is not None:
            return badge_text(self.badge)
        return Text(f" {visible(self.name)} ", no_wrap=True, end="")


def badge_items(badges: Iterable[Badge], current: int | None = None) -> list[PickerItem]:
    """Choices for badges: the active ones in order, plus ``current`` if archived."""
    return [
        PickerItem(b.id, b.name, b.abbreviation, b)
        for b in badges
        if not b.archived or b.id == current
    ]


def user_items(users: Iterable[UserInfo], current: int | None = None) -> list[PickerItem]:
    """Choices for users: the active ones, plus ``current`` if deactivated."""
    return [PickerItem(u.id, u.name) for u in users if u.active or u.id == current]


def match_item(items: Sequence[PickerItem], typed: str) -> PickerItem | None:
    """The choice ``typed`` names: an abbreviation, else the start of a name or of a word."""
    key = fold(typed)
    if not key:
        return None
    tests = (
        lambda item: fold(item.abbreviation) == key,
        lambda item: fold(item.name).startswith(key),
        lambda item: fold(item.abbreviation).startswith(key),
        lambda item: any(word.startswith(key) for word in fold(item.name).split()),
    )
    for test in tests:
        for item in items:
            if test(item):
                return item
    return None


BADGE_PICKER_ACTIONS = ActionTable(
    Action("picker.previous", "left", "move(-1)", N_("Previous"), show=False),
    Action("picker.next", "right", "move(1)", N_("Next"), show=False),
    Action("picker.clear", "delete", "clear", N_("Clear"), show=False),
    Action("picker.erase", "backspace", "erase", N_("Erase"), show=False),
)
"""The keys of ``BadgePicker``."""


class BadgePicker(Widget, can_focus=True):
    """Choose one of a few items, drawn in a row; ``value`` is the item's id or ``None``."""

    BINDINGS = BADGE_PICKER_ACTIONS.bindings()
    COMPONENT_CLASSES = {"badge-picker--marker", "badge-picker--typed", "badge-picker--none"}
    HINT = N_("←/→ or type the name")
    """Shown (translated) after the choices while the picker has the focus and nothing is typed."""

    value: reactive[int | None] = reactive(None)
    typed: reactive[str] = reactive("")

    @dataclass
    class Changed(Message):
        """The choice changed."""

        picker: BadgePicker
        value: int | None

        @property
        def control(self) -> BadgePicker:
            """The picker that changed."""
            return self.picker

    def __init__(
        self,
        items: Sequence[PickerItem] = (),
        value: int | None = None,
        *,
        allow_none: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.allow_none = allow_none
        self.items: list[PickerItem] = list(items)
        self.set_reactive(BadgePicker.value, value)

    # --- reading and setting ----------------------------------------------------------------

    @property
    def selected(self) -> PickerItem | None:
        """The chosen item."""
        return next((item for item in self.items if item.id == self.value), None)

    @property
    def text(self) -> str:
        """The chosen item's name (what the domain resolves), or ``""``."""
        item = self.selected
        return item.name if item else ""

    def set_items(self, items: Sequence[PickerItem], value: int | None = None) -> None:
        """Replace the choices and choose ``value``."""
        self.items = list(items)
        self.value = value
        self._relayout()

    def choose_name(self, name: str) -> None:
        """Choose the item named (or abbreviated) ``name``; blank clears."""
        item = match_item(self.items, name) if name.strip() else None
        self.value = item.id if item else None

    def watch_value(self, value: int | None) -> None:
        """Tell the form."""
        self.post_message(self.Changed(self, value))

    # --- keys ---------------------------------------------------------------------------

    def _choices(self) -> list[int | None]:
        ids: list[int | None] = [item.id for item in self.items]
        return [None, *ids] if self.allow_none else ids

    def action_move(self, step: int) -> None:
        """Choose the previous or next item."""
        choices = self._choices()
        if not choices:
            return
        index = choices.index(self.value) if self.value in choices else 0
        self.value = choices[(index + step) % len(choices)]
        self.typed = ""

    def action_clear(self) -> None:
        """Choose nothing."""
        if self.allow_none:
            self.value = None
        self.typed = ""

    def action_erase(self) -> None:
        """Forget the last letter typed (or clear when nothing is typed)."""
        if not self.typed:
            self.action_clear()
            return
        self.typed = self.typed[:-1]
        item = match_item(self.items, self.typed)
        if item is not None:
            self.value = item.id

    def on_key(self, event: events.Key) -> None:
        """Letters choose by abbreviation or by the start of a name."""
        char = event.character
        if not event.is_printable or char is None or (char == " " and not self.typed):
            return
        event.stop()
        event.prevent_default()
        for attempt in (self.typed + char, char):
            item = match_item(self.items, attempt)
            if item is not None:
                self.typed = attempt
                self.value = item.id
                return
        self.app.bell()

    def on_focus(self) -> None:
        """Say how to choose."""
        self._relayout()

    def on_blur(self) -> None:
        """Typing starts afresh next time."""
        self.typed = ""
        self._relayout()

    # --- drawing -------------------------------------------------------------------------

    def _cells(self) -> list[Text]:
        marker = self.get_component_rich_style("badge-picker--marker", partial=True)
        cells: list[Text] = []
        if self.allow_none:
            none = Text(
                _(" none "),
                style=self.get_component_rich_style("badge-picker--none", partial=True),
                end="",
            )
            cells.append(self._cell(none, self.value is None, marker))
        for item in self.items:
            cells.append(self._cell(item.label(), item.id == self.value, marker))
        if self.has_focus:
            typed = self.get_component_rich_style("badge-picker--typed", partial=True)
            if self.typed:
                cells.append(Text(f"⌨ {visible(self.typed)}", style=typed, end=""))
            else:
                cells.append(Text(_(self.HINT), style=typed + Style(dim=True), end=""))
        return cells

    @staticmethod
    def _cell(label: Text, chosen: bool, marker: Style) -> Text:
        cell = Text("▶" if chosen else " ", style=marker if chosen else Style(), end="")
        if chosen:
            label = label.copy()
            label.stylize(Style(underline=True))
        cell.append_text(label)
        return cell

    def _lines(self, width: int) -> list[Text]:
        lines: list[Text] = [Text(end="")]
        for cell in self._cells():
            line = lines[-1]
            if line.cell_len and line.cell_len + 1 + cell.cell_len > width:
                lines.append(Text(end=""))
                line = lines[-1]
            if line.cell_len:
                line.append(" ")
            line.append_text(cell)
        return lines

    def render(self) -> Text:
        """The choices, wrapped to the width."""
        return Text("\n", end="").join(self._lines(max(1, self.content_size.width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the choices need."""
        return len(self._lines(max(1, width)))

    def watch_typed(self) -> None:
        """Show what was typed."""
        self._relayout()

    def _relayout(self) -> None:
        """Repaint; lay the screen out again only when the number of lines changes."""
        lines = len(self._lines(max(1, self.content_size.width)))
        self.refresh(layout=lines != self.size.height)


CUSTOMER_INPUT_ACTIONS = ActionTable(
    Action("customer.next", "down", "suggestion(1)", N_("Next customer"), show=False),
    Action("customer.prev", "up", "suggestion(-1)", N_("Previous customer"), show=False),
)
"""The keys of ``CustomerInput``."""


class CustomerInput(Vertical):
    """A customer's name, with suggestions of existing customers below while typing."""

    BINDINGS = CUSTOMER_INPUT_ACTIONS.bindings()

    @dataclass
    class Chosen(Message):
        """A customer name was accepted (a suggestion, enter, or leaving the field)."""

        name: str

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = value
        self._chosen = value
        self._customers: list[CustomerInfo] = []
        self._looking_for: str | None = None
        """The name whose suggestions are awaited (keys typed ahead wait for them)."""

    def compose(self) -> ComposeResult:
        """The name, the suggestions and a hint."""
        yield SafeInput(
            self._initial,
            placeholder=_("Type a customer's name"),
            id="customer-name",
        )
        yield OptionList(id="customer-suggestions")
        yield Static("", id="customer-hint", classes="hint")

    def on_mount(self) -> None:
        """Nothing to suggest yet; the suggestions are reached from the name, not by tab."""
        suggestions = self.query_one(OptionList)
        suggestions.can_focus = False
        suggestions.display = False
        self.query_one("#customer-hint").display = False

    @property
    def value(self) -> str:
        """The name as typed."""
        return self.query_one(Input).value

    @value.setter
    def value(self, name: str) -> None:
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = name
        self._chosen = name
        self._looking_for = None
        release_keys(self, SUGGEST_HOLD)
        self._hide()

    def focus(self, scroll_visible: bool = True) -> CustomerInput:
        """Focus the name."""
        self.query_one(Input).focus(scroll_visible)
        return self

    @on(Input.Changed, "#customer-name")
    def _typed(self, event: Input.Changed) -> None:
        """Look for customers; keys typed ahead (↓, enter, tab) wait for the suggestions,
        so they choose what they would have chosen typed slowly."""
        event.stop()
        hold_keys(self, SUGGEST_HOLD)
        self._looking_for = event.value
        self._suggest(event.value)

    @work(exclusive=True, group="customer-suggest", exit_on_error=False)
    async def _suggest(self, text: str) -> None:
        """Look for customers in a database thread, then show them under the name."""
        try:
            customers = (
                await off_thread(suggest_customers, text, SUGGESTIONS) if text.strip() else []
            )
        except Exception:  # no suggestions; the name typed still counts
            customers = []
        if text != self._looking_for:
            return  # a newer lookup is on its way
        release_keys(self, SUGGEST_HOLD)
        if text != self.value:
            return  # the name was set meanwhile
        self._customers = customers
        suggestions = self.query_one(OptionList)
        suggestions.clear_options()
        suggestions.add_options(Option(safe_text(c.name), id=str(c.id)) for c in customers)
        suggestions.highlighted = None
        focused = self.query_one(Input).has_focus
        suggestions.display = bool(customers) and focused
        self._hint()

    def _hint(self) -> None:
        name = " ".join(self.value.split())
        known = any(fold(c.name) == fold(name) for c in self._customers)
        text = Text()
        if name and not known:  # what was typed is drawn literally: "Evil [/bold]" is a name
            text = safe_format(
                _("New customer {name!r}: created when the note is saved"), name=name
            )
            if self.query_one(OptionList).display:
                template = _("↓ to choose a customer above, or a new one: {name!r}")
                text = safe_format(template, name=name)
        hint = self.query_one("#customer-hint", Static)
        hint.update(text)
        hint.display = bool(text.plain)

    def action_suggestion(self, step: int) -> None:
        """Move through the suggestions."""
        suggestions = self.query_one(OptionList)
        if not suggestions.display or not suggestions.option_count:
            return
        current = suggestions.highlighted
        if current is None:
            suggestions.highlighted = 0 if step > 0 else suggestions.option_count - 1
        else:
            suggestions.highlighted = (current + step) % suggestions.option_count

    def _accept(self) -> None:
        suggestions = self.query_one(OptionList)
        index = suggestions.highlighted
        if suggestions.display and index is not None and index < len(self._customers):
            self.value = self._customers[index].name
        else:
            typed = fold(self.value)
            same = next((c for c in self._customers if fold(c.name) == typed), None)
            if same is not None:
                self.value = same.name
        self._hide()
        self._hint()
        self.post_message(self.Chosen(self.value.strip()))
        self._chosen = self.value

    @on(Input.Submitted, "#customer-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    @on(OptionList.OptionSelected, "#customer-suggestions")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._accept()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the field accepts the name (a highlighted suggestion first)."""
        if isinstance(event.widget, Input) and (
            self.value != self._chosen or self.query_one(OptionList).highlighted is not None
        ):
            self._accept()
        self._hide()

    def _hide(self) -> None:
        self.query_one(OptionList).display = False
