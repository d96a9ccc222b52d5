"""Settings screen, Status and Action tabs: list, add, edit, reorder, archive, delete; access."""

from __future__ import annotations

import peewee
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.settings import SettingsScreen
from crm_tui.ui.screens.settings_forms import BadgeFormScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.settings_list import SettingsList
from tests.ui.pilot import SIZE, make_app, settle
from tests.ui.settings_fixtures import (
    admin_user,
    highlight,
    list_rows,
    note_with_status,
    open_settings,
    rep_user,
    row_names,
    seed_settings,
    status_line,
    text_of,
    type_text,
)

STARTER_ORDER = ["Prospect", "Active", "Client", "Awaiting approval", "On hold", "No answer"]


def status_names(archived: bool | None = None) -> list[str]:
    """Status names in configured order, from the database."""
    return [s.name for s in load_settings().statuses if archived is None or s.archived == archived]


async def test_status_tab_lists_badges_in_order_with_archived_apart(
    admin_app: Pilot,
) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    assert row_names(screen, "status") == [*STARTER_ORDER, "Done", "|", "Inactive"]
    rows = list_rows(screen, "status")
    assert "●" in rows[0] and "PRO" in rows[0] and "#FFFFFF on #1565C0" in rows[0]
    assert "●" not in rows[4]  # On hold: not in sequence
    assert rows[7].startswith("Archived") and "Inactive" in rows[8]
    assert "contrast" in text_of(screen, "#preview-status .preview-contrast")
    assert "Used by no note" in text_of(screen, "#usage-status")


async def test_add_status_saves_and_selects_it(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("a")
    form = app.screen
    assert isinstance(form, BadgeFormScreen)
    await type_text(pilot, form.query_one("#field-name", Input), "Qualified")
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "QUAL")
    await type_text(pilot, form.query_one("#field-font", Input), "#fff")
    await type_text(pilot, form.query_one("#field-background", Input), "#6a1b9a")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is screen
    added = load_settings().statuses[-1]
    assert (added.name, added.abbreviation) == ("Qualified", "QUAL")
    assert (added.font_color, added.background_color) == ("#FFFFFF", "#6A1B9A")
    assert screen.query_one("#list-status", SettingsList).current_id == added.id
    assert "Added 'Qualified'." in status_line(screen)
    assert app.session.settings.statuses[-1].name == "Qualified"  # every screen reloads


async def test_edit_status_changes_only_what_was_typed(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Active")
    await pilot.press("enter")
    form = app.screen
    assert isinstance(form, BadgeFormScreen)
    assert form.query_one("#field-name", Input).value == "Active"
    await type_text(pilot, form.query_one("#field-name", Input), "Active deal")
    await pilot.press("ctrl+s")
    await settle(pilot)
    edited = next(s for s in load_settings().statuses if s.abbreviation == "ACT")
    assert edited.name == "Active deal"
    assert edited.background_color == "#2E7D32"
    assert "Active deal" in row_names(screen, "status")


async def test_reorder_statuses_with_keys(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Client")
    await pilot.press("K")
    await settle(pilot)
    assert status_names(archived=False)[:3] == ["Prospect", "Client", "Active"]
    await pilot.press("ctrl+up")
    await settle(pilot)
    assert status_names(archived=False)[:3] == ["Client", "Prospect", "Active"]
    assert row_names(screen, "status")[:3] == ["Client", "Prospect", "Active"]
    assert screen.query_one("#list-status", SettingsList).current.name == "Client"
    await pilot.press("J", "ctrl+down")
    await settle(pilot)
    assert status_names(archived=False)[:3] == ["Prospect", "Active", "Client"]
    # The last active item moves past the archived one in the list: nothing to do.
    await highlight(pilot, screen, "status", "Done")
    await pilot.press("J")
    await settle(pilot)
    assert status_names(archived=False)[-1] == "Done"


async def test_toggle_in_sequence(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "On hold")
    await pilot.press("space")
    await settle(pilot)
    assert next(s for s in load_settings().statuses if s.name == "On hold").in_sequence
    assert "●" in list_rows(screen, "status")[4]
    await pilot.press("i")
    await settle(pilot)
    assert not next(s for s in load_settings().statuses if s.name == "On hold").in_sequence


async def test_archive_then_restore(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "No answer")
    await pilot.press("x")
    await settle(pilot)
    assert status_names(archived=True) == ["No answer", "Inactive"]
    assert row_names(screen, "status")[-3:] == ["|", "No answer", "Inactive"]
    assert "Archived 'No answer'." in status_line(screen)
    assert screen.query_one("#list-status", SettingsList).current.name == "No answer"
    await pilot.press("x")
    await settle(pilot)
    assert status_names(archived=True) == ["Inactive"]
    assert "Restored 'No answer'." in status_line(screen)


async def test_delete_unused_status_after_confirming(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Done")
    await pilot.press("delete")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("n")
    assert "Done" in status_names()
    await pilot.press("delete")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    assert "Done" not in status_names()
    assert "Done" not in row_names(screen, "status")
    assert "Deleted 'Done'." in status_line(screen)


async def test_delete_used_status_is_refused_and_archiving_offered(
    database: peewee.Database,
) -> None:
    admin = admin_user()
    seed_settings(admin)
    note_with_status(admin, "Prospect")
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert "Used by 1 note" in text_of(screen, "#usage-status")
        await pilot.press("delete")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "'Prospect' is used by 1 note: archive it instead" in question.question
        assert "is used by 1 note" in status_line(screen)
        await pilot.press("y")
        await settle(pilot)
        assert "Prospect" in status_names(archived=True)


async def test_action_tab_add_edit_and_archive(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("2")
    assert row_names(screen, "action")[0] == "Call"
    await pilot.press("a")
    form = app.screen
    await type_text(pilot, form.query_one("#field-name", Input), "Visit")
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "VST")
    await pilot.press("ctrl+s")
    await settle(pilot)
    actions = load_settings().actions
    assert actions[-1].name == "Visit"
    assert row_names(screen, "action")[-1] == "Visit"
    await pilot.press("e")
    await type_text(pilot, app.screen.query_one("#field-abbreviation", Input), "VISIT")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert load_settings().actions[-1].abbreviation == "VISIT"
    await pilot.press("K", "x")
    await settle(pilot)
    names = [a.name for a in load_settings().actions if not a.archived]
    assert "Visit" not in names
    assert [a.name for a in load_settings().actions if a.archived] == ["Visit"]


async def test_rep_cannot_reach_settings(database: peewee.Database) -> None:
    admin = admin_user()
    rep = rep_user(admin)
    app = make_app(database, rep)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert app.current_mode == "notes"
        assert not isinstance(app.screen, SettingsScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Settings" not in titles
        # Reached anyway (say, by a stale palette entry): the screen refuses and leaves.
        app.switch_mode("settings")
        await settle(pilot)
        assert app.current_mode == "notes"


async def test_admin_palette_has_every_settings_action(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    titles = [command.title for command in app.get_system_commands(screen)]
    for title in ("Settings", "Add item", "Edit item", "Delete item", "Move item up"):
        assert title in titles
    for title in ("Archive or restore item", "Settings history", "Import settings"):
        assert title in titles
    assert all(binding.id for binding in SettingsScreen.BINDINGS)
