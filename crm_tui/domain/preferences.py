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


PIPELINE_SUM_VARIABLE = "pipeline_sum_variable"
"""Preference key: the id of the currency variable the pipeline board sums."""
PIPELINE_CLOSE_VARIABLE = "pipeline_close_variable"
"""Preference key: the id of the date variable the pipeline board reads as the close date."""


def _stored_id(user: UserInfo, key: str) -> int | None:
    stored = get_preference(user, key)
    return stored if isinstance(stored, int) and not isinstance(stored, bool) else None


def pipeline_sum_variable(user: UserInfo) -> int | None:
    """The currency variable ``user`` chose to sum on the pipeline board, or ``None``."""
    return _stored_id(user, PIPELINE_SUM_VARIABLE)


def set_pipeline_sum_variable(user: UserInfo, variable_id: int) -> None:
    """Remember ``variable_id`` as the variable ``user``'s pipeline board sums."""
    set_preference(user, PIPELINE_SUM_VARIABLE, variable_id)


def pipeline_close_variable(user: UserInfo) -> int | None:
    """The date variable ``user`` chose as the board's close date, or ``None``."""
    return _stored_id(user, PIPELINE_CLOSE_VARIABLE)


def set_pipeline_close_variable(user: UserInfo, variable_id: int) -> None:
    """Remember ``variable_id`` as the close date of ``user``'s pipeline board."""
    set_preference(user, PIPELINE_CLOSE_VARIABLE, variable_id)
