"""The note editor: a new note or an existing one, entirely from the keyboard.

Reading and saving run in database threads awaited by async workers; the form keeps
everything typed when a value is refused, and says why under the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Static, TextArea

from crm_tui.domain.errors import ConflictError, DomainError, NotFound, ValidationError
from crm_tui.domain.history import history_of
from crm_tui.domain.notes import (
    NoteInput,
    create_note,
    get_note,
    latest_values_for_customer,
    update_note,
)
from crm_tui.domain.text import fold
from crm_tui.domain.users import list_users
from crm_tui.i18n import _
from crm_tui.records import NoteDetail, Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.screens.conflict import THEIRS, ConflictScreen, FieldVersions, field_text
from crm_tui.ui.session import UsesSession
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.confirm import leave_form
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.pickers import BadgePicker, CustomerInput, badge_items, user_items
from crm_tui.ui.widgets.safe_text_area import SafeTextArea
from crm_tui.ui.widgets.value_inputs import (
    DropdownRow,
    FieldRow,
    TypedInput,
    ValueRow,
    variable_rows,
)

NOTE_EDITOR_SCREEN_ACTIONS = ActionTable(
    Action(
        "editor.save",
        "ctrl+s",
        "save",
        N_("Save"),
        title=N_("Save note"),
        help=N_("Save this note ({key})"),
    ),
    Action(
        "editor.leave",
        "escape",
        "leave",
        N_("Leave"),
        title=N_("Leave editor"),
        help=N_("Leave, asking first if something changed"),
    ),
)
"""The keys of ``NoteEditorScreen``."""


@dataclass
class Saved:
    """The note was saved as ``note_id``."""

    note_id: int


@dataclass
class Refused:
    """The domain refused: ``field`` (or ``None``) and why; ``conflict``: cannot merge."""

    field: str | None
    problem: str
    conflict: bool = False


@dataclass
class Conflicted:
    """Someone saved the note meanwhile: ``theirs``, saved by ``who``."""

    theirs: NoteDetail
    who: str


def read_note_form(
    note_id: int | None, customer: str | None, settings: Settings
) -> tuple[NoteDetail | None, list[UserInfo], dict[int, str]]:
    """In a database thread: the note to edit, the users to assign, values to copy."""
    note = get_note(note_id, settings) if note_id is not None else None
    users = list_users()
    copied = _latest_values(customer, settings) if note is None and customer else {}
    return note, users, copied


def save_note_form(
    user: UserInfo,
    data: NoteInput,
    today: dt.date,
    note_id: int | None,
    version: int | None,
    settings: Settings,
) -> Saved | Refused | Conflicted:
    """In a database thread: create or update the note; what the form shows next."""
    try:
        if note_id is None:
            return Saved(create_note(user, data, today=today))
        update_note(user, note_id, data, expected_version=version, today=today)
        return Saved(note_id)
    except ValidationError as error:
        return Refused(error.field, error.problem)
    except ConflictError as error:
        assert note_id is not None, "only an existing note has a version to conflict with"
        try:  # show what they saved beside what was typed
            theirs = get_note(note_id, settings)
            last = history_of("note", note_id, limit=1)
        except NotFound:
            return Refused(None, _deleted_meanwhile(note_id), conflict=True)
        except DomainError:
            return Refused(None, str(error), conflict=True)
        return Conflicted(theirs, last[0].user if last else "")
    except DomainError as error:
        return Refused(None, str(error))


SaveForm = Callable[
    [UserInfo, NoteInput, dt.date, int | None, int | None, Settings], Saved | Refused | Conflicted
]
"""How the form is saved, in a database thread (``save_note_form``, or logging an outcome)."""


@dataclass(frozen=True)
class FormDefaults:
    """What a new note's form starts with besides the customer (an outcome: the old note's
    action and status, its assignee, the action's default follow-up)."""

    action_id: int | None = None
    status_id: int | None = None
    assignee_id: int | None = None
    follow_up: dt.date | None = None


