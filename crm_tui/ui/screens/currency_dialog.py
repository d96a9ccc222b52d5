"""Choose the currency amounts are shown in, for the whole database (admins; palette "Currency…").

Type a code (completed as typed) or pick one in the list, which narrows to the codes and
names holding what is typed; the first entry leaves the currency unset, so that each
person sees their language's (fr_CA: CAD, fr_FR: EUR, en_US: USD).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.app_settings import check_currency_code, set_currency_setting
from crm_tui.domain.connections import refusing_database_errors
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.locale_values import currency, currency_label, known_currencies
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

UNSET = "-"
"""The option id of "not set" (each viewer's language decides)."""

CURRENCY_DIALOG_ACTIONS = ActionTable(
    Action("currency.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``CurrencyDialog``."""


class CurrencyDialog(UsesSession, ModalScreen[str | None]):
    """Type or pick an ISO 4217 code; dismisses with the code saved (``""``: unset), or
    ``None`` when nothing changed."""

    BINDINGS = CURRENCY_DIALOG_ACTIONS.bindings()

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current
        self._busy = False
        self._labels = {code: currency_label(code) for code in known_currencies()}

    def compose(self) -> ComposeResult:
        """Title, what is in force, the code, the list, the error line."""
        with Vertical(id="currency-dialog"):
            yield Label(_("Currency"), id="currency-title")
            yield Static(self._state(), classes="hint")
            yield SafeInput(
                self.current or "",
                placeholder=_("a code: EUR, USD, CAD…"),
                suggester=SuggestFromList(list(self._labels), case_sensitive=False),
                id="currency-code",
            )
            yield OptionList(*self._options(""), id="currency-choices")
            yield Static("", id="currency-error")
        yield CrmFooter()

    def _state(self) -> str:
        if self.current:
            return _(
                "Amounts are shown in {currency} for everyone. Enter saves; an empty code "
                "lets each person's language decide."
            ).format(currency=currency_label(self.current))
        return _(
            "Not set: each person sees their language's currency (yours: {currency}). "
            "Enter saves the code typed."
        ).format(currency=currency_label(currency()))

    def _options(self, typed: str) -> list[Option]:
        key = fold(typed)
        options = [Option(_("(not set: each person's language decides)"), id=UNSET)]
        found = [
            (code, label) for code, label in self._labels.items() if not key or key in fold(label)
        ]
        found.sort(key=lambda item: not fold(item[0]).startswith(key))  # codes typed first
        options.extend(Option(label, id=code) for code, label in found)
        return options

    def on_mount(self) -> None:
        """Focus the code."""
        self.query_one(Input).focus()

    @on(Input.Changed, "#currency-code")
    def _narrow(self, event: Input.Changed) -> None:
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_options(self._options(event.value.strip()))
        self.query_one("#currency-error", Static).update("")

    @on(Input.Submitted, "#currency-code")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._save(None)
            return
        try:
            code = check_currency_code(text, _("currency"))
        except ValidationError as error:
            self.query_one("#currency-error", Static).update(shown(error.problem))
            return
        self._save(code)

    @on(OptionList.OptionSelected, "#currency-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._save(None if event.option.id in (None, UNSET) else event.option.id)

    def _save(self, code: str | None) -> None:
        if self._busy:
            return
        self._busy = True
        self._write(code)

    @work(exclusive=True, group="currency", exit_on_error=False)
    async def _write(self, code: str | None) -> None:
        """Save in a database thread; close with the code, or say why not."""
        call = partial(set_currency_setting, self.session.signed_user, code)
        try:
            changed = await off_thread(refusing_database_errors, call)
        except DomainError as error:
            self._busy = False
            self.query_one("#currency-error", Static).update(shown(str(error)))
            return
        self.dismiss((code or "") if changed else None)

    def action_cancel(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)


def choose_currency(app: CrmApp) -> None:
    """Open the dialog (admins); once saved, redraw every screen and say what is in force."""

    def done(code: str | None) -> None:
        if code is None:
            return
        app.settings_changed()
        if code:
            app.notify(
                _("Amounts are now shown in {currency}.").format(currency=currency_label(code))
            )
        else:
            app.notify(
                _("Amounts now follow each person's language ({currency} for you).").format(
                    currency=currency_label(currency())
                )
            )

    if app.session.is_admin:
        app.push_screen(CurrencyDialog(app.session.currency), done)
