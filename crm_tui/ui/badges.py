"""Badges: statuses, actions and options drawn in their stored colours."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from crm_tui.domain.text import visible
from crm_tui.records import Badge


@lru_cache(maxsize=4096)
def badge_style(font_color: str, background_color: str) -> Style:
    """The Rich style of a badge, built once per colour pair."""
    return Style(color=font_color, bgcolor=background_color, bold=True)


def badge_text(badge: Badge | None, *, short: bool = False, width: int | None = None) -> Text:
    """A badge as Rich text: `` name `` (or the abbreviation) in its own colours.

    The name is stored text: drawn literally (never markup), control characters visible.
    """
    if badge is None:
        return Text("")
    label = visible(badge.abbreviation if short else badge.name)
    if width is not None and cell_len(label) + 2 > width:
        label = set_cell_size(label, max(1, width - 3)) + "…"
    style = badge_style(badge.font_color, badge.background_color)
    if badge.archived:
        style = style + Style(dim=True)
    return Text(f" {label} ", style=style, no_wrap=True, end="")
