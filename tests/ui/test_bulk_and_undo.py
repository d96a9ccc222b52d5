"""Marks, bulk edit and undo/redo driven by keys on the notes screen."""

from __future__ import annotations

from crm_tui.domain.notes import get_note
from crm_tui.ui.screens.bulk_dialog import BulkEditDialog
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.widgets.note_list import NoteTable
from tests.ui.conftest import CrmWorld, shown_lines
from tests.ui.pilot import SIZE, make_app, settle, wait_for


def status_name(world: CrmWorld, note_id: int) -> str | None:
    status = world.settings.status(get_note(note_id).status_id)
    return status.name if status else None


def count_text(app) -> str:
    return str(app.screen.query_one("#notes-count").render())


async def test_mark_two_notes_bulk_set_a_status_then_undo_and_redo(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    hooli, acme3 = crm_world.notes["hooli"], crm_world.notes["acme3"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(NoteTable)
        assert [table.row_at(0).id, table.row_at(1).id] == [hooli, acme3]
        await pilot.press("space", "space")
        assert "2 marked" in count_text(app)
        assert [line[0] for line in shown_lines(app)[:3]] == ["●", "●", " "]
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkEditDialog))
        await pilot.press("enter")  # Status, the first field
        await settle(pilot)
        await pilot.press("o", "n", " ", "h", "ctrl+s")  # "On hold"
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await wait_for(pilot, lambda: "On hold" in shown_lines(app)[0])
        assert "On hold" in shown_lines(app)[1]
        assert "marked" not in count_text(app)
        assert [status_name(crm_world, n) for n in (hooli, acme3)] == ["On hold", "On hold"]
        await pilot.press("u")
        await wait_for(pilot, lambda: "On hold" not in shown_lines(app)[0])
        assert "Prospect" in shown_lines(app)[0] and "Done" in shown_lines(app)[1]
        assert [status_name(crm_world, n) for n in (hooli, acme3)] == ["Prospect", "Done"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "On hold" in shown_lines(app)[0])
        assert "On hold" in shown_lines(app)[1]


async def test_mark_all_and_a_refused_value_keeps_the_dialog(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: "12 marked" in count_text(app))
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkEditDialog))
        await pilot.press("down", "down", "down", "enter")  # Follow-up
        await settle(pilot)
        await pilot.press(*"31/12", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditDialog)
        assert "not a date" in str(app.screen.query_one("#bulk-row .field-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert get_note(crm_world.notes["zeta"]).follow_up.isoformat() == "2026-12-24"
        await pilot.press("A")
        assert "marked" not in count_text(app)
