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
