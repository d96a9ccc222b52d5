"""A new status, action or option's abbreviation, suggested from its name.

Initials of a name of several words (``Order follow-up`` → ``OFU``), the first four
letters of a one-word name (``Wholesale`` → ``WHOL``), upper case, at most
``ABBREVIATION_MAX`` characters, made unique among the abbreviations already in the list
with a number (``OFU2``). The user may still change it: it is only a starting value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crm_tui.domain.text import ABBREVIATION_MAX, fold

_WORD = re.compile(r"[^\W_]+")
ONE_WORD_LETTERS = 4


def suggest_abbreviation(name: str, taken: Iterable[str] = ()) -> str:
    """The abbreviation to prefill for ``name``, unique among ``taken`` ("" for no name)."""
    words = _WORD.findall(name)
    if not words:
        return ""
    initials = "".join(word[0] for word in words)
    base = (words[0][:ONE_WORD_LETTERS] if len(words) == 1 else initials).upper()
    base = base[:ABBREVIATION_MAX]
    used = {fold(other) for other in taken}
    if fold(base) not in used:
        return base
    number = 2
    while True:
        suffix = str(number)
        candidate = base[: ABBREVIATION_MAX - len(suffix)] + suffix
        if fold(candidate) not in used:
            return candidate
        number += 1
