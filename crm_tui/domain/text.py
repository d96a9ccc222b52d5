"""Text folding shared by sorting, uniqueness and search; the text rules every input obeys.

``fold`` (with its table of letters, ``FOLDED_LETTERS``) is the storage's
(``crm_tui.db.folding``: migrations recompute the keys it makes); it is used from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from crm_tui.db.folding import FOLDED_LETTERS as FOLDED_LETTERS  # re-exported
from crm_tui.db.folding import SURROGATES
from crm_tui.db.folding import fold as fold  # re-exported: the domain folds from here
from crm_tui.db.folding import search_tokens as search_tokens  # re-exported
from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _


def searchable(text: str) -> str:
    """``text`` without NUL and bytes that were not UTF-8, for a search sent to the database."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text if text.isascii() else SURROGATES.sub("", text)


def storable(text: str) -> bool:
    """Whether ``text`` can be stored or looked up at all: no NUL, no byte that was not UTF-8."""
    return "\x00" not in text and (text.isascii() or not SURROGATES.search(text))


def clean_name(text: str) -> str:
    """Trim a name and collapse inner runs of whitespace."""
    return " ".join(text.split())


_CONTROL_NAMES = {0x1B: "␛", 0x09: "⇥", 0x0A: "↵", 0x0D: "␍", 0x00: "␀", 0x7F: "␡"}


def _visible_char(char: str) -> str:
    code = ord(char)
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␁ ␂ …
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def is_control(char: str) -> bool:
    """Whether ``char`` is a control or format character a terminal may act on."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in "\u200d"


def visible(text: str, *, keep: str = "") -> str:
    """``text`` with every control character made visible (``ESC`` as ``␛``, C1 as ``\\x9b``).

    Characters in ``keep`` (e.g. ``"\\n"`` for a multi-line view) stay as they are. The
    result is safe to write to a terminal; it is meant to be drawn as Rich ``Text``, never
    parsed as markup.
    """
    if text.isprintable():  # no Cc, Cf, Zl or Zp character: nothing to show differently
        return text
    return "".join(
        _visible_char(char) if char not in keep and is_control(char) else char for char in text
    )


# --- text rules: the same on every engine, form and file (shared/SPEC.md "Text rules") ---

NAME_MAX = 200
"""Characters in a name: customer, user, status, action, variable, option."""
ABBREVIATION_MAX = 12
"""Characters in the abbreviation of a status, action or option."""
NOTE_TEXT_MAX = 100_000
"""Characters in the text of a note."""
TEXT_VALUE_MAX = 500
"""Characters in the value of a text variable: its folded key is in a sorting index, and
PostgreSQL refuses an index entry over about 2,700 bytes (500 characters of 4 bytes fit)."""
KEY_BYTES_MAX = 2_000
"""Bytes of the folded key of a name or text value (uniqueness and sorting indexes).

