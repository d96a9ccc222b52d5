"""The folded key of a text: what sorting, uniqueness and search compare.

Stored keys (the ``name_key`` of customers, users, statuses, actions, variables, options
and saved views; the ``value_key`` of text values; PostgreSQL's search documents and
SQLite's ``search_term_folded``) are all ``fold`` of the text, computed in Python, so
both engines sort and find alike. It lives with the storage because migrations recompute
those keys; the domain uses it as ``crm_tui.domain.text.fold``.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
SURROGATES = re.compile("[\ud800-\udfff]")
"""Bytes that were not UTF-8 (``surrogateescape``)."""

FOLDED_LETTERS = {
    # Letters Unicode does not decompose, folded as their readers spell them without the
    # ligature or the stroke: "Œuvre" sorts and is found as "oeuvre", between "Odile" and
    # "Ouest", not after "zèbre". Both cases are listed; applied once accents are removed,
    # so "Ǿ" (Ø with acute) and "Ǣ" (Æ with macron) fold too. Changing this table changes
    # stored keys: it needs a migration that recomputes them (as 0008_fold_ligatures does).
    "Œ": "oe",
    "œ": "oe",
    "Æ": "ae",
    "æ": "ae",
    "Ø": "o",
    "ø": "o",
    "ẞ": "ss",  # capital sharp s (casefold would give "ss" too: listed to be explicit)
    "ß": "ss",
}
_FOLDED_LETTERS_TABLE = str.maketrans(FOLDED_LETTERS)


def fold(text: str) -> str:
    """Return the case-, accent- and spacing-insensitive key of ``text``.

    ``"Émile"`` folds to ``"emile"``, so it sorts next to ``"Emile"`` rather than after
    ``"Z"``, and ``"Œuvre"`` to ``"oeuvre"`` (``FOLDED_LETTERS``); runs of spaces count as
    one. Two names with the same fold are the same name. NUL and bytes that were not
    UTF-8 are left out: no stored text holds them, and a key is also what lookups send to
    the database, where PostgreSQL could not take them.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    spaced = " ".join(text.split())
    if spaced.isascii():  # the common case: nothing to decompose, and casefold is lower
        return spaced.lower()
    if SURROGATES.search(spaced):
        spaced = SURROGATES.sub("", spaced)
    decomposed = unicodedata.normalize("NFKD", spaced)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.translate(_FOLDED_LETTERS_TABLE)).casefold()


def search_tokens(text: str) -> list[str]:
    """Split ``text`` into folded words, the units full-text search matches."""
    return [token for token in _WORD.findall(fold(text).replace("_", " "))]


def search_document(body: str, customer: str) -> str:
    """The folded words a note is found by: its body and its customer's name."""
    return " ".join(search_tokens(f"{body} {customer}"))
