"""Add/edit dialogs of Settings: a status, action or option; a variable; business hours.

Nothing is saved until the domain accepts every field; a refusal is shown under its
field and the form keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from crm_tui.domain.cockpit.hours import WEEKDAYS, format_clock
from crm_tui.domain.connections import refusing_database_errors
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.values import VARIABLE_TYPES
from crm_tui.i18n import _
from crm_tui.records import BusinessHours, VariableInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.badge_form import BadgeDraft, BadgeForm, StateCheckbox, new_draft
from crm_tui.ui.widgets.color_picker import ColorPickerScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen, leave_form
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput
from crm_tui.ui.widgets.settings_list import type_label

CSS_PATH = "../styles/settings.tcss"
FORM_ACTIONS = ActionTable(
    Action("settings.form.save", "ctrl+s", "save", N_("Save"), priority=True),
    Action("settings.form.cancel", "escape", "cancel", N_("Cancel")),
    Action("settings.form.error", "f8", "go_to_error", N_("Go to error")),
)
"""The keys of every Settings form."""
COLOR_ACTIONS = ActionTable(
    Action("settings.form.pick", "f5", "pick_color", N_("Pick colour")),
    Action("settings.form.fix_contrast", "f6", "readable_font", N_("Readable font")),
)
"""The keys of the forms with colours (statuses, actions, options)."""


class _FormScreen(ModalScreen[Any]):
    """A dialog that saves in a database thread and dismisses with the saved record."""

    CSS_PATH = CSS_PATH

    def __init__(self, title: str, save: Callable[..., Any]) -> None:
        super().__init__()
        self._title = title
        self._save = save
        self._saving = False

    def buttons(self) -> ComposeResult:
        """Save and Cancel, with their keys."""
        with Horizontal(classes="form-buttons"):
            save = FORM_ACTIONS.key(self, "settings.form.save")
            cancel = FORM_ACTIONS.key(self, "settings.form.cancel", short=True)
            yield Button(_("Save ({key})").format(key=save), id="form-save", variant="primary")
            yield Button(_("Cancel ({key})").format(key=cancel), id="form-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field goes to the next one."""
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save, Cancel, and the colour pickers."""
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def fields(self) -> dict[str, Any]:
        """What to save (subclasses)."""
        raise NotImplementedError

    def changed(self) -> bool:
        """Whether something was typed (subclasses)."""
        raise NotImplementedError

    def show_refusal(self, error: ValidationError) -> None:
        """Show a refused field (subclasses may place it better)."""
        self.query_one("#form-error", Static).update(shown(f"{error.field}: {error.problem}"))

    def point_to_field(self, error: ValidationError) -> None:
        """Say, by the buttons, which field was refused and which key goes there.

        The focus stays where the user was: keys typed next land where they expect.
        """
        message = _("Not saved: {field}: {problem}. {key} goes to the field.").format(
            field=error.field,
            problem=error.problem,
            key=FORM_ACTIONS.key(self, "settings.form.error").upper(),
        )
        self.query_one("#form-error", Static).update(shown(message))  # may quote a name
        self.refresh_bindings()

    def error_target(self) -> Widget | None:
        """The field of the last refusal (subclasses)."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Go to error" only while a field is refused."""
        if action == "go_to_error":
            return self.error_target() is not None
        return True

    def action_go_to_error(self) -> None:
        """Focus the refused field."""
        target = self.error_target()
        if target is not None:
            target.focus()
            target.scroll_visible()

    def action_save(self) -> None:
        """Ask the domain to save; it checks every field."""
        if self._saving:
            return
        self._saving = True
        hold_keys(self, "settings-form-save")  # keys typed after ctrl+s follow its answer
        self.query_one("#form-error", Static).update("")
        fields = self.fields()
        self._run_save(partial(self._save, **fields))

    @work(exclusive=True, group="settings-form-save", exit_on_error=False)
    async def _run_save(self, save: Callable[[], Any]) -> None:
        """Save in a database thread; close with the saved record, or show why not."""
        try:
            saved = await off_thread(refusing_database_errors, save)
        except ValidationError as error:
            self._saving = False
            self.show_refusal(error)
        except DomainError as error:
            self._saving = False
            self.query_one("#form-error", Static).update(shown(str(error)))
        else:
            self._saving = False
            self.dismiss(saved)
        release_keys(self, "settings-form-save")

    def action_cancel(self) -> None:
        """Leave without saving, asking first if something was typed."""
        leave_form(self, self.changed())


class BadgeFormScreen(_FormScreen):
    """Add or edit a status, an action or an option.

    ``save(**fields)`` is called in a thread with the fields of :class:`BadgeDraft`.
    """

    BINDINGS = [*FORM_ACTIONS.bindings(), *COLOR_ACTIONS.bindings()]

    def __init__(
        self,
        title: str,
        draft: BadgeDraft,
        save: Callable[..., Any],
        taken: Sequence[str] = (),
        kind: str | None = None,
    ) -> None:
        """``taken``: the other items' abbreviations (a suggested one must differ);
        ``kind``: ``status``, ``action`` or ``option`` (each has a field of its own)."""
        super().__init__(title, save)
        self._draft = draft
        self._taken = tuple(taken)
        self._kind = kind

    def compose(self) -> ComposeResult:
        """Title, fields with preview, buttons, error line."""
        with Vertical(id="form-dialog"):
            yield Label(shown(self._title), id="form-title")  # may quote a name
            with VerticalScroll(classes="form-body", can_focus=False):
                yield BadgeForm(
                    self._draft,
                    fix_key=COLOR_ACTIONS.key(self, "settings.form.fix_contrast").upper(),
                    taken_abbreviations=self._taken,
                    kind=self._kind,
                    id="badge-form",
                )
            yield Static(id="form-error", classes="error")
            yield from self.buttons()
        yield CrmFooter()

    @property
    def form(self) -> BadgeForm:
        """The fields."""
        return self.query_one(BadgeForm)

    def fields(self) -> dict[str, Any]:
        """The badge fields as typed."""
        return self.form.draft().fields()

    def changed(self) -> bool:
        """Whether anything differs from the start."""
        return self.form.draft() != self._draft

    def show_refusal(self, error: ValidationError) -> None:
        """Under its field when it has one, and a pointer to it by the buttons."""
        if self.form.show_error(error):
            self.point_to_field(error)
        else:
            super().show_refusal(error)

    def error_target(self) -> Widget | None:
        """The refused field, if any."""
        field = self.form.error_field if self.is_mounted else None
        return None if field is None else self.query_one(f"#field-{field}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Pick buttons open the colour picker."""
        button_id = event.button.id or ""
        if button_id.startswith("pick-"):
            self.open_picker(button_id.removeprefix("pick-"))
        else:
            super().on_button_pressed(event)

    def action_pick_color(self) -> None:
        """Pick the colour of the field in focus (the background otherwise)."""
        focused = self.focused.id if self.focused else ""
        self.open_picker("font" if focused in ("field-font", "pick-font") else "background")

    def open_picker(self, field: str) -> None:
        """Open the colour picker for ``"font"`` or ``"background"``."""
        draft = self.form.draft()
        current, other = (
            (draft.font_color, draft.background_color)
            if field == "font"
            else (draft.background_color, draft.font_color)
        )

        def picked(color: str | None) -> None:
            if color:
                self.form.set_color(field, color)
            self.query_one(f"#field-{field}", Input).focus()

        picker = ColorPickerScreen(current, other=other, role=field, sample=draft.name)
        self.app.push_screen(picker, picked)

    def action_readable_font(self) -> None:
        """Use black or white font, whichever reads better on the background."""
        if not self.form.fix_contrast():
            self.query_one("#form-error", Static).update(_("Give a valid background colour first."))


