"""Issue 11, case 9: the small things.

``?`` opened the keys panel and one stray character showed right of the footer's palette
key; the first-run text wrote ``F4`` where the footer writes ``f4``; the sort dialog had
no type-to-select.
"""

from __future__ import annotations

from textual.widgets import OptionList

from crm_tui.domain.users import create_user
from crm_tui.ui.app import CrmApp
from crm_tui.ui.widgets.query_dialogs import SortDialog
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, make_app, settle, wait_for


def screen_lines(app: CrmApp) -> list[str]:
    """The whole screen as drawn, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_the_keys_panel_leaves_no_stray_character_in_the_footer(
    crm_world: CrmWorld,
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: bool(app.screen.query("HelpPanel")))
        panel = app.screen.query_one("HelpPanel")
        footer = screen_lines(app)[-1][: panel.region.x]
        assert footer.rstrip().endswith("^p palette"), repr(footer)
        assert footer.endswith("^p palette"), repr(footer)  # nothing beside it
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: not app.screen.query("HelpPanel"))
        assert screen_lines(app)[-1].endswith("^p palette")


async def test_the_keys_panel_at_80_columns(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_lines(app)[-1].endswith("^p palette")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: bool(app.screen.query("HelpPanel")))
        panel = app.screen.query_one("HelpPanel")
        assert screen_lines(app)[-1][: panel.region.x].endswith("^p palette")


async def test_the_first_run_names_keys_as_the_footer_does(database) -> None:
    ana = create_user(None, "ana")
    app = make_app(database, ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "f4       Settings" in text
        assert "F4" not in text
        assert "f4 Settings" in screen_lines(app)[-1]  # the footer: the same key, same case


async def open_sort(pilot) -> SortDialog:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SortDialog))
    return pilot.app.screen


def highlighted_label(dialog: SortDialog) -> str:
    option = dialog.query_one("#sort-columns", OptionList).highlighted_option
    assert option is not None
    return dialog.labels[option.id]


async def test_typing_the_start_of_a_column_name_highlights_it(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_sort(pilot)
        await pilot.press(*"est")
        assert highlighted_label(dialog) == "Estimated close date"
        await pilot.press("space")  # ascending
        await pilot.press(*"time")
        assert highlighted_label(dialog) == "Time zone"
        await pilot.press("minus")  # descending
        await pilot.press(*"cu")
        assert highlighted_label(dialog) == "Customer"
        await pilot.press("c")  # "cuc" starts nothing: a new word, "c"
        assert highlighted_label(dialog).lower().startswith("c")
        await pilot.press("enter")
        await settle(pilot)
        close = f"var:{crm_world.variable_id('Estimated close date')}"
        zone = f"var:{crm_world.variable_id('Time zone')}"
        keys = [(key.column, key.descending) for key in app.screen.note_query.sort]
        assert keys == [(close, False), (zone, True)]


async def test_type_to_select_repeats_a_letter_to_step_through_its_columns(
    crm_world: CrmWorld,
) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_sort(pilot)
        starting_with_c = [
            label for _column, label in dialog.columns if label.lower().startswith("c")
        ]
        assert len(starting_with_c) >= 2
        seen = []
        for _ in starting_with_c:
            await pilot.press("c")
            seen.append(highlighted_label(dialog))
        assert seen == starting_with_c
        await pilot.press("c")  # round again
        assert highlighted_label(dialog) == starting_with_c[0]
