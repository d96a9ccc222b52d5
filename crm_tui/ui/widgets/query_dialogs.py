"""Pickers of the notes list: sort keys, visible columns, view names and saved views.

Each is a modal screen driven from the keyboard that dismisses with a plain result
(or ``None`` when cancelled). The filter dialog is ``crm_tui.ui.screens.notes_filter``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from crm_tui.domain.query import SortKey
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.ui.actions import N_, Action, ActionTable, key_of
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput


def sort_summary(keys: Sequence[SortKey], labels: dict[str, str]) -> str:
    """``Customer ▲, Deal value ▼`` (or "newest first" with no key)."""
    if not keys:
        return _("newest first")
    return ", ".join(
        f"{labels.get(key.column, key.column)} {'▼' if key.descending else '▲'}" for key in keys
    )


class TypeToSelect(OptionList):
    """An option list where typing the start of an option's name highlights it.

    Letters and digits build a word (any case, accents ignored); a letter that makes the
    word start no option begins a new word, and the same letter again steps through the
    options starting with it. Any other key (space, arrows, +, -…) ends the word and works
    as bound. Typed letters never reach the screen's or the app's bindings.
    """

    def __init__(self, *options: Option, names: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self._names = [fold(name) for name in names]
        self._typed = ""

    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        if character and event.is_printable and character.isalnum():
            event.stop()
            event.prevent_default()
            self.type_ahead(character)
            return
        self._typed = ""
        await super()._on_key(event)

    def type_ahead(self, character: str) -> None:
        """Highlight the option whose name starts with what was typed (see the class)."""
        current = self.highlighted if self.highlighted is not None else -1
        typed = self._typed + fold(character)
        found = self._starting(typed)
        if found:
            target = current if current in found else found[0]
        elif len(set(typed)) == 1:  # the same letter again: the next option starting with it
            found = self._starting(typed[0])
            later = [index for index in found if index > current]
            target = (later or found or [current])[0]
        else:  # a new word
            typed = fold(character)
            found = self._starting(typed)
            target = found[0] if found else current
        if not found:
            self._typed = ""
            self.app.bell()
            return
        self._typed = typed
        self.highlighted = target

    def _starting(self, typed: str) -> list[int]:
        return [index for index, name in enumerate(self._names) if name.startswith(typed)]


SORT_DIALOG_ACTIONS = ActionTable(
    # The main keys first: the footer shows what fits, in this order.
    Action("sort.apply", "enter", "apply", N_("Apply")),
    Action("sort.cancel", "escape", "cancel", N_("Cancel")),
    Action("sort.cycle", "space", "cycle", N_("▲/▼/off")),
    Action("sort.ascending", "plus,right", "direction(False)", N_("Ascending")),
    Action("sort.descending", "minus,left", "direction(True)", N_("Descending")),
    Action("sort.remove", "delete,backspace", "remove", N_("Remove key")),
    Action("sort.clear", "ctrl+x", "clear", N_("Clear all")),
)
"""The keys of ``SortDialog``."""


class SortDialog(ModalScreen[tuple[SortKey, ...] | None]):
    """Choose sort keys: any column, several keys, each ascending or descending.

    Typing the start of a column's name highlights it (``TypeToSelect``): the keys that
    act are not letters.
    """

    CSS_PATH = "../styles/notes.tcss"
    BINDINGS = SORT_DIALOG_ACTIONS.bindings()

    def __init__(self, columns: Sequence[tuple[str, str]], current: Sequence[SortKey]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.labels = dict(columns)
        self.keys: list[SortKey] = [key for key in current if key.column in self.labels]

    def compose(self) -> ComposeResult:
        """The columns, each with its direction and rank."""
        with Vertical(id="sort-dialog", classes="notes-dialog"):
            yield Label(_("Sort notes"), classes="dialog-title")
            yield Static(
                _("type a name · space ▲/▼/off · +/- direction · enter apply"),
                classes="hint",
            )
            yield TypeToSelect(
                *[Option(self._prompt(column), id=column) for column, _label in self.columns],
                names=[label for _column, label in self.columns],
                id="sort-columns",
            )
            yield Static(self._summary(), id="sort-summary")
        yield CrmFooter()

    def _summary(self) -> Text:
        return shown(_("Order: {keys}").format(keys=sort_summary(self.keys, self.labels)))

    def _prompt(self, column: str) -> Text:
        label = self.labels[column]
        text = safe_text(f"{label:<32}")
        for rank, key in enumerate(self.keys, 1):
            if key.column == column:
                mark = "▼" if key.descending else "▲"
                text.append(f" {mark} {rank}", style="bold")
        return text

    def _redraw(self) -> None:
        option_list = self.query_one("#sort-columns", OptionList)
        for column, _label in self.columns:
            option_list.replace_option_prompt(column, self._prompt(column))
        self.query_one("#sort-summary", Static).update(self._summary())

    def _highlighted(self) -> str | None:
        option = self.query_one("#sort-columns", OptionList).highlighted_option
        return option.id if option else None

    def _set(self, column: str, descending: bool | None) -> None:
        index = next((i for i, key in enumerate(self.keys) if key.column == column), None)
        if descending is None:
            if index is not None:
                del self.keys[index]
        elif index is None:
            self.keys.append(SortKey(column, descending))
        else:
            self.keys[index] = SortKey(column, descending)
        self._redraw()

    def action_cycle(self) -> None:
        """Off → ascending → descending → off, for the highlighted column."""
        column = self._highlighted()
        if column is None:
            return
        key = next((k for k in self.keys if k.column == column), None)
        if key is None:
            self._set(column, False)
        elif not key.descending:
            self._set(column, True)
        else:
            self._set(column, None)

    def action_direction(self, descending: bool) -> None:
        """Sort by the highlighted column in this direction."""
        column = self._highlighted()
        if column is not None:
            self._set(column, descending)

    def action_remove(self) -> None:
        """Stop sorting by the highlighted column."""
        column = self._highlighted()
        if column is not None:
            self._set(column, None)

    def action_clear(self) -> None:
        """No sort keys: newest first."""
        self.keys.clear()
        self._redraw()

    @on(OptionList.OptionSelected, "#sort-columns")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        """Close with the chosen keys."""
        self.dismiss(tuple(self.keys))

    def action_cancel(self) -> None:
        """Close without changing the sort."""
        self.dismiss(None)


COLUMN_LIST_ACTIONS = ActionTable(
    Action("columns.toggle", "space", "select", N_("Show/hide")),
    Action("columns.apply", "enter", "screen.apply", N_("Apply")),
)
"""The keys of ``_ColumnList``."""


class _ColumnList(SelectionList[str]):
    """Space toggles a column; enter applies (the screen's action)."""

    BINDINGS = COLUMN_LIST_ACTIONS.bindings()


COLUMNS_DIALOG_ACTIONS = ActionTable(
    Action("columns.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``ColumnsDialog``."""


class ColumnsDialog(ModalScreen[frozenset[str] | None]):
    """Show or hide columns; dismisses with the ids of the hidden ones."""

    CSS_PATH = "../styles/notes.tcss"
    BINDINGS = COLUMNS_DIALOG_ACTIONS.bindings()

    def __init__(self, columns: Sequence[tuple[str, str]], hidden: frozenset[str]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        """Every column with a tick when shown."""
        with Vertical(id="columns-dialog", classes="notes-dialog"):
            yield Label(_("Columns"), classes="dialog-title")
            yield Static(
                _("{toggle}: show/hide · {apply}: apply · {cancel}: cancel").format(
                    toggle=COLUMN_LIST_ACTIONS.key(self, "columns.toggle"),
                    apply=COLUMN_LIST_ACTIONS.key(self, "columns.apply"),
                    cancel=COLUMNS_DIALOG_ACTIONS.key(self, "columns.cancel"),
                ),
                classes="hint",
            )
            yield _ColumnList(
                *[
                    Selection(safe_text(label), column, column not in self.hidden, id=column)
                    for column, label in self.columns
                ],
                id="columns-list",
            )
            yield Static("", id="columns-error", classes="field-error")
        yield CrmFooter()

    def action_apply(self) -> None:
        """Close with the hidden column ids (at least one column stays shown)."""
        shown = set(self.query_one(_ColumnList).selected)
        if not shown:
            self.query_one("#columns-error", Static).update(_("keep at least one column"))
            return
        self.dismiss(frozenset(column for column, _label in self.columns if column not in shown))

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)


VIEW_NAME_DIALOG_ACTIONS = ActionTable(
    Action("view_name.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``ViewNameDialog``."""


class ViewNameDialog(ModalScreen[str | None]):
    """Ask for the name to save the current view under."""

    CSS_PATH = "../styles/notes.tcss"
    BINDINGS = VIEW_NAME_DIALOG_ACTIONS.bindings()

    def __init__(self, summary: str, name: str = "") -> None:
        super().__init__()
        self.summary = summary
        self.initial = name

    def compose(self) -> ComposeResult:
        """A name field over what the view will keep."""
        with Vertical(id="view-name-dialog", classes="notes-dialog"):
            yield Label(_("Save view"), classes="dialog-title")
            yield Static(shown(self.summary), classes="hint", id="view-name-summary")
            yield SafeInput(self.initial, placeholder=_("View name"), id="view-name")
            yield Static("", id="view-name-error", classes="field-error")
        yield CrmFooter()

    @on(Input.Submitted, "#view-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.query_one("#view-name-error", Static).update(_("a view needs a name"))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


VIEWS_DIALOG_ACTIONS = ActionTable(
    Action("views.delete", "delete,d", "delete", N_("Delete view")),
    Action("views.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``ViewsDialog``."""


class ViewsDialog(ModalScreen[tuple[str, str] | None]):
    """Pick a saved view; dismisses with ``("open", name)`` or ``("delete", name)``."""

    CSS_PATH = "../styles/notes.tcss"
    BINDINGS = VIEWS_DIALOG_ACTIONS.bindings()

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self.names = list(names)

    def compose(self) -> ComposeResult:
        """The user's views by name."""
        with Vertical(id="views-dialog", classes="notes-dialog"):
            yield Label(_("Saved views"), classes="dialog-title")
            if self.names:
                yield Static(
                    _("enter: open · {delete}: delete · {cancel}: cancel").format(
                        delete=VIEWS_DIALOG_ACTIONS.key(self, "views.delete", nth=1),
                        cancel=VIEWS_DIALOG_ACTIONS.key(self, "views.cancel"),
                    ),
                    classes="hint",
                )
            else:
                yield Static(
                    _("No saved view yet: press {key} on the notes to save one.").format(
                        key=key_of(self, "notes.save_view")
                    )
                )
            yield OptionList(
                *[Option(safe_text(name), id=str(i)) for i, name in enumerate(self.names)]
            )
        yield CrmFooter()

    def _highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return self.names[int(option.id)] if option and option.id is not None else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(("open", self.names[int(event.option.id)]))

    def action_delete(self) -> None:
        """Delete the highlighted view (the notes screen asks first)."""
        name = self._highlighted()
        if name is not None:
            self.dismiss(("delete", name))

    def action_cancel(self) -> None:
        """Close."""
        self.dismiss(None)
