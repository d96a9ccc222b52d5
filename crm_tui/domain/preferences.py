"""Choices each user keeps from one session to the next (other than views and columns).

Stored in the user's preferences (``views.get_preference`` / ``set_preference``).
"""

from __future__ import annotations

from crm_tui.domain.views import get_preference, set_preference
from crm_tui.i18n import LANGUAGES
from crm_tui.records import UserInfo

THEME = "theme"
"""Preference key: the name of the colour theme the user chose."""


def theme(user: UserInfo) -> str | None:
    """The theme ``user`` chose last, or ``None`` (the app's default)."""
    stored = get_preference(user, THEME)
    return stored if isinstance(stored, str) and stored else None


def set_theme(user: UserInfo, name: str) -> None:
    """Remember ``name`` as ``user``'s theme."""
    set_preference(user, THEME, name)


LANGUAGE = "language"
"""Preference key: the language the user chose in the app (``"en"``, ``"fr"``)."""


def language(user: UserInfo) -> str | None:
    """The language ``user`` chose last (one the app speaks), or ``None`` (the environment's)."""
    stored = get_preference(user, LANGUAGE)
    return stored if isinstance(stored, str) and stored in LANGUAGES else None


def set_language(user: UserInfo, code: str) -> None:
    """Remember ``code`` (``"en"``, ``"fr"``) as ``user``'s language."""
    if code not in LANGUAGES:
        raise ValueError(f"not a language the app speaks: {code!r}")
    set_preference(user, LANGUAGE, code)
