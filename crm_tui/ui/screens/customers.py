"""Customers: a virtual list searched as you type, and a form to add or edit a customer."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, Label, Static

from crm_tui.domain.customers import create_customer, update_customer
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.text import fold
from crm_tui.i18n import _, format_count, ngettext
from crm_tui.records import CustomerInfo, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import shown
from crm_tui.ui.session import UsesSession
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.confirm import leave_form
from crm_tui.ui.widgets.customer_list import CustomerList
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput
from crm_tui.ui.widgets.value_inputs import FieldRow

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+()./\s-]*[0-9][0-9+()./\s-]*")


def check_contact(email: str, phone: str) -> None:
    """Refuse an e-mail or phone number that cannot be one (``ValidationError``)."""
    email, phone = email.strip(), phone.strip()
    if email and not _EMAIL.fullmatch(email):
        raise ValidationError(
            _("e-mail"),
            _("{value!r} is not an e-mail address (name@example.com)").format(value=email),
        )
    if phone and not _PHONE.fullmatch(phone):
        raise ValidationError(
            _("phone"),
            _("{value!r} is not a phone number (digits, spaces, + - ( ) .)").format(value=phone),
        )


CUSTOMER_FORM_SCREEN_ACTIONS = ActionTable(
    Action(
        "customer_form.save",
        "ctrl+s",
        "save",
        N_("Save"),
        title=N_("Save customer"),
        help=N_("Save this customer ({key})"),
    ),
    Action(
        "customer_form.cancel",
        "escape",
        "cancel",
        N_("Cancel"),
        title=N_("Cancel"),
        help=N_("Leave the form, asking first if something changed"),
    ),
)
"""The keys of ``CustomerFormScreen``."""


def save_customer(
    user: UserInfo | None, customer_id: int | None, name: str, email: str, phone: str
) -> CustomerInfo:
    """In a database thread: create the customer, or update ``customer_id``."""
    if customer_id is None:
        return create_customer(user, name, email, phone)
    return update_customer(user, customer_id, name=name, email=email, phone=phone)


class CustomerFormScreen(UsesSession, ModalScreen[int | None]):
    """Add a customer, or edit one; dismisses with the customer's id (``None``: cancelled)."""

    CSS_PATH = "../styles/customers.tcss"
    BINDINGS = CUSTOMER_FORM_SCREEN_ACTIONS.bindings()

    def __init__(self, customer: CustomerInfo | None = None) -> None:
        super().__init__()
        self.customer = customer
        self._saving = False

    def compose(self) -> ComposeResult:
        """Name, e-mail and phone."""
        customer = self.customer
        title = _("New customer") if customer is None else _("Edit customer")
        with Vertical(id="customer-form"):
            yield Label(title, id="customer-form-title")
            yield FieldRow(
                _("Name"),
                SafeInput(customer.name if customer else "", id="customer-form-name"),
                field_name=_("customer"),
            )
            yield FieldRow(
                _("E-mail"),
                SafeInput(customer.email if customer else "", id="customer-form-email"),
                field_name=_("e-mail"),
            )
            yield FieldRow(
                _("Phone"),
                SafeInput(customer.phone if customer else "", id="customer-form-phone"),
                field_name=_("phone"),
            )
            yield Static(
                _("{save} or enter saves · {cancel} cancels").format(
                    save=CUSTOMER_FORM_SCREEN_ACTIONS.key(self, "customer_form.save"),
                    cancel=CUSTOMER_FORM_SCREEN_ACTIONS.key(self, "customer_form.cancel"),
                ),
                classes="hint",
            )

    def _values(self) -> tuple[str, str, str]:
        return (
            self.query_one("#customer-form-name", Input).value,
            self.query_one("#customer-form-email", Input).value,
            self.query_one("#customer-form-phone", Input).value,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves."""
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check the contact fields, then save off the UI thread."""
        if self._saving:
            return
        for row in self.query(FieldRow):
            row.show_error(None)
        name, email, phone = self._values()
        try:
            check_contact(email, phone)
        except ValidationError as error:
            self._refused(error.field, error.problem)
            return
        self._saving = True
        hold_keys(self, "customer-save")  # keys typed after ctrl+s follow its answer
        user = self.session.user
        self._save(user, self.customer.id if self.customer else None, name, email, phone)

    @work(exclusive=True, group="customer-form-save", exit_on_error=False)
    async def _save(
        self, user: UserInfo | None, customer_id: int | None, name: str, email: str, phone: str
    ) -> None:
        """Save in a database thread; then close, or show why not under the field."""
        try:
            saved = await off_thread(save_customer, user, customer_id, name, email, phone)
        except ValidationError as error:
            self._refused(error.field, error.problem)
            return
        except DomainError as error:
            self._refused(None, str(error))
            return
        self.crm_app.notes_changed(None)  # note lists show the name; other lists the customer
        self.app.notify(_("Customer {name} saved").format(name=saved.name))
        self.dismiss(saved.id)
        release_keys(self, "customer-save")

    def _refused(self, field: str | None, problem: str) -> None:
        self._saving = False
        key = fold(field or "")
        rows = list(self.query(FieldRow))
        row = next((r for r in rows if fold(r.field_name) == key), rows[0])
        row.show_error(problem)
        row.focus_field()
        release_keys(self, "customer-save")

    def action_cancel(self) -> None:
        """Leave without saving (asking first when something was typed)."""
        customer = self.customer
        before = (customer.name, customer.email, customer.phone) if customer else ("", "", "")
        leave_form(self, self._values() != before, _("Leave without saving this customer?"))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The form's actions, by name."""
        yield from CUSTOMER_FORM_SCREEN_ACTIONS.commands(self)


CUSTOMERS_SCREEN_ACTIONS = ActionTable(
    Action(
        "customers.search",
        "slash",
        "search",
        N_("Search"),
        title=N_("Search customers"),
        help=N_("Type to search ({key})"),
    ),
    Action(
        "customers.add",
        "a",
        "add",
        N_("Add"),
        title=N_("Add customer"),
        help=N_("Add a new customer ({key})"),
    ),
    Action(
        "customers.edit",
        "e",
        "edit",
        N_("Edit"),
        title=N_("Edit customer"),
        help=N_("Edit the highlighted customer ({key})"),
    ),
    Action("customers.clear", "escape", "clear_search", N_("Clear search"), show=False),
)
"""The keys of ``CustomersScreen``."""


class CustomersScreen(UsesSession, Screen[None]):
    """Every customer by name, with its number of notes and current status."""

    CSS_PATH = "../styles/customers.tcss"
    AUTO_FOCUS = "#customer-list"
    BINDINGS = CUSTOMERS_SCREEN_ACTIONS.bindings()
    _select_next: int | None = None
    """The customer just saved: the next refresh puts the cursor on it."""

    def compose(self) -> ComposeResult:
        """Search line, list and count."""
        yield Header()
        yield SafeInput(
            placeholder=_("/ search: name; a word with @ also e-mail, with digits also phone"),
            id="customers-search",
        )
        yield CustomerList(self.session, id="customer-list")
        yield Static("", id="customers-count", classes="hint")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the first customers."""
        self.sub_title = _("Customers")
        self.customer_list.load("")

    @property
    def customer_list(self) -> CustomerList:
        """The customers list."""
        return self.query_one(CustomerList)

    # --- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        """Type to search."""
        self.query_one("#customers-search", Input).focus()

    @on(Input.Changed, "#customers-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.customer_list.load(event.value.strip())

    @on(Input.Submitted, "#customers-search")
    def _search_done(self) -> None:
        self.customer_list.focus()

    def on_key(self, event) -> None:
        """``down`` in the search line goes to the list."""
        if event.key == "down" and self.focused is self.query_one("#customers-search"):
            event.stop()
            self.customer_list.focus()

    def action_clear_search(self) -> None:
        """Back to the list from the search line; from the list, clear the search."""
        search = self.query_one("#customers-search", Input)
        if search.has_focus:
            self.customer_list.focus()
        elif search.value:
            search.value = ""

    @on(CustomerList.Counted)
    def _counted(self, event: CustomerList.Counted) -> None:
        text = ngettext("{count} customer", "{count} customers", event.count).format(
            count=format_count(event.count)
        )
        if event.search:
            text = ngettext(
                "{count} customer matches {search!r}",
                "{count} customers match {search!r}",
                event.count,
            ).format(count=format_count(event.count), search=event.search)
        self.query_one("#customers-count", Static).update(shown(text))  # quotes what was typed

    # --- actions --------------------------------------------------------------------------

    @on(CustomerList.Opened)
    def _opened(self, event: CustomerList.Opened) -> None:
        from crm_tui.ui.screens.customer_notes import CustomerNotesScreen

        self.app.push_screen(CustomerNotesScreen(event.customer_id))

    def action_add(self) -> None:
        """Add a customer."""
        self.app.push_screen(CustomerFormScreen(), self._saved)

    def action_edit(self) -> None:
        """Edit the customer under the cursor."""
        row = self.customer_list.highlighted
        if row is not None:
            customer = CustomerInfo(row.id, row.name, row.email, row.phone)
            self.app.push_screen(CustomerFormScreen(customer), self._saved)

    def _saved(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self._select_next = customer_id  # the form also said notes_changed
            self.customer_list.load(select_id=customer_id)
            self.customer_list.focus()

    def on_notes_changed(self, message: NotesChanged) -> None:
        """Counts and current statuses may have changed: read again, on the same customer."""
        row = self.customer_list.highlighted
        select = self._select_next or (row.id if row is not None else None)
        self._select_next = None
        self.customer_list.load(select_id=select)

    def on_settings_changed(self, message: SettingsChanged) -> None:
        """Status colours changed."""
        self.customer_list.load()

    async def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: drawn again in its words; the search typed and the cursor stay."""
        search = self.query_one("#customers-search", Input).value
        row = self.customer_list.highlighted
        await self.recompose()
        self.sub_title = _("Customers")
        field = self.query_one("#customers-search", Input)
        with field.prevent(Input.Changed):
            field.value = search
        self.customer_list.load(search.strip(), select_id=row.id if row is not None else None)
        self.customer_list.focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The customers' actions, by name."""
        yield from CUSTOMERS_SCREEN_ACTIONS.commands(self)
