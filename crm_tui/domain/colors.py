"""Badge colours: parsing, normalising and WCAG contrast."""

from __future__ import annotations

import re
from collections.abc import Iterable

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

READABLE_CONTRAST = 4.5
"""The least contrast ratio between a badge's font and background (WCAG AA)."""
DEFAULT_BACKGROUND = "#1565C0"
"""A new badge's background when no other is free (Blue 800: white reads at 5.8:1)."""

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def normalize_color(value: str, field: str) -> str:
    """Return ``value`` as ``#RRGGBB`` upper-case, accepting ``#RGB`` in any case."""
    text = (value or "").strip()
    if not _HEX.fullmatch(text):
        raise ValidationError(
            field, _("{value!r} is not a colour; use #RGB or #RRGGBB").format(value=text)
        )
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio (1 to 21) between two ``#RRGGBB`` colours."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def readable_font(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    black, white = "#000000", "#FFFFFF"
    if contrast_ratio(black, background) >= contrast_ratio(white, background):
        return black
    return white


def is_readable(foreground: str, background: str) -> bool:
    """Whether ``foreground`` on ``background`` reaches ``READABLE_CONTRAST``."""
    return contrast_ratio(foreground, background) >= READABLE_CONTRAST


def new_badge_colors(candidates: Iterable[str], used: Iterable[str] = ()) -> tuple[str, str]:
    """Font and background of a new badge: the first candidate background not ``used``.

    Only a background on which black or white reads at ``READABLE_CONTRAST`` or more is
    taken; the font is whichever of the two reads better. Falls back to
    ``DEFAULT_BACKGROUND`` (which passes) when no candidate is left.
    """
    taken = {normalize_color(color, "") for color in used}
    for candidate in candidates:
        background = normalize_color(candidate, "")
        font = readable_font(background)
        if background not in taken and is_readable(font, background):
            return font, background
    return readable_font(DEFAULT_BACKGROUND), DEFAULT_BACKGROUND
