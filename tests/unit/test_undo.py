"""Undo and redo: each step a new recorded change, stacks derived from the history."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, dump_tables, found, refused

from crm_tui.db.models import Change, Note
from crm_tui.domain import history, settings
from crm_tui.domain.errors import ConflictError, PermissionDenied
from crm_tui.domain.notes import NoteInput, create_note, delete_note, get_note, update_note
from crm_tui.domain.undo import NothingToUndo, redo, undo
from crm_tui.domain.undo_settings import CannotUndo
from tests.ui.conftest import CrmWorld, build_world


@pytest.fixture
def world(database: peewee.Database) -> CrmWorld:
    """Two users (ana admin, bob rep), settings with three variables, twelve notes."""
    return build_world(database)


def note_input(note_id: int, **changes: str) -> NoteInput:
    """The note as the editor would send it back, with some fields changed."""
    note = get_note(note_id)
    current = settings.load_settings()
    values = {}
    for variable in current.active_variables:
        value = note.values.get(variable.id)
        values[variable.name] = value.text if value else ""
    data = NoteInput(
        customer=note.customer,
        action=current.action(note.action_id).name if note.action_id else "",
        status=current.status(note.status_id).name if note.status_id else "",
        assignee=note.assignee,
        follow_up=note.follow_up.isoformat() if note.follow_up else "",
        body=note.body,
        values=values,
    )
    for key, value in changes.items():
        if key in ("customer", "action", "status", "assignee", "follow_up", "body"):
            setattr(data, key, value)
        else:
            data.values[key.replace("_", " ")] = value
    return data


def shown(note_id: int) -> tuple:
    """What the note view shows of a note (values by variable name)."""
    note = get_note(note_id)
    current = settings.load_settings()
    return (
        note.customer,
        current.status(note.status_id).name if note.status_id else None,
        note.follow_up,
        note.body,
        note.assignee,
        {current.variable(vid).name: value.text for vid, value in note.values.items()},
    )


def test_undo_of_an_edit_puts_the_old_values_back_as_a_new_change(world: CrmWorld) -> None:
    note_id = world.notes["acme1"]
    before = shown(note_id)
    version = get_note(note_id).version
    update_note(
        world.ana,
        note_id,
        note_input(
            note_id,
            status="Client",
            follow_up="2027-01-05",
            body="New text about widgets",
            customer="Acme Corporation",
            Time_zone="EST",
            Deal_value="99.95",
        ),
    )
    edited = shown(note_id)
    assert edited != before
    result = undo(world.ana)
    assert shown(note_id) == before
    assert result.notes == 1 and not result.settings
    assert "Acme" in result.description and "status" in result.description
    assert get_note(note_id).version > version + 1  # a new version again
    lines = [(c.field, c.old, c.new) for c in history.history_of("note", note_id)]
    assert ("status", "Client", "Prospect") in lines  # the undo is in the note's history
    assert ("status", "Prospect", "Client") in lines  # and so is the edit
    assert found(world.database, "widgets") == []
    assert note_id in found(world.database, "spring")
    assert_index_matches_notes(world.database)
    redo(world.ana)
    assert shown(note_id) == edited
    assert_index_matches_notes(world.database)


def test_each_undo_goes_one_step_further_back_and_redo_comes_forward(world: CrmWorld) -> None:
    note_id = world.notes["zeta"]
    states = [shown(note_id)]
    for status in ("Done", "On hold", "Inactive"):
        update_note(world.bob, note_id, note_input(note_id, status=status))
        states.append(shown(note_id))
    for expected in reversed(states[:-1]):
        undo(world.bob)
        assert shown(note_id) == expected
    with pytest.raises(NothingToUndo):
        undo(world.bob)
    for expected in states[1:]:
        redo(world.bob)
        assert shown(note_id) == expected
    with pytest.raises(NothingToUndo):
        redo(world.bob)
    undo(world.bob)  # and undo again after a redo
    assert shown(note_id) == states[2]


def test_a_new_change_clears_what_could_be_redone(world: CrmWorld) -> None:
    note_id = world.notes["zeta"]
    update_note(world.ana, note_id, note_input(note_id, status="Done"))
    undo(world.ana)
    update_note(world.ana, note_id, note_input(note_id, body="Another text"))
    with pytest.raises(NothingToUndo):
        redo(world.ana)
    undo(world.ana)
    assert shown(note_id)[3] == "Christmas order confirmed"
    assert shown(note_id)[1] == "Client"


def test_undo_of_a_new_note_deletes_it_and_redo_brings_it_back(world: CrmWorld) -> None:
    note_id = create_note(
        world.bob,
        NoteInput(customer="Brand New Ltd", status="Prospect", body="First contact", values={}),
    )
    created = shown(note_id)
    undo(world.bob)
    assert Note.get_or_none(Note.id == note_id) is None
    assert found(world.database, "contact") == []
    redo(world.bob)
    assert shown(note_id) == created
    assert get_note(note_id).author == "bob"
    assert found(world.database, "contact") == [note_id]
    assert_index_matches_notes(world.database)


def test_undo_of_a_deletion_recreates_the_note_with_its_id_and_values(world: CrmWorld) -> None:
    note_id = world.notes["acme1"]
    before = shown(note_id)
    detail = get_note(note_id)
    delete_note(world.bob, note_id)
    result = undo(world.bob)
    assert "deletion" in result.description
    restored = get_note(note_id)
    assert shown(note_id) == before
    assert (restored.author, restored.created_at) == (detail.author, detail.created_at)
    assert note_id in found(world.database, "spring")
    assert history.history_of("note", note_id)[0].field == "restored"
    redo(world.bob)
    assert Note.get_or_none(Note.id == note_id) is None
    undo(world.bob)
    assert shown(note_id) == before
    assert_index_matches_notes(world.database)


def test_a_note_changed_since_by_someone_else_is_not_overwritten(world: CrmWorld) -> None:
    note_id = world.notes["globex"]
    update_note(world.ana, note_id, note_input(note_id, status="Done"))
    update_note(world.bob, note_id, note_input(note_id, status="Active"))
    error = refused(world.database, ConflictError, lambda: undo(world.ana))
    assert "Globex" in str(error) and "changed" in str(error)
    assert shown(note_id)[1] == "Active"
    # bob's own change is his to undo
    undo(world.bob)
    assert shown(note_id)[1] == "Done"


def test_another_users_changes_are_not_on_my_stack(world: CrmWorld) -> None:
    update_note(world.ana, world.notes["hooli"], note_input(world.notes["hooli"], status="Done"))
    with pytest.raises(NothingToUndo):
        undo(world.bob)
    with pytest.raises(NothingToUndo):
        redo(world.bob)
    assert shown(world.notes["hooli"])[1] == "Done"


def test_nothing_to_undo_changes_nothing(world: CrmWorld) -> None:
    refused(world.database, NothingToUndo, lambda: undo(world.bob))


def test_undo_of_a_creation_someone_else_edited_since_is_refused(world: CrmWorld) -> None:
    note_id = create_note(world.bob, NoteInput(customer="Tiny Co", body="hello", values={}))
    update_note(world.ana, note_id, note_input(note_id, body="hello from ana"))
    refused(world.database, ConflictError, lambda: undo(world.bob))


def test_settings_edits_and_order_are_undone_by_an_admin(world: CrmWorld) -> None:
    prospect = world.status_id("Prospect")
    settings.update_badge(world.ana, "status", prospect, name="Lead", font_color="#123456")
    settings.move_badge(world.ana, "status", prospect, 3)
    moved = [s.name for s in settings.load_settings().statuses]
    assert moved.index("Lead") == 3
    result = undo(world.ana)
    assert result.settings and result.notes == 0
    assert settings.load_settings().statuses[0].name == "Lead"
    undo(world.ana)
    badge = settings.load_settings().status(prospect)
    assert (badge.name, badge.font_color) == ("Prospect", "#FFFFFF")
    redo(world.ana)
    assert settings.load_settings().status(prospect).name == "Lead"


def test_creating_a_setting_is_not_undone_and_a_rep_cannot_undo_settings(
    world: CrmWorld,
) -> None:
    settings.create_badge(
        world.ana,
        "action",
        name="Visit",
        abbreviation="VIS",
        font_color="#000000",
        background_color="#FFFFFF",
    )
    error = refused(world.database, CannotUndo, lambda: undo(world.ana))
    assert "Settings" in str(error)
    # a rep demoted after changing settings
    settings.update_badge(world.ana, "status", world.status_id("Done"), abbreviation="OK")
    as_rep = type(world.ana)(world.ana.id, world.ana.name, "rep")
    refused(world.database, PermissionDenied, lambda: undo(as_rep))


def test_a_deletion_from_before_snapshots_cannot_be_undone(world: CrmWorld) -> None:
    note_id = world.notes["eric"]
    before = dump_tables(world.database)
    Note.delete().where(Note.id == note_id).execute()
    history.record(world.ana, "note", note_id, [("deleted", None, "Eric & Sons: Shipped")])
    with pytest.raises(CannotUndo):
        undo(world.ana)
    assert Note.get_or_none(Note.id == note_id) is None
    assert Change.select().count() == len(before["change"]) + 1


def test_undo_of_a_follow_up_keeps_dates_exact(world: CrmWorld) -> None:
    note_id = world.notes["emilie"]
    update_note(world.ana, note_id, note_input(note_id, follow_up="2026-12-31"))
    assert get_note(note_id).follow_up == dt.date(2026, 12, 31)
    undo(world.ana)
    assert get_note(note_id).follow_up is None
