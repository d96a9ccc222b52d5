"""Text folding shared by sorting, uniqueness and search."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Return the case-, accent- and spacing-insensitive key of ``text``.

    ``"Émile"`` folds to ``"emile"``, so it sorts next to ``"Emile"`` rather than after
    ``"Z"``; runs of spaces count as one. Two names with the same fold are the same name.
    """
    spaced = " ".join(text.split())
    if spaced.isascii():  # the common case: nothing to decompose, and casefold is lower
        return spaced.lower()
    decomposed = unicodedata.normalize("NFKD", spaced)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def clean_name(text: str) -> str:
    """Trim a name and collapse inner runs of whitespace."""
    return " ".join(text.split())


def search_tokens(text: str) -> list[str]:
    """Split ``text`` into folded words, the units full-text search matches."""
    return [token for token in _WORD.findall(fold(text).replace("_", " "))]


_CONTROL_NAMES = {0x1B: "␛", 0x09: "⇥", 0x0A: "↵", 0x0D: "␍", 0x00: "␀", 0x7F: "␡"}


def _visible_char(char: str) -> str:
    code = ord(char)
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␁ ␂ …
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


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
