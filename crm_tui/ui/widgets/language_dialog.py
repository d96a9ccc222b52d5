"""Choose the app's language: a small keyboard-only list (palette "Language")."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.i18n import LANGUAGES, _, language
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.widgets.footer import CrmFooter

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
"""Each language by its own name (the same in every language, so anyone finds theirs)."""

LANGUAGE_DIALOG_ACTIONS = ActionTable(
    Action("language.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``LanguageDialog`` (enter chooses: the list's own key)."""


class LanguageDialog(ModalScreen[str | None]):
    """Pick the language of the app; dismisses with its code (``"fr"``) or ``None``."""

    BINDINGS = LANGUAGE_DIALOG_ACTIONS.bindings()

    def compose(self) -> ComposeResult:
        """The languages, the one in force highlighted."""
        with Vertical(id="language-dialog"):
            yield Label(_("Language"), classes="dialog-title")
            yield Static(
                _("enter: choose · {cancel}: cancel").format(
                    cancel=LANGUAGE_DIALOG_ACTIONS.key(self, "language.cancel", short=True)
                ),
                classes="hint",
            )
            yield OptionList(
                *[Option(LANGUAGE_NAMES[code], id=code) for code in LANGUAGES],
                id="language-options",
            )
        yield CrmFooter()

    def on_mount(self) -> None:
        """The list takes the keys, on the language in force."""
        options = self.query_one(OptionList)
        options.highlighted = LANGUAGES.index(language())
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close; the language stays."""
        self.dismiss(None)
