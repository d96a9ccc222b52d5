"""One gettext entry point for every user-visible string.

Catalogues live in ``crm_tui/locale/<lang>/LC_MESSAGES/crm_tui.mo``; without one the
English source strings are shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
_translation = gettext.translation("crm_tui", localedir=LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """Translate ``message`` into the user's language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, count)