Folding can lengthen text (``ﷺ`` unfolds into 18 letters): this keeps every key within
what PostgreSQL can index, so SQLite never accepts what PostgreSQL would refuse."""

_IN_WORDS = "\u200c\u200d"  # zero-width (non-)joiners: part of Persian words and emoji
_NOTE_LAYOUT = "\t\n"
_NAME_SPACES = "\t\n\r"  # typed or pasted between words: a name keeps one space instead


def _refuse_characters(text: str, field: str, allowed: str, rule: Callable[[], str]) -> None:
    """Raise ``ValidationError`` at the first NUL, invalid or control character of ``text``.

    Characters in ``allowed`` pass; ``rule()`` says what is allowed, for the message (built
    only on a refusal: imports check every cell).
    """
    probe = text
    for char in allowed:
        if char in probe:
            probe = probe.replace(char, " ")
    if probe.isprintable():  # the common case, checked at C speed
        return
    for position, char in enumerate(text, start=1):
        if char.isprintable() or char in allowed or char in _IN_WORDS:
            continue
        if char == "\x00":
            raise ValidationError(
                field,
                _("contains a NUL character at character {position}: text cannot hold NUL").format(
                    position=position
                ),
            )
        if "\ud800" <= char <= "\udfff":  # a byte that was not UTF-8 (surrogateescape)
            raise ValidationError(
                field,
                _("contains a byte that is not UTF-8 text at character {position}").format(
                    position=position
                ),
            )
        if is_control(char):
            raise ValidationError(
                field,
                _(
                    "contains the control character {char} (U+{code:04X}) at character {position};"
                    " {rule}"
                ).format(char=visible(char), code=ord(char), position=position, rule=rule()),
            )


def _refuse_length(count: int, field: str, limit: int) -> None:
    if count > limit:
        raise ValidationError(
            field,
            _("is {count:,} characters long; at most {max:,} are allowed").format(
                count=count, max=limit
            ),
        )


_SAFE_KEY_LENGTH = KEY_BYTES_MAX // (18 * 4)
"""Characters that cannot fold past ``KEY_BYTES_MAX``: one folds into at most 18, of 4 bytes."""


def _refuse_long_key(text: str, field: str) -> None:
    if len(text) <= _SAFE_KEY_LENGTH:  # most values: no need to fold them here
        return
    size = len(fold(text).encode("utf-8", "surrogatepass"))
    if size > KEY_BYTES_MAX:
        raise ValidationError(
            field,
            _(
                "is too long to compare and sort: {size:,} bytes once folded (case and accents"
                " removed), at most {max:,}"
            ).format(size=size, max=KEY_BYTES_MAX),
        )


def check_line(text: str | None, field: str, limit: int = NAME_MAX) -> str:
    """``text`` trimmed, if it fits on one line: no control character, at most ``limit``.

    For short one-line fields that are not names (an abbreviation, an e-mail address).
    Raises ``ValidationError(field, problem)``; a blank result is the caller's to refuse.
    """
    return _checked_line(text, field, limit, lambda: _("control characters are not allowed here"))


def _checked_line(text: str | None, field: str, limit: int, rule: Callable[[], str]) -> str:
    trimmed = (text or "").strip()
    _refuse_characters(trimmed, field, "", rule)
    _refuse_length(len(trimmed), field, limit)
    return trimmed


def check_name(text: str | None, field: str, limit: int = NAME_MAX) -> str:
    """A name as stored: trimmed, runs of spaces made one, checked by the text rules.

    Tabs and line breaks count as spaces; NUL and any other control character are
    refused (``ValidationError(field, problem)``), as are more than ``limit`` characters
    (counted as stored). A blank result is the caller's to refuse, with its own words.
    """
    raw = text or ""
    _refuse_characters(raw, field, _NAME_SPACES, lambda: _("names cannot hold control characters"))
    cleaned = clean_name(raw)
    _refuse_length(len(cleaned), field, limit)
    _refuse_long_key(cleaned, field)
    return cleaned


def check_multiline(text: str | None, field: str, limit: int = NOTE_TEXT_MAX) -> str:
    """Note text (or a text value) as stored: CRLF and lone CR become LF, end trimmed.

    Refuses NUL and every control character but tab and newline, and more than ``limit``
    characters (counted as stored).
    """
    stored = text or ""
    if "\r" in stored:
        stored = stored.replace("\r\n", "\n").replace("\r", "\n")
    stored = stored.rstrip()
    _refuse_characters(stored, field, _NOTE_LAYOUT, lambda: _("only tab and new line are allowed"))
    _refuse_length(len(stored), field, limit)
    return stored


def check_text_value(text: str | None, field: str, limit: int = TEXT_VALUE_MAX) -> str:
    """The value of a text variable as stored: trimmed, then checked as note text is, with
    its own length limit and a folded key PostgreSQL can index."""
    stored = check_multiline((text or "").strip(), field, limit)
    _refuse_long_key(stored, field)
    return stored
