"""Issue 11 case 4: 80x24 is a first-class size.

Dialogs lie within the screen with their buttons, Settings rows take one line each, the
sort dialog keeps its ``Order:`` line, and the footer shows the main keys first and never
half a key (the rest stay in ``?`` and the palette).
"""

from __future__ import annotations

import peewee
import pytest
from textual.widgets._footer import FooterKey

from crm_tui.ui.app import CrmApp
from crm_tui.ui.widgets.footer import CrmFooter
from tests.ui.conftest import build_world
from tests.ui.pilot import make_app, screen_text, settle
from tests.ui.settings_fixtures import admin_user, open_settings, seed_settings

SMALL = (80, 24)
LARGE = (120, 40)


def footer_keys(app: CrmApp) -> list[FooterKey]:
    """The footer's keys, left to right (the palette's key last)."""
    footer = app.screen.query_one(CrmFooter)
    return sorted(footer.query(FooterKey), key=lambda key: key.region.x)


def assert_footer_whole(app: CrmApp) -> None:
    """Every key shown is drawn whole, left of the palette's key."""
    footer = app.screen.query_one(CrmFooter)
    keys = footer_keys(app)
    palette = [key for key in keys if key.has_class("-command-palette")]
    limit = palette[0].region.x if palette else footer.region.right
    for key in keys:
        if key not in palette:
            assert key.region.right <= limit, f"{key.description!r} is cut"


async def test_settings_rows_take_one_line_each(database: peewee.Database) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=SMALL) as pilot:
        await open_settings(pilot)
        lines = screen_text(app).splitlines()
        for name, abbreviation, colours in (
            ("Prospect", "PRO", "#FFFFFF on #1565C0"),
            ("Awaiting approval", "AWA", "#000000 on #FFC107"),
            ("On hold", "HOLD", "#000000 on #BDBDBD"),
        ):
            row = [line for line in lines if f" {name} " in line and line.startswith("│")]
            assert len(row) == 1, name
            assert abbreviation in row[0] and colours in row[0], row[0]
        await pilot.press("3")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("Time zone" in line and "dropdown" in line for line in lines)
        assert any(" PST " in line and "#000000 on #E3F2FD" in line for line in lines)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_sort_dialog_keeps_its_order_line(
    database: peewee.Database, size: tuple[int, int]
) -> None:
    world = build_world(database)
    app = make_app(database, world.ana)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s", "down", "space")
        await settle(pilot)
        text = screen_text(app)
        assert "Order: Action ▲" in text
        dialog = app.screen.query_one("#sort-dialog")
        assert dialog.region.bottom <= size[1] and dialog.region.right <= size[0]
        # The main keys first, and never half a key.
        descriptions = [key.description for key in footer_keys(app)]
        assert descriptions[:1] == ["Cancel"]
        assert_footer_whole(app)


@pytest.mark.parametrize("keys", [(), ("f3",), ("enter",), ("n",), ("f5",)])
async def test_footers_show_whole_keys_and_the_help_key(
    database: peewee.Database, keys: tuple[str, ...]
) -> None:
    world = build_world(database)
    app = make_app(database, world.ana)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert_footer_whole(app)
        shown = [key.key for key in footer_keys(app)]
        assert "question_mark" in shown or keys == ("n",)  # a form's keys come first


async def test_settings_footer_at_80_columns(database: peewee.Database) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=SMALL) as pilot:
        await open_settings(pilot)
        assert_footer_whole(app)
        descriptions = [key.description for key in footer_keys(app)]
        assert descriptions[:3] == ["Add", "Archive", "Delete"]
        await pilot.press("a")
        await settle(pilot)
        descriptions = [key.description for key in footer_keys(app)]
        assert descriptions[:2] == ["Save", "Cancel"]
        assert_footer_whole(app)


@pytest.mark.parametrize(
    "keys",
    [
        ("a",),  # new status
        ("3", "a"),  # new variable
        ("3", "a", "tab", "right", "right", "right", "right", "space"),  # dropdown
        ("a", "f5"),  # colour picker
        ("h",),  # history
    ],
)
async def test_settings_dialogs_fit_80x24(database: peewee.Database, keys: tuple[str]) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=SMALL) as pilot:
        await open_settings(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for dialog in app.screen.query("#form-dialog, #picker-dialog, #history-dialog"):
            assert dialog.region.right <= SMALL[0] and dialog.region.bottom <= SMALL[1]
        for button in app.screen.query("#form-save, #form-cancel"):
            assert button.region.bottom <= SMALL[1] - 1  # above the footer
            assert button.region.right <= SMALL[0]
        text = screen_text(app)
        if "a" in keys and "f5" not in keys:
            assert "Save (ctrl+s)" in text and "Cancel (esc)" in text
        if "f5" in keys:
            assert "#" in text.splitlines()[-4] or "hue" in text  # the value line shows


async def test_a_long_name_leaves_the_row_on_one_line(database: peewee.Database) -> None:
    from crm_tui.domain.settings import create_badge

    admin = admin_user()
    seed_settings(admin)
    long_name = "Waiting for the purchasing department to approve the quote"
    create_badge(
        admin,
        "status",
        name=long_name,
        abbreviation="WPD",
        font_color="#FFFFFF",
        background_color="#1565C0",
    )
    app = make_app(database, admin)
    async with app.run_test(size=SMALL) as pilot:
        await open_settings(pilot)
        rows = [line for line in screen_text(app).splitlines() if "Waiting for" in line]
        assert len(rows) == 1 and "…" in rows[0]
        assert "WPD" in rows[0] and "#FFFFFF on #1565C0" in rows[0]
