"""Form rows of the note editor: a label, a typed input checked as typed, and why it is refused.

``check_value`` is the one place a typed value is checked before saving (with the
domain's parsers of what people type, ``crm_tui.domain.locale_values``, so the messages
are the domain's): values in the user's locale (``15/01/2027``, ``1 234,50 €``), ISO dates
and words (``demain``, ``lundi``, ``+3j``), resolved against the session's today, become
the machine forms the domain stores (``2027-01-15``, ``1234.50``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.locale_values import editable_value, machine_text, shown_value
from crm_tui.i18n import _
from crm_tui.records import VariableInfo
from crm_tui.ui.safe_text import shown
from crm_tui.ui.widgets.pickers import BadgePicker, badge_items
from crm_tui.ui.widgets.safe_inputs import SafeInput

DATE_KINDS = ("date", "follow_up")


def placeholder(kind: str) -> str:
    """What a field of ``kind`` accepts, shown while it is empty."""
    return {
        "number": _("a number: 12, -3.5"),
        "currency": _("an amount: 1234.50"),
        "date": _("YYYY-MM-DD, today, +3d, +2w"),
        "follow_up": _("YYYY-MM-DD, today, tomorrow, +3d, +2w"),
    }.get(kind, "")


def check_value(kind: str, text: str, field: str, today: dt.date) -> str:
    """The value to save for ``text`` typed in a field of ``kind``, in its machine form
    (dates ISO, amounts and numbers with a dot decimal, no grouping).

    Raises ``ValidationError`` naming ``field`` when the value is refused.
    """
    return machine_text(kind, text, field, today)


class FieldRow(Horizontal):
    """A label on the left; the field, a hint and the field's error below it on the right."""

    variable_id: int | None = None
    """The variable the row edits (``None``: a built-in field)."""

    def __init__(
        self,
        label: str,
        *fields: Widget,
        field_name: str,
        id: str | None = None,
        classes: str = "",
    ) -> None:
        super().__init__(id=id, classes=f"field-row {classes}".strip())
        self.label = label
        self.field_name = field_name
        self._fields = fields
        self._shown: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        """Label, fields, hint and error line."""
        yield Label(shown(self.label), classes="field-label")  # a variable's name: literal
        with Vertical(classes="field-body"):
            yield from self._fields
            yield Static("", classes="field-hint hint")
            yield Static("", classes="field-error")

    def show_error(self, problem: str | None) -> None:
        """Say why the value is refused (``None``: it is fine)."""
        self._show(".field-error", problem)
        self.set_class(bool(problem), "-invalid")

    def show_hint(self, hint: str | None) -> None:
        """A short help line under the field (``None``: none)."""
        self._show(".field-hint", hint)

    def _show(self, selector: str, text: str | None) -> None:
        if selector in self._shown and self._shown[selector] == text:
            return  # unchanged: no new layout
        self._shown[selector] = text
        line = self.query_one(selector, Static)
        line.update(shown(text))  # may quote what was typed: literal, never markup
        line.display = bool(text)

    def on_mount(self) -> None:
        """No error and no hint yet."""
        self.show_error(None)
        self.show_hint(None)

    def on_descendant_focus(self) -> None:
        """Mark the row holding the focus (its label lights up)."""
        self.add_class("-focus")

    def on_descendant_blur(self) -> None:
        """The focus left the row."""
        self.remove_class("-focus")

    def focus_field(self) -> None:
        """Focus the row's first focusable field."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return


class TypedInput(FieldRow):
    """A row with one ``Input`` checked as typed (``kind``: text, number, currency, date...)."""

    def __init__(
        self,
        label: str,
        kind: str,
        today: dt.date,
        *,
        field_name: str | None = None,
        value: str = "",
        id: str | None = None,
        classes: str = "",
    ) -> None:
        self.kind = kind
        self.today = today
        self.input = SafeInput(value, placeholder=placeholder(kind), classes=f"-{kind}")
        super().__init__(label, self.input, field_name=field_name or label, id=id, classes=classes)

    @property
    def text(self) -> str:
        """What is typed."""
        return self.input.value

    def set_text(self, text: str) -> None:
        """Replace what is typed (and check it)."""
        self.input.value = text
        self.check()

    def editable(self, machine: str) -> str:
        """A stored value (machine form: ``1234.50``, ``2027-01-15``) as the user types it
        (``1234,50``, ``15/01/2027`` in French)."""
        return editable_value(self.kind, machine)

    def set_value(self, machine: str) -> None:
        """Put a stored value (machine form) in the field, as the user types it."""
        self.set_text(self.editable(machine))

    def check(self) -> str | None:
        """Check what is typed: show why it is refused, or a hint; return the problem."""
        try:
            value = check_value(self.kind, self.input.value, self.field_name, self.today)
        except ValidationError as error:
            self.show_error(error.problem)
            self.show_hint(None)
            return error.problem
        self.show_error(None)
        typed = self.input.value.strip()
        day = shown_value("date", value) if self.kind in DATE_KINDS else ""
        self.show_hint(f"→ {day}" if day and day != typed else None)
        return None

    def saved_text(self) -> str:
        """The value to give the domain (dates resolved to ISO); assumes ``check`` passed."""
        try:
            return check_value(self.kind, self.input.value, self.field_name, self.today)
        except ValidationError:
            return self.input.value

    @on(Input.Changed)
    def _changed(self) -> None:
        self.check()


class DropdownRow(FieldRow):
    """A row with a badge picker of a dropdown variable's options."""

    def __init__(self, variable: VariableInfo, *, id: str | None = None) -> None:
        self.picker = BadgePicker(badge_items(variable.options), classes="value-picker")
        self.variable = variable
        super().__init__(
            variable.name, self.picker, field_name=variable.name, id=id, classes="variable-row"
        )
        self.variable_id = variable.id

    @property
    def text(self) -> str:
        """The chosen option's name, or ``""``."""
        return self.picker.text

    def editable(self, machine: str) -> str:
        """An option's name is its stored form."""
        return machine

    def set_value(self, machine: str) -> None:
        """Choose the option named ``machine``."""
        self.set_text(machine)

    def set_text(self, text: str) -> None:
        """Choose the option named ``text`` (keeps an archived option the note has)."""
        option = next((o for o in self.variable.options if o.name == text), None)
        if option is not None and option.archived:
            self.picker.set_items(badge_items(self.variable.options, option.id), option.id)
            return
        self.picker.choose_name(text)

    def check(self) -> str | None:
        """A picker holds only valid choices."""
        self.show_error(None)
        return None

    def saved_text(self) -> str:
        """The chosen option's name."""
        return self.text


ValueRow = TypedInput | DropdownRow


def variable_rows(variables: Iterable[VariableInfo], today: dt.date) -> list[ValueRow]:
    """One row per variable, typed by the variable's type."""
    rows: list[ValueRow] = []
    for variable in variables:
        row_id = f"var-{variable.id}"
        if variable.type == "dropdown":
            rows.append(DropdownRow(variable, id=row_id))
        else:
            row = TypedInput(variable.name, variable.type, today, id=row_id, classes="variable-row")
            row.variable_id = variable.id
            rows.append(row)
    return rows
