"""Badge colours: what is accepted, how it is stored, and readable text on a badge."""

from __future__ import annotations

import pytest

from crm_tui.domain.colors import contrast_ratio, normalize_color, readable_font
from crm_tui.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("#abc", "#AABBCC"),
        ("#ABC", "#AABBCC"),
        ("#aBc", "#AABBCC"),
        ("#a1b2c3", "#A1B2C3"),
        ("#A1B2C3", "#A1B2C3"),
        ("#000", "#000000"),
        ("  #ffffff  ", "#FFFFFF"),
    ],
)
def test_colours_become_upper_case_rrggbb(typed: str, stored: str) -> None:
    assert normalize_color(typed, "font colour") == stored


@pytest.mark.parametrize(
    "bad",
    ["red", "#12345", "#GGGGGG", "", "   ", "#", "FFFFFF", "#1234567", "#abcd", "##abc", "#ab c"],
)
def test_bad_colours_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_color(bad, "background colour")
    assert error.value.field == "background colour"
    assert error.value.problem == f"{bad.strip()!r} is not a colour; use #RGB or #RRGGBB"


def test_none_is_refused_like_a_blank() -> None:
    with pytest.raises(ValidationError, match="is not a colour"):
        normalize_color(None, "font colour")  # type: ignore[arg-type]


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("background", "font"),
    [
        ("#FFEB3B", "#000000"),
        ("#1E88E5", "#000000"),
        ("#5E35B1", "#FFFFFF"),
        ("#000000", "#FFFFFF"),
    ],
)
def test_readable_font_picks_black_or_white(background: str, font: str) -> None:
    assert readable_font(background) == font