TYPE_HINT = N_("←→↑↓ move between types, space or enter picks one")


class VariableFormScreen(_FormScreen):
    """Add or edit a variable: name and type; a new dropdown also gets its first option.

    ``save(name=…, type=…, options=[…])`` is called in a thread (``options`` only when
    the variable becomes a dropdown).
    """

    BINDINGS = FORM_ACTIONS.bindings()

    def __init__(
        self, title: str, save: Callable[..., Any], variable: VariableInfo | None = None
    ) -> None:
        super().__init__(title, save)
        self._variable = variable
        self._error_target: str | None = None

    def compose(self) -> ComposeResult:
        """Name, type (with how to pick it), and (new dropdown) the first option."""
        current = self._variable.type if self._variable else "text"
        with Vertical(id="form-dialog"):
            yield Label(shown(self._title), id="form-title")  # may quote a name
            with VerticalScroll(classes="form-body", can_focus=False):
                with Horizontal(classes="form-row"):
                    yield Label(_("Name"), classes="form-label")
                    yield SafeInput(
                        self._variable.name if self._variable else "", id="variable-name"
                    )
                yield _error_line("variable-error-name")
                with Horizontal(classes="form-row type-row"):
                    yield Label(_("Type"), classes="form-label")
                    with RadioSet(id="variable-type"):
                        for type_ in VARIABLE_TYPES:
                            yield RadioButton(
                                type_label(type_), type_ == current, id=f"type-{type_}"
                            )
                yield Static(_(TYPE_HINT), id="type-hint", classes="field-hint")
                yield _error_line("variable-error-type")
                if self._variable is None or self._variable.type != "dropdown":
                    with Vertical(id="first-option"):
                        yield Label(_("First option of the dropdown"), classes="form-section")
                        yield BadgeForm(new_draft(), kind="option", id="badge-form")
            yield Static(id="form-error", classes="error")
            yield from self.buttons()
        yield CrmFooter()

    def on_mount(self) -> None:
        """Show the first-option fields only for a dropdown."""
        self._sync_first_option()

    def on_radio_set_changed(self, _event: RadioSet.Changed) -> None:
        """The type changed: show or hide the first option; clear the type's error."""
        self._clear_error("type")
        self._sync_first_option()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The name was edited: clear its error."""
        if event.input.id == "variable-name":
            self._clear_error("name")

    def _clear_error(self, target: str) -> None:
        _set_error(self.query_one(f"#variable-error-{target}", Static), "")
        self.query_one(f"#variable-{target}").set_class(False, "-invalid")
        if self._error_target == target:
            self._error_target = None
            self.refresh_bindings()

    def error_target(self) -> Widget | None:
        """The refused field: name, type, or a field of the first option."""
        if not self.is_mounted:
            return None
        if self._error_target is not None:
            return self.query_one(f"#variable-{self._error_target}")
        forms = self.query(BadgeForm)
        if forms and forms.first().error_field is not None:
            return self.query_one(f"#field-{forms.first().error_field}")
        return None

    def _sync_first_option(self) -> None:
        for section in self.query("#first-option"):
            section.display = self.chosen_type() == "dropdown"

    def action_save(self) -> None:
        """Save; a dropdown that becomes another type loses its options: ask first."""
        variable = self._variable
        if variable is None or variable.type != "dropdown" or self.chosen_type() == "dropdown":
            super().action_save()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                super(VariableFormScreen, self).action_save()

        question = _(
            "{name!r} becomes a {type} variable: its {count} options will be deleted."
        ).format(
            name=variable.name, type=type_label(self.chosen_type()), count=len(variable.options)
        )
        self.app.push_screen(ConfirmScreen(question, yes=_("Change type")), answered)

    def chosen_type(self) -> str:
        """The type selected."""
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "type-text").removeprefix("type-") if pressed else "text"

    def fields(self) -> dict[str, Any]:
        """Name and type, and the first option of a new dropdown."""
        fields: dict[str, Any] = {
            "name": self.query_one("#variable-name", Input).value,
            "type": self.chosen_type(),
        }
        if fields["type"] == "dropdown" and self.query(BadgeForm):
            fields["options"] = [self.query_one(BadgeForm).draft().fields()]
        return fields

    def changed(self) -> bool:
        """Whether the name or type differs from the start."""
        name = self._variable.name if self._variable else ""
        type_ = self._variable.type if self._variable else "text"
        fields = self.fields()
        return fields["name"] != name or fields["type"] != type_

    def show_refusal(self, error: ValidationError) -> None:
        """Name and type errors under their field; first-option errors in its form."""
        option_prefix = _("option {number} {field}").format(number=1, field="")
        if error.field in (_("name"), _("type")):
            target = "name" if error.field == _("name") else "type"
            message = f"{error.field}: {error.problem}"
            _set_error(self.query_one(f"#variable-error-{target}", Static), message)
            self.query_one(f"#variable-{target}").set_class(True, "-invalid")
            self._error_target = target
            self.point_to_field(error)
        elif error.field.startswith(option_prefix) and self.query(BadgeForm):
            inner = ValidationError(error.field.removeprefix(option_prefix), error.problem)
            if self.query_one(BadgeForm).show_error(inner):
                self.point_to_field(error)
            else:
                super().show_refusal(error)
        else:
            super().show_refusal(error)


def _error_line(error_id: str) -> Static:
    line = Static("", id=error_id, classes="field-error")
    line.display = False
    return line


def _set_error(line: Static, message: str) -> None:
    line.update(shown(message))
    line.display = bool(message)


DAY_LABELS = {
    "mon": N_("Mon"),
    "tue": N_("Tue"),
    "wed": N_("Wed"),
    "thu": N_("Thu"),
    "fri": N_("Fri"),
    "sat": N_("Sat"),
    "sun": N_("Sun"),
}
"""The short day names of the business-hours form (by ``WEEKDAYS`` name)."""
HOURS_FIELDS = {N_("days"): "days", N_("start"): "start", N_("end"): "end"}
"""The domain's names of the business-hours fields, to each field's id suffix."""


def hours_text(hours: BusinessHours) -> str:
    """Business hours in a few words: ``Mon Tue Wed Thu Fri, 09:00–17:00``."""
    days = " ".join(_(DAY_LABELS[day]) for day in hours.days)
    return _("{days}, {start}–{end}").format(
        days=days, start=format_clock(hours.start), end=format_clock(hours.end)
    )


class BusinessHoursFormScreen(_FormScreen):
    """The business hours (admins): the days, the start and the end, in the customers'
    local time, the end excluded.

    ``save(days=[…], start=…, end=…)`` is called in a thread and returns the hours saved.
    """

    BINDINGS = FORM_ACTIONS.bindings()

    def __init__(self, hours: BusinessHours, save: Callable[..., Any]) -> None:
        super().__init__(_("Business hours"), save)
        self._hours = hours
        self._error_target: str | None = None

    def compose(self) -> ComposeResult:
        """What they mean, the days, the start and the end."""
        hours = self._hours
        with Vertical(id="form-dialog"):
            yield Label(_("Business hours"), id="form-title")
            with VerticalScroll(classes="form-body", can_focus=False):
                yield Static(
                    _(
                        "When customers can be called, in their own time zone (from the "
                        "time-zone variable's option on their notes). The end is excluded."
                    ),
                    classes="field-hint hours-intro",
                )
                with Horizontal(classes="form-row", id="hours-days"):
                    yield Label(_("Days"), classes="form-label")
                    for day in WEEKDAYS:
                        yield StateCheckbox(
                            _(DAY_LABELS[day]), day in hours.days, id=f"day-{day}", classes="day"
                        )
                yield _error_line("hours-error-days")
                for field, label, value in (
                    ("start", _("Start"), hours.start),
                    ("end", _("End"), hours.end),
                ):
                    with Horizontal(classes="form-row"):
                        yield Label(label, classes="form-label")
                        yield SafeInput(
                            format_clock(value),
                            id=f"hours-{field}",
                            placeholder=_("HH:MM"),
                            classes="clock-input",
                        )
                    yield _error_line(f"hours-error-{field}")
            yield Static(id="form-error", classes="error")
            yield from self.buttons()
        yield CrmFooter()

    def on_mount(self) -> None:
        """The first day has the focus."""
        self.query_one("#day-mon").focus()

    def fields(self) -> dict[str, Any]:
        """The days ticked, the start and the end as typed."""
        return {
            "days": [day for day in WEEKDAYS if self.query_one(f"#day-{day}", Checkbox).value],
            "start": self.query_one("#hours-start", Input).value,
            "end": self.query_one("#hours-end", Input).value,
        }

    def changed(self) -> bool:
        """Whether anything differs from the hours in force."""
        fields = self.fields()
        hours = self._hours
        return (
            tuple(fields["days"]) != hours.days
            or fields["start"].strip() != format_clock(hours.start)
            or fields["end"].strip() != format_clock(hours.end)
        )

    def on_checkbox_changed(self, _event: Checkbox.Changed) -> None:
        """A day ticked or not: the days' error goes."""
        self._clear_error("days")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A time edited: its error goes."""
        self._clear_error((event.input.id or "").removeprefix("hours-"))

    def _clear_error(self, target: str) -> None:
        lines = self.query(f"#hours-error-{target}")
        if not lines:
            return
        _set_error(lines.first(Static), "")
        for widget in self._field_widgets(target):
            widget.set_class(False, "-invalid")
        if self._error_target == target:
            self._error_target = None
            self.refresh_bindings()

    def _field_widgets(self, target: str) -> list[Widget]:
        if target == "days":
            return list(self.query(".day"))
        return [self.query_one(f"#hours-{target}")]

    def show_refusal(self, error: ValidationError) -> None:
        """Under its field, and a pointer to it by the buttons."""
        target = next((t for word, t in HOURS_FIELDS.items() if error.field == _(word)), None)
        if target is None:
            super().show_refusal(error)
            return
        _set_error(
            self.query_one(f"#hours-error-{target}", Static), f"{error.field}: {error.problem}"
        )
        for widget in self._field_widgets(target):
            widget.set_class(True, "-invalid")
        self._error_target = target
        self.point_to_field(error)

    def error_target(self) -> Widget | None:
        """The refused field (the first day, for the days)."""
        if not self.is_mounted or self._error_target is None:
            return None
        if self._error_target == "days":
            return self.query_one("#day-mon")
        return self.query_one(f"#hours-{self._error_target}")
