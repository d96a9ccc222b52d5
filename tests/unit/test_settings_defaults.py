"""Issue 11 case 5: a new item's abbreviation is suggested; starter and new colours read well."""

from __future__ import annotations

import peewee

from crm_tui.domain.abbreviations import suggest_abbreviation
from crm_tui.domain.colors import (
    DEFAULT_BACKGROUND,
    READABLE_CONTRAST,
    contrast_ratio,
    is_readable,
    new_badge_colors,
)
from crm_tui.domain.settings import (
    STARTER_ACTIONS,
    STARTER_STATUSES,
    ensure_starter_settings,
    load_settings,
)


def test_suggested_abbreviations() -> None:
    assert suggest_abbreviation("Qualified lead") == "QL"
    assert suggest_abbreviation("Wholesale") == "WHOL"
    assert suggest_abbreviation("  pst ") == "PST"
    assert suggest_abbreviation("Order follow-up") == "OFU"
    assert suggest_abbreviation("Émile's café") == "ÉSC"
    assert suggest_abbreviation("Hold", ["HOLD", "hold2"]) == "HOLD3"  # unique, any case
    assert suggest_abbreviation("") == "" and suggest_abbreviation(" - ") == ""


def test_suggested_abbreviations_stay_within_twelve_characters() -> None:
    long_name = " ".join(f"w{n}" for n in range(20))
    first = suggest_abbreviation(long_name)
    assert len(first) == 12
    second = suggest_abbreviation(long_name, [first])
    assert len(second) == 12 and second != first and second.endswith("2")


def test_starter_colours_pass_the_contrast_check() -> None:
    for name, _short, font, background, *_rest in (*STARTER_STATUSES, *STARTER_ACTIONS):
        assert contrast_ratio(font, background) >= READABLE_CONTRAST, name


def test_starter_settings_in_a_new_database_read_well(database: peewee.Database) -> None:
    assert ensure_starter_settings()
    settings = load_settings()
    for badge in (*settings.statuses, *settings.actions):
        assert is_readable(badge.font_color, badge.background_color), badge.name
    prospect = next(s for s in settings.statuses if s.name == "Prospect")
    client = next(s for s in settings.statuses if s.name == "Client")
    assert contrast_ratio(prospect.font_color, prospect.background_color) > 5.5  # was 3.7
    assert contrast_ratio(client.font_color, client.background_color) > 7.5  # was 4.1


def test_new_badge_colours() -> None:
    # A background the list uses already is passed over; the font is chosen to read.
    assert new_badge_colors(["#767676", "#FFEB3B"], ["#767676"]) == ("#000000", "#FFEB3B")
    assert new_badge_colors(["#fff59d"]) == ("#000000", "#FFF59D")  # normalised
    font, background = new_badge_colors([], [])
    assert background == DEFAULT_BACKGROUND and is_readable(font, background)
