"""Stored text to what is drawn: Rich ``Text``, never markup, control characters visible."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from crm_tui.domain.text import visible


def safe_text(text: str | None, style: Style | str = "", *, keep_newlines: bool = False) -> Text:
    """``text`` as literal Rich ``Text``: ``[b]`` stays ``[b]``, ESC shows as ``␛``."""
    return Text(visible(text or "", keep="\n\t" if keep_newlines else ""), style=style)