class NoteEditorScreen(UsesSession, Screen[int | None]):
    """Write a new note (``note_id=None``) or edit one; dismisses with the saved note's id.

    ``defaults``: a new note's starting action, status, assignee and follow-up; ``save``:
    how it is saved (default ``save_note_form``); ``title``: the header's subtitle.
    """

    CSS_PATH = "../styles/editor.tcss"
    BINDINGS = NOTE_EDITOR_SCREEN_ACTIONS.bindings()

    def __init__(
        self,
        note_id: int | None = None,
        customer: str | None = None,
        *,
        defaults: FormDefaults | None = None,
        save: SaveForm = save_note_form,
        title: str | None = None,
    ) -> None:
        super().__init__()
        self.note_id = note_id
        self.customer = customer
        self.defaults = defaults
        self._save_form = save
        self._title = title
        self.version: int | None = None
        self._initial: tuple[object, ...] | None = None
        self._copied: dict[int, str] = {}
        self._saving = False
        self._opened: NoteDetail | None = None
        """The note as read when the form was filled (the base of a conflict)."""
        self._users: list[UserInfo] = []

    # --- building the form ----------------------------------------------------------------

    @property
    def _settings(self) -> Settings:
        return self.session.settings

    def compose(self) -> ComposeResult:
        """Customer, action, status, assignee, follow-up, one row per variable, the text."""
        today = self.session.today()
        settings = self._settings
        yield Header()
        yield Static("", id="editor-message")
        with VerticalScroll(id="editor-form"):
            yield FieldRow(
                _("Customer"),
                CustomerInput(self.customer or "", id="customer"),
                field_name=_("customer"),
                id="row-customer",
            )
            yield FieldRow(
                _("Action"),
                BadgePicker(badge_items(settings.actions), id="action"),
                field_name=_("action"),
                id="row-action",
            )
            yield FieldRow(
                _("Status"),
                BadgePicker(badge_items(settings.statuses), id="status"),
                field_name=_("status"),
                id="row-status",
            )
            yield FieldRow(
                _("Assignee"),
                BadgePicker(id="assignee"),
                field_name=_("assignee"),
                id="row-assignee",
            )
            yield TypedInput(
                _("Follow-up"), "follow_up", today, field_name=_("follow-up"), id="row-follow-up"
            )
            variables = settings.active_variables
            if variables:
                yield Label(_("Variables"), id="editor-variables", classes="section")
            yield from variable_rows(variables, today)
            yield FieldRow(
                _("Text"),
                SafeTextArea(id="body", soft_wrap=True),
                field_name=_("text"),
                id="row-body",
            )
        yield CrmFooter()

    def on_mount(self) -> None:
        """A new note is ready at once; a note to edit is read off the UI thread first.

        Keys typed ahead wait until the form is filled (the users to assign, the note).
        """
        self._say("")
        hold_keys(self, "editor-load")
        me = self.session.signed_user
        if self.note_id is None:
            self.sub_title = self._title or _("New note")
            self.query_one("#assignee", BadgePicker).set_items(user_items([me]), me.id)
            self._initial = self._snapshot()
            self._focus_first()
        else:
            self.sub_title = _("Edit note")
            self.query_one("#editor-form").loading = True
        self._load(self.note_id, self.customer, self._settings)

    def _focus_first(self) -> None:
        first = "#row-customer" if self.note_id is None and not self.customer else "#row-action"
        self.query_one(first, FieldRow).focus_field()

    @work(exclusive=True, group="editor-load", exit_on_error=False)
    async def _load(self, note_id: int | None, customer: str | None, settings: Settings) -> None:
        """Read the note (and the users) in a database thread, then fill the form."""
        try:
            note, users, copied = await off_thread(read_note_form, note_id, customer, settings)
        except DomainError as error:
            self.query_one("#editor-form").loading = False
            self._say(str(error), error=True)
            release_keys(self, "editor-load")
            return
        self._fill(note, users, copied)

    def _fill(self, note: NoteDetail | None, users: list[UserInfo], copied: dict[int, str]) -> None:
        pristine = not self.changed
        self._users = users
        assignee = self.query_one("#assignee", BadgePicker)
        current = note.assignee_id if note else assignee.value
        assignee.set_items(user_items(users, current), current)
        if note is not None:
            self.version = note.version
            self._opened = note
            self.sub_title = _("Edit note on {customer}").format(customer=note.customer)
            self._put_fields(note, None)
            self.query_one("#editor-form").loading = False
            self._focus_first()
        self._apply_copy(copied)
        if note is None and self.defaults is not None:
            self._put_defaults(self.defaults)
            self.query_one("#row-body", FieldRow).focus_field()  # all else is filled in
        if pristine:  # what was read is the starting point, not a change
            self._initial = self._snapshot()
        release_keys(self, "editor-load")

    def _put_defaults(self, defaults: FormDefaults) -> None:
        """A new note's starting action, status, assignee and follow-up."""
        self._set_badge("#action", self._settings.actions, defaults.action_id)
        self._set_badge("#status", self._settings.statuses, defaults.status_id)
        if defaults.assignee_id is not None:
            users = user_items(self._users, defaults.assignee_id)
            self.query_one("#assignee", BadgePicker).set_items(users, defaults.assignee_id)
        follow_up = defaults.follow_up.isoformat() if defaults.follow_up else ""
        self.query_one("#row-follow-up", TypedInput).set_value(follow_up)

    def _put_fields(self, note: NoteDetail, keys: set[str] | None) -> None:
        """Fill the form's fields (those of ``keys``; ``None``: all) from ``note``."""

        def wanted(key: str) -> bool:
            return keys is None or key in keys

        if wanted("customer"):
            self.query_one(CustomerInput).value = note.customer
        if wanted("action"):
            self._set_badge("#action", self._settings.actions, note.action_id)
        if wanted("status"):
            self._set_badge("#status", self._settings.statuses, note.status_id)
        if wanted("assignee"):
            users = user_items(self._users, note.assignee_id)
            self.query_one("#assignee", BadgePicker).set_items(users, note.assignee_id)
        if wanted("follow_up"):
            follow_up = note.follow_up.isoformat() if note.follow_up else ""
            self.query_one("#row-follow-up", TypedInput).set_value(follow_up)
        for row in self._value_rows():
            if row.variable_id is not None and wanted(f"variable:{row.variable_id}"):
                value = note.values.get(row.variable_id)
                row.set_value(value.text if value else "")
        if wanted("body"):
            body = self.query_one("#body", TextArea)
            body.text = note.body
            body.move_cursor(body.document.end)  # editing goes on after the text

    def _set_badge(self, selector: str, badges: Iterable, value: int | None) -> None:
        self.query_one(selector, BadgePicker).set_items(badge_items(badges, value), value)

    def _value_rows(self) -> list[ValueRow]:
        return [
            row for row in self.query(".variable-row") if isinstance(row, TypedInput | DropdownRow)
        ]

    # --- copying the customer's latest values -------------------------------------------

    @on(CustomerInput.Chosen)
    def _customer_chosen(self, message: CustomerInput.Chosen) -> None:
        if self.note_id is None and message.name:
            self._copy_latest(message.name, self._settings)

    @work(exclusive=True, group="editor-copy", exit_on_error=False)
    async def _copy_latest(self, customer: str, settings: Settings) -> None:
        """Read the customer's latest values in a database thread; fill blank variables."""
        values = await off_thread(_latest_values, customer, settings)
        if fold(self.query_one(CustomerInput).value) == fold(customer):
            self._apply_copy(values)

    def _apply_copy(self, values: dict[int, str]) -> None:
        """Fill the variables left blank (or still as copied before) from ``values``."""
        copied: dict[int, str] = {}
        for row in self._value_rows():
            current = row.text
            variable_id = row.variable_id
            if variable_id is None:
                continue
            wanted = copied[variable_id] = row.editable(values.get(variable_id, ""))
            if not current.strip() or current == self._copied.get(variable_id):
                row.set_text(wanted)
        self._copied = copied

    # --- saving ---------------------------------------------------------------------------

    def _snapshot(self) -> tuple[object, ...]:
        rows = tuple(row.text for row in self._value_rows())
        return (
            self.query_one(CustomerInput).value,
            self.query_one("#action", BadgePicker).value,
            self.query_one("#status", BadgePicker).value,
            self.query_one("#assignee", BadgePicker).value,
            self.query_one("#row-follow-up", TypedInput).text,
            self.query_one("#body", TextArea).text,
            rows,
        )

    @property
    def changed(self) -> bool:
        """Whether anything was changed since the note was opened."""
        return self._initial is not None and self._snapshot() != self._initial

    def action_save(self) -> None:
        """Check the form and save it off the UI thread."""
        if self._saving or self._initial is None:
            return
        for row in self.query(FieldRow):
            row.show_error(None)  # the domain's last refusal; typed values are checked again
        typed = [self.query_one("#row-follow-up", TypedInput), *self._value_rows()]
        bad = [row for row in typed if row.check() is not None]
        if bad:
            self._say(_("Not saved: correct the fields marked in red."), error=True)
            bad[0].focus_field()
            return
        data = NoteInput(
            customer=self.query_one(CustomerInput).value,
            action=self.query_one("#action", BadgePicker).text,
            status=self.query_one("#status", BadgePicker).text,
            assignee=self.query_one("#assignee", BadgePicker).text,
            follow_up=self.query_one("#row-follow-up", TypedInput).saved_text(),
            body=self.query_one("#body", TextArea).text,
            values={row.field_name: row.saved_text() for row in self._value_rows()},
        )
        self._saving = True
        hold_keys(self, "editor-save")  # keys typed after ctrl+s go where its answer leads
        self._say(_("Saving…"))
        session = self.session
        self._save(session.signed_user, data, session.today(), self.note_id, self.version)

    @work(exclusive=True, group="editor-save", exit_on_error=False)
    async def _save(
        self,
        user: UserInfo,
        data: NoteInput,
        today: dt.date,
        note_id: int | None,
        version: int | None,
    ) -> None:
        """Save in a database thread; then close, show a conflict, or say why not."""
        outcome = await off_thread(
            self._save_form, user, data, today, note_id, version, self._settings
        )
        if isinstance(outcome, Saved):
            self._saved(outcome.note_id)
        elif isinstance(outcome, Conflicted):
            self._conflicted(outcome)
        else:
            self._refused(outcome)

    def _saved(self, note_id: int) -> None:
        self.crm_app.notes_changed(note_id, saved=True)  # the lists highlight it
        self.app.notify(_("Note saved"))
        self.dismiss(note_id)
        release_keys(self, "editor-save")

    def _conflicted(self, message: Conflicted) -> None:
        """Someone saved the note meanwhile: show both versions to choose or merge."""
        self._saving = False
        release_keys(self, "editor-save")
        theirs = message.theirs
        self._say(
            _("Not saved: {who} changed this note since you opened it.").format(
                who=message.who or _("someone")
            ),
            error=True,
        )

        def chosen(picks: dict[str, str] | None) -> None:
            if picks is None:
                self._say(
                    _(
                        "Not saved: the note changed since you opened it. Your text is kept; "
                        "ctrl+s shows both versions again."
                    ),
                    error=True,
                )
                return
            self._put_fields(theirs, {key for key, pick in picks.items() if pick == THEIRS})
            self.version = theirs.version  # the choice was made knowing their version
            self._opened = theirs
            self.action_save()

        fields = self._conflict_fields(theirs)
        self.app.push_screen(ConflictScreen(fields, message.who), chosen)

    def _conflict_fields(self, theirs: NoteDetail) -> list[FieldVersions]:
        """Every field: as opened, as they saved it, as in the form."""
        settings = self._settings
        opened = self._opened or theirs
        mine = {
            "customer": (_("Customer"), self.query_one(CustomerInput).value.strip()),
            "action": (_("Action"), self.query_one("#action", BadgePicker).text),
            "status": (_("Status"), self.query_one("#status", BadgePicker).text),
            "assignee": (_("Assignee"), self.query_one("#assignee", BadgePicker).text),
            "follow_up": (
                _("Follow-up"),
                self.query_one("#row-follow-up", TypedInput).saved_text(),
            ),
        }
        for row in self._value_rows():
            mine[f"variable:{row.variable_id}"] = (row.field_name, row.saved_text().strip())
        mine["body"] = (_("Text"), self.query_one("#body", TextArea).text.rstrip())
        return [
            FieldVersions(
                key,
                label,
                field_text(opened, key, settings),
                field_text(theirs, key, settings),
                text,
            )
            for key, (label, text) in mine.items()
        ]

    def _refused(self, message: Refused) -> None:
        self._saving = False
        release_keys(self, "editor-save")
        if message.conflict:
            self._say(
                message.problem
                + "\n"
                + _(
                    "Nothing was saved; your text is kept. Copy what you need, leave with escape "
                    "and open the note again."
                ),
                error=True,
            )
            return
        row = self._row_for(message.field)
        if row is None:
            problem = message.problem
            if message.field:
                problem = f"{message.field}: {problem}"
            self._say(_("Not saved: {problem}").format(problem=problem), error=True)
            return
        row.show_error(message.problem)
        self._say(_("Not saved: correct the fields marked in red."), error=True)
        row.focus_field()

    def _row_for(self, field: str | None) -> FieldRow | None:
        if not field:
            return None
        key = fold(field)
        return next((row for row in self.query(FieldRow) if fold(row.field_name) == key), None)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#editor-message", Static)
        message.update(shown(text))  # may quote names and typed values: literal
        message.set_class(error, "error")
        message.display = bool(text)

    # --- leaving ----------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Leave; ask first when something changed."""
        leave_form(self, self.changed, _("Leave without saving your changes?"))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The editor's actions, by name."""
        yield from NOTE_EDITOR_SCREEN_ACTIONS.commands(self)


def _deleted_meanwhile(note_id: int) -> str:
    return _("note #{id} was deleted by someone else since you opened it").format(id=note_id)


def _latest_values(customer: str, settings: Settings) -> dict[int, str]:
    """The text of each value of the customer's latest note."""
    return {
        variable_id: value.display(settings)
        for variable_id, value in latest_values_for_customer(customer).items()
    }
