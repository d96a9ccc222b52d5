"""The words of keys, translated where they are drawn (footer, keys panel, tooltips).

A ``Binding``'s description is a message id (the app's tables keep them so: see
``crm_tui.ui.actions``); ``key_words`` translates it each time it is drawn, so a language
change shows at once. Textual's own widgets name their keys in English: their words are
marked here, so the catalogue holds them and the keys panel shows them translated.
"""

from __future__ import annotations

from crm_tui.i18n import N_, _

TEXTUAL_KEY_WORDS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit the app and return to the command prompt."),
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character right"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Copy selected text"),
    N_("Paste text from the clipboard"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor left"),
    N_("Cursor right"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Select line"),
    N_("Cut"),
    N_("Copy"),
    N_("Paste"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Delete line"),
    N_("Previous tab"),
    N_("Next tab"),
    N_("Select"),
    N_("Toggle"),
    N_("Next option"),
    N_("Previous option"),
    N_("Press button"),
    N_("Show menu"),
    N_("Toggle option"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    N_("Focus Next"),
    N_("Focus Previous"),
)
"""Textual's words for its widgets' keys (Input, TextArea, Tabs, lists…), for the catalogue."""


def key_words(message_id: str) -> str:
    """A key's description or tooltip in the language in force (``""`` stays empty)."""
    return _(message_id) if message_id else ""
