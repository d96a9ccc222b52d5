"""One gettext entry point for every user-visible string, and the language in force.

Catalogues live in ``crm_tui/locale/<lang>/LC_MESSAGES/crm_tui.mo`` (compiled from the
``.po`` beside them); without one the English source strings are shown. The language is
chosen, in this order: ``--lang`` or the user's own choice (``set_language``), else the
environment in gettext's order (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
English. ``_()`` looks the message up in the language in force *when it is called*: call it
when a string is shown, never at import (mark a message written ahead with ``N_``).
"""

from __future__ import annotations

import errno
import gettext
import os
from collections.abc import Callable, Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "crm_tui"
LANGUAGES = ("en", "fr")
"""The languages the app speaks; the first is the fallback (the source strings)."""
ENVIRONMENT_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where gettext looks for the language, first non-empty first."""
DEFAULT_TERRITORY = {"en": "US", "fr": "FR"}
"""The territory of a language chosen without one (``--lang fr``: France)."""

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = LANGUAGES[0]
_territory: str | None = None
_pinned = False
_listeners: list[Callable[[str], None]] = []


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; ``_()`` translates it when it is shown."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the language in force."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, count)


def _parse_locale_name(name: str) -> tuple[str, str | None] | None:
    """``"fr_CA.UTF-8"`` -> ``("fr", "CA")``; ``C``/``POSIX`` -> English; unknown -> ``None``."""
    name = name.strip().split(".")[0].split("@")[0]
    if name in ("C", "POSIX", ""):
        return (LANGUAGES[0], None)
    language, _sep, territory = name.replace("-", "_").partition("_")
    language = language.lower()
    if language not in LANGUAGES:
        return None
    return (language, territory.upper() or None)


def environment_language(
    environ: Mapping[str, str] | None = None,
) -> tuple[str, str | None]:
    """The language (and territory) the environment asks for, in gettext's order.

    The first non-empty variable decides; ``LANGUAGE`` may list several (``de:fr``), the
    first the app speaks wins. ``LANGUAGE`` is ignored when the locale is ``C``, as GNU
    gettext does. Nothing usable: English.
    """
    environ = os.environ if environ is None else environ
    locale_name = next((environ[name] for name in ENVIRONMENT_ORDER[1:] if environ.get(name)), "")
    locale_is_c = locale_name.split(".")[0] in ("C", "POSIX")
    for variable in ENVIRONMENT_ORDER:
        value = environ.get(variable, "")
        if not value or (variable == "LANGUAGE" and locale_is_c):
            continue
        for item in value.split(":") if variable == "LANGUAGE" else [value]:
            parsed = _parse_locale_name(item)
            if parsed is not None:
                language, territory = parsed
                if territory is None and variable == "LANGUAGE":
                    locale_parsed = _parse_locale_name(locale_name)
                    if locale_parsed and locale_parsed[0] == language:
                        territory = locale_parsed[1]
                return (language, territory)
        return (LANGUAGES[0], None)
    return (LANGUAGES[0], None)


def set_language(language: str | None, territory: str | None = None) -> str:
    """Speak ``language`` (``"fr"``, ``"en"``, ``"fr_CA"``); ``None``: the environment's.

    Returns the language now in force. Listeners (the app, to redraw) are told.
    An unknown language falls back to English.
    """
    global _translation, _language, _territory
    if language is None:
        language, territory = environment_language()
    else:
        parsed = _parse_locale_name(language)
        if parsed is None:
            language, territory = LANGUAGES[0], None
        else:
            language, territory = parsed[0], territory or parsed[1]
            if territory is None:
                env_language, env_territory = environment_language()
                if env_language == language:
                    territory = env_territory
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    _language, _territory = language, territory
    for listener in list(_listeners):
        listener(language)
    return language


def spoken_language(value: str) -> str | None:
    """``value`` (``"fr"``, ``"fr_CA"``, ``"en-US"``) if it names a language the app speaks,
    normalised (``"fr_CA"``); else ``None``. ``C``/``POSIX`` are not languages here."""
    parsed = _parse_locale_name(value)
    if parsed is None or value.strip().split(".")[0] in ("C", "POSIX", ""):
        return None
    language, territory = parsed
    return f"{language}_{territory}" if territory else language


def pin_language(language: str) -> str:
    """Speak ``language`` for this whole run (``--lang``): a user's saved choice does not
    override it. Returns the language now in force."""
    global _pinned
    _pinned = True
    return set_language(language)


def language_is_pinned() -> bool:
    """Whether ``--lang`` chose the language for this run (see ``pin_language``)."""
    return _pinned


def unpin_language() -> None:
    """Forget ``pin_language`` (tests: each starts unpinned); the language stays as it is."""
    global _pinned
    _pinned = False


def install_translation(translation: gettext.NullTranslations) -> None:
    """Look messages up in ``translation`` until the next ``set_language`` (tools and tests:
    one that records the calls, a small catalogue); the language in force is unchanged."""
    global _translation
    _translation = translation


OS_ERROR_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EFBIG: N_("File too large"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EIO: N_("Input/output error"),
}
"""The reasons a file cannot be read or written, in the C library's (glibc's) words."""


def os_error_reason(error: OSError) -> str:
    """Why ``error`` happened, in the user's language (``No such file or directory``).

    The operating system says it in English whatever the language; the common reasons
    are in the catalogue, others are shown as the system says them."""
    reason = OS_ERROR_REASONS.get(error.errno) if error.errno is not None else None
    if reason is not None:
        return _(reason)
    return error.strerror or str(error)


def format_count(count: int) -> str:
    """``count`` with the language's digit grouping: ``12,345`` (en), ``12 345`` (fr)."""
    if _language == "en":
        return f"{count:,}"
    from babel.numbers import format_decimal  # lazily: Babel costs start-up time

    return format_decimal(count, locale=locale_name())


def format_fixed(value: float, places: int) -> str:
    """``value`` with ``places`` decimals in the language's form: ``1.5`` (en), ``1,5`` (fr)."""
    if _language == "en":
        return f"{value:,.{places}f}"
    from babel.numbers import format_decimal  # lazily: Babel costs start-up time

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=locale_name())


def language() -> str:
    """The language in force (``"en"`` or ``"fr"``)."""
    return _language


def locale_name() -> str:
    """The Babel locale of the language in force: ``"fr_CA"``, ``"fr_FR"``, ``"en_US"``…"""
    return f"{_language}_{_territory or DEFAULT_TERRITORY[_language]}"


def on_language_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(language)`` after each change; returns a function that stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


set_language(None)
