"""One customer: its details, its current status and its notes (Customer > CRM notes)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from crm_tui.domain.customer_queries import CustomerSummary, customer_summary
from crm_tui.domain.errors import DomainError
from crm_tui.domain.query import Condition, NoteQuery
from crm_tui.domain.text import visible
from crm_tui.i18n import _, format_count, ngettext
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.badges import badge_text
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.screens.customers import CustomerFormScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.screens.notes_follow import FollowsSavedNote
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.note_list import NoteTable

CUSTOMER_NOTES_SCREEN_ACTIONS = ActionTable(
    Action(
        "customer_notes.new",
        "n",
        "new_note",
        N_("New note"),
        title=N_("New note for this customer"),
        help=N_("Write a note ({key})"),
    ),
    Action(
        "customer_notes.edit",
        "e",
        "edit_customer",
        N_("Edit customer"),
        title=N_("Edit customer"),
        help=N_("Name, e-mail and phone ({key})"),
    ),
    Action(
        "customer_notes.back",
        "escape",
        "back",
        N_("Back"),
        title=N_("Back to customers"),
        help=N_("Leave this customer"),
    ),
)
"""The keys of ``CustomerNotesScreen``."""


class CustomerNotesScreen(FollowsSavedNote, Screen[None]):
    """A customer's card and its notes, newest first; ``n`` writes a note for it."""

    CSS_PATH = "../styles/customers.tcss"
    AUTO_FOCUS = "#customer-notes"
    BINDINGS = CUSTOMER_NOTES_SCREEN_ACTIONS.bindings()

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.summary: CustomerSummary | None = None

    def compose(self) -> ComposeResult:
        """The customer's card above its notes."""
        yield Header()
        with Vertical(id="customer-card"):
            yield Static("", id="customer-card-name")
            yield Static("", id="customer-card-contact")
            yield Static("", id="customer-card-status")
        query = NoteQuery(conditions=(Condition("customer", "=", self.customer_id),))
        yield NoteTable(query, self.session, hidden_columns=("customer",), id="customer-notes")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the customer off the UI thread."""
        self.sub_title = _("Customer")
        self._load()

    def _load(self) -> None:
        self._read(self.customer_id)

    @work(exclusive=True, group="customer-notes-load", exit_on_error=False)
    async def _read(self, customer_id: int) -> None:
        """Read the customer in a database thread, then show its card."""
        try:
            summary = await off_thread(customer_summary, customer_id)
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        self._show(summary)

    def _show(self, summary: CustomerSummary) -> None:
        self.summary = summary
        customer = summary.customer
        settings = self.session.settings
        self.sub_title = visible(customer.name)
        self.query_one("#customer-card-name", Static).update(safe_text(customer.name, "bold"))
        contact = "   ".join(part for part in (customer.email, customer.phone) if part)
        self.query_one("#customer-card-contact", Static).update(
            safe_text(contact) if contact else Text(_("(no contact)"))
        )
        status = settings.status(summary.status_id)
        line = Text(_("Current status: "))
        line.append_text(badge_text(status) if status else Text(_("none"), style="dim"))
        line.append("   ")
        line.append(
            ngettext("{count} note", "{count} notes", summary.notes).format(
                count=format_count(summary.notes)
            ),
            style="dim",
        )
        self.query_one("#customer-card-status", Static).update(line)

    @on(NoteTable.Opened)
    def _opened(self, event: NoteTable.Opened) -> None:
        event.stop()
        self.app.push_screen(NoteViewScreen(event.note_id))

    def on_notes_changed(self, message: NotesChanged) -> None:
        """The status, the count or the list may have changed (on the note you saved)."""
        self._load()
        if message.saved and message.note_id is not None:
            self.follow_note(message.note_id)
        else:
            self.reload_following()

    def note_hidden(self, note_id: int) -> None:
        """The note just saved is about another customer now: say so."""
        self.query_one(NoteTable).reload()
        self.notify(_("The note you saved is about another customer now: it left this list."))

    async def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the card and the list drawn again in its words."""
        await self.recompose()
        self.on_mount()

    def on_settings_changed(self, message: SettingsChanged) -> None:
        """Badges changed colour."""
        self._load()
        self.query_one(NoteTable).reload()

    # --- actions ------------------------------------------------------------------------

    def action_new_note(self) -> None:
        """Write a note for this customer."""
        if self.summary is not None:
            self.app.push_screen(NoteEditorScreen(customer=self.summary.customer.name))

    def action_edit_customer(self) -> None:
        """Edit the customer's name, e-mail and phone."""
        if self.summary is not None:
            self.app.push_screen(CustomerFormScreen(self.summary.customer), self._edited)

    def _edited(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self._load()

    def action_back(self) -> None:
        """Back to the customers."""
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The customer's actions, by name."""
        yield from CUSTOMER_NOTES_SCREEN_ACTIONS.commands(self)
