"""One note, read-only: every field and value (badges in colour) and its change history."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from crm_tui.clock import to_local
from crm_tui.domain.errors import DomainError
from crm_tui.domain.history import history_of
from crm_tui.domain.locale_values import shown_date, shown_time, shown_value
from crm_tui.domain.notes import delete_note, get_note
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.records import ChangeInfo, NoteDetail, Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.badges import badge_text
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.footer import CrmFooter

HISTORY_LINES = 200


def _stamp(value) -> Text:
    return Text(shown_time(to_local(value)) if value else "")  # stored in UTC


def note_fields(note: NoteDetail, settings: Settings, today) -> Table:
    """The note's fields and variable values as a two-column grid.

    Every cell is ``Text``: a Rich table would read a ``str`` cell as markup, and names
    and values are stored text, drawn literally with control characters visible.
    """
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    follow_up = Text(shown_date(note.follow_up))
    if note.follow_up and note.follow_up < today:
        follow_up.append("  " + _("overdue"), style="bold red")
    rows: list[tuple[Text, Text]] = [
        (Text(_("Customer")), safe_text(note.customer, "bold")),
        (Text(_("Action")), badge_text(settings.action(note.action_id))),
        (Text(_("Status")), badge_text(settings.status(note.status_id))),
        (Text(_("Assignee")), safe_text(note.assignee)),
        (Text(_("Follow-up")), follow_up),
        (Text(_("Author")), safe_text(note.author)),
        (Text(_("Created")), _stamp(note.created_at)),
        (Text(_("Updated")), _stamp(note.updated_at)),
    ]
    for variable in settings.variables:
        value = note.values.get(variable.id)
        if variable.archived and value is None:
            continue
        if value is None:
            cell = Text("")
        elif value.option_id is not None:
            cell = badge_text(settings.option(value.option_id))
        else:
            cell = safe_text(shown_value(variable.type, value.text))  # in the user's locale
        rows.append((safe_text(variable.name), cell))
    for label, cell in rows:
        grid.add_row(label, cell)
    return grid


def history_table(changes: Iterable[ChangeInfo], settings: Settings | None = None) -> Table | Text:
    """Who changed what and when, old → new, newest first (with ``settings``: the follow-up
    and typed values as the user reads them, ``15/01/2027``, ``1 234,50 €``)."""
    kinds = {"follow_up": "follow_up"}
    kinds.update(
        {variable.name: variable.type for variable in settings.variables} if settings else {}
    )
    changes = list(changes)
    if not changes:
        return Text(_("No changes recorded."), style="dim")
    table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Who"), no_wrap=True)
    table.add_column(_("Field"), no_wrap=True)
    table.add_column(_("Old → new"), overflow="fold")
    for change in changes:
        kind = kinds.get(change.field, "")
        old = visible(shown_value(kind, change.old)) if change.old is not None else "—"
        new = visible(shown_value(kind, change.new)) if change.new is not None else "—"
        table.add_row(
            _stamp(change.at),
            safe_text(change.user or _("(unknown)")),
            safe_text(change.field),
            Text.assemble((old, "dim"), " → ", new),
        )
    return table


NOTE_VIEW_SCREEN_ACTIONS = ActionTable(
    Action(
        "note_view.edit",
        "e",
        "edit",
        N_("Edit"),
        title=N_("Edit note"),
        help=N_("Open this note in the editor"),
    ),
    Action(
        "note_view.delete",
        "d",
        "delete",
        N_("Delete"),
        title=N_("Delete note"),
        help=N_("Delete this note, after asking"),
    ),
    Action(
        "note_view.back",
        "escape",
        "back",
        N_("Back"),
        title=N_("Back"),
        help=N_("Back to the list"),
    ),
)
"""The keys of ``NoteViewScreen``."""


def read_note_view(note_id: int, settings: Settings) -> tuple[NoteDetail, list[ChangeInfo]]:
    """In a database thread: the note and its latest changes."""
    return get_note(note_id, settings), history_of("note", note_id, limit=HISTORY_LINES)


class NoteViewScreen(UsesSession, Screen[None]):
    """One note: ``e`` edits it, ``d`` deletes it (after asking), ``escape`` goes back."""

    CSS_PATH = "../styles/editor.tcss"
    BINDINGS = NOTE_VIEW_SCREEN_ACTIONS.bindings()

    def __init__(self, note_id: int) -> None:
        super().__init__()
        self.note_id = note_id
        self.note: NoteDetail | None = None

    def compose(self) -> ComposeResult:
        """Title, fields, text and history."""
        yield Header()
        yield Static("", id="note-view-message")
        with VerticalScroll(id="note-view"):
            yield Static("", id="note-fields")
            yield Label(_("Text"), classes="section")
            yield Static("", id="note-body")
            yield Label(_("History"), classes="section")
            yield Static("", id="note-history")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the note off the UI thread."""
        self.sub_title = _("Note")
        self.query_one("#note-view-message").display = False
        self.query_one("#note-view").loading = True
        self._load()

    def _load(self) -> None:
        self._read(self.note_id, self.session.settings)

    @work(exclusive=True, group="note-view-load", exit_on_error=False)
    async def _read(self, note_id: int, settings: Settings) -> None:
        """Read the note and its history in a database thread, then show them."""
        try:
            note, changes = await off_thread(read_note_view, note_id, settings)
        except DomainError as error:
            self._failed(str(error))
            return
        self._show(note, changes)

    def _show(self, note: NoteDetail, changes: list[ChangeInfo]) -> None:
        session = self.session
        self.note = note
        self.sub_title = _("Note on {customer}").format(customer=visible(note.customer))
        self.query_one("#note-fields", Static).update(
            note_fields(note, session.settings, session.today())
        )
        body = self.query_one("#note-body", Static)
        body.update(  # stored text: literal, tabs and newlines kept, other controls visible
            safe_text(note.body, keep_newlines=True)
            if note.body
            else Text(_("(no text)"), style="dim")
        )
        self.query_one("#note-history", Static).update(
            history_table(changes, self.session.settings)
        )
        self.query_one("#note-view").loading = False

    def _failed(self, problem: str) -> None:
        line = self.query_one("#note-view-message", Static)
        line.update(shown(problem))
        line.add_class("error")
        line.display = True
        self.query_one("#note-view").loading = False

    def on_notes_changed(self, message: NotesChanged) -> None:
        """Read the note again when it (or any note) changed."""
        if self.note is not None and message.note_id in (None, self.note_id):
            self._load()

    async def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the note drawn again in its words."""
        await self.recompose()
        self.on_mount()

    def on_settings_changed(self, message: SettingsChanged) -> None:
        """Redraw badges in their new colours."""
        self._load()

    # --- actions ----------------------------------------------------------------------

    def action_edit(self) -> None:
        """Open the note in the editor."""
        if self.note is not None:
            self.app.push_screen(NoteEditorScreen(self.note_id))

    def action_delete(self) -> None:
        """Ask, then delete the note."""
        note = self.note
        if note is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(self.session.signed_user, note.id, note.version)

        question = _("Delete this note on {customer}? (u undoes it.)").format(
            customer=note.customer
        )
        self.app.push_screen(ConfirmScreen(question, yes=_("Delete")), answered)

    @work(exclusive=True, group="note-view-delete", exit_on_error=False)
    async def _delete(self, user: UserInfo, note_id: int, version: int) -> None:
        """Delete in a database thread; then go back, or say why not."""
        try:
            await off_thread(delete_note, user, note_id, expected_version=version)
        except DomainError as error:
            self._failed(str(error))
            return
        self.note = None
        self.app.notify(_("Note deleted (u undoes it)."))
        self.crm_app.notes_changed(self.note_id)
        self.dismiss(None)

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The note's actions, by name."""
        yield from NOTE_VIEW_SCREEN_ACTIONS.commands(self)
