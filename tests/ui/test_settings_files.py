"""Settings screen: change history, and settings JSON export/import from the screen."""

from __future__ import annotations

import json
from pathlib import Path

import peewee
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.settings_files import SettingsFileScreen
from crm_tui.ui.screens.settings_history import SettingsHistoryScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from tests.ui.pilot import SIZE, make_app, settle
from tests.ui.settings_fixtures import (
    admin_user,
    highlight,
    open_settings,
    seed_settings,
    status_line,
    text_of,
)


async def run_file_dialog(pilot: Pilot, key: str, path: Path) -> SettingsFileScreen:
    """Open the export (``E``) or import (``I``) dialog and submit ``path``."""
    await pilot.press(key)
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingsFileScreen)
    field = dialog.query_one("#file-path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    return dialog


async def test_history_shows_settings_changes(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Done")
    await pilot.press("x")
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    history = app.screen
    assert isinstance(history, SettingsHistoryScreen)
    table = history.query_one(DataTable)
    first = [str(cell) for cell in table.get_row_at(0)]
    assert first[1] == "ana"
    assert "Done" in first[2] and "archived: no → yes" in first[3]
    rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    assert any("created as 'Time zone'" in row for row in rows)
    assert "changes" in text_of(history, "#history-status")
    await pilot.press("escape")
    assert app.screen is screen


async def test_export_then_import_settings(database: peewee.Database, tmp_path: Path) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    target = tmp_path / "settings.json"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await run_file_dialog(pilot, "E", target)
        assert app.screen is screen
        document = json.loads(target.read_text(encoding="utf-8"))
        assert [s["name"] for s in document["statuses"]][:2] == ["Prospect", "Active"]
        assert document["variables"][0]["options"][0]["name"] == "PST"
        assert "Exported 8 statuses, 6 actions, 2 variables" in status_line(screen)
        # Exporting again asks before replacing the file.
        await run_file_dialog(pilot, "E", target)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        # Import a changed file: a new status first, a colour changed.
        document["statuses"].insert(0, dict(document["statuses"][0], name="Lead", abbreviation="L"))
        document["actions"][0]["background_color"] = "#FFF176"
        target.write_text(json.dumps(document), encoding="utf-8")
        await run_file_dialog(pilot, "I", target)
        assert app.screen is screen
        settings = load_settings()
        assert settings.statuses[0].name == "Lead"
        assert settings.actions[0].background_color == "#FFF176"
        assert "1 created, 1 updated" in status_line(screen)
        assert app.session.settings.statuses[0].name == "Lead"


async def test_bad_settings_file_is_refused_and_changes_nothing(
    database: peewee.Database, tmp_path: Path
) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "statuses": [
                    {
                        "name": "Lead",
                        "abbreviation": "L",
                        "font_color": "#FFF",
                        "background_color": "blue",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    before = load_settings()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        dialog = await run_file_dialog(pilot, "I", bad)
        assert app.screen is dialog
        error = text_of(dialog, "#file-error")
        assert "statuses[0].background_color" in error and "not a colour" in error
        field = dialog.query_one("#file-path", Input)
        field.value = str(tmp_path / "none.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot read" in text_of(dialog, "#file-error")
        await pilot.press("escape")
    assert load_settings() == before
