"""Badge colours: parsing, normalising and WCAG contrast."""

from __future__ import annotations

import re

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

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
