"""Bulk edit: one field on many notes, one transaction, one history batch, one undo."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from test_db_snapshot import refused

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import Change, Note, NoteValue
from crm_tui.domain.bulk_edit import APPLY, SKIP, BulkConflict, bulk_edit, marked_ids, watermark
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.notes import get_note
from crm_tui.domain.query import Condition, NoteQuery, variable_column
from crm_tui.domain.settings import load_settings
from crm_tui.domain.undo import redo, undo
from tests.ui.conftest import CrmWorld, build_world
from tests.ui.pilot import TODAY
from tests.unit.test_undo import note_input


@pytest.fixture
def world(database: peewee.Database) -> CrmWorld:
    """Two users (ana admin, bob rep), settings with three variables, twelve notes."""
    return build_world(database)


class Steps:
    """A progress that remembers what it was told."""

    def __init__(self) -> None:
        self.started: list[tuple[str, int | None]] = []
        self.done = 0

    def start(self, description: str, total: int | None = None) -> None:
        self.started.append((description, total))

    def advance(self, amount: int = 1) -> None:
        self.done += amount


def status_of(note_id: int) -> str | None:
    note = get_note(note_id)
    badge = load_settings().status(note.status_id)
    return badge.name if badge else None


def test_a_status_for_marked_notes_in_one_batch(world: CrmWorld) -> None:
    ids = [world.notes[label] for label in ("acme1", "dubois", "eric", "zeta")]
    versions = {note_id: get_note(note_id).version for note_id in ids}
    others = {label: status_of(nid) for label, nid in world.notes.items() if nid not in ids}
    progress = Steps()
    result = bulk_edit(world.bob, ids, "status", "done", since=watermark(), progress=progress)
    assert (result.changed, result.unchanged) == (3, 1)  # eric was Done already
    assert [status_of(note_id) for note_id in ids] == ["Done"] * 4
    assert {label: status_of(world.notes[label]) for label in others} == others
    assert get_note(ids[0]).version == versions[ids[0]] + 1
    assert get_note(world.notes["eric"]).version == versions[world.notes["eric"]]
    lines = list(Change.select().where(Change.batch == result.batch))
    assert sorted((c.entity_id, c.field, c.old, c.new) for c in lines) == sorted(
        [
            (world.notes["acme1"], "status", "Prospect", "Done"),
            (world.notes["dubois"], "status", "Awaiting approval", "Done"),
            (world.notes["zeta"], "status", "Client", "Done"),
        ]
    )
    assert {c.user_id for c in lines} == {world.bob.id}
    assert progress.started and progress.started[-1][1] == 3
    undo(world.bob)
    assert [status_of(note_id) for note_id in ids] == [
        "Prospect",
        "Awaiting approval",
        "Done",
        "Client",
    ]
    redo(world.bob)
    assert [status_of(note_id) for note_id in ids] == ["Done"] * 4


def test_a_variable_for_every_note_of_a_query(world: CrmWorld) -> None:
    zone = world.variable_id("Time zone")
    query = NoteQuery(conditions=(Condition("status", "=", world.status_id("Prospect")),))
    prospects = sorted(marked_ids(query, load_settings(), TODAY))
    assert len(prospects) == 3
    result = bulk_edit(world.ana, query, variable_column(zone), "MST", today=TODAY)
    assert result.changed == 3
    for label, note_id in world.notes.items():
        text = get_note(note_id).values.get(zone)
        if note_id in prospects:
            assert text is not None and text.text == "MST", label
        else:
            assert text is None or text.text != "MST" or label in ("emilie", "zeta")


def test_blank_clears_and_dates_take_shortcuts(world: CrmWorld) -> None:
    ids = [world.notes["acme1"], world.notes["emilie"]]
    bulk_edit(world.ana, ids, "follow_up", "+3d", today=TODAY)
    assert {get_note(i).follow_up for i in ids} == {TODAY + dt.timedelta(days=3)}
    close = world.variable_id("Estimated close date")
    bulk_edit(world.ana, ids, variable_column(close), "", today=TODAY)
    assert (
        NoteValue.select().where(NoteValue.note.in_(ids), NoteValue.variable == close).count() == 0
    )
    bulk_edit(world.ana, ids, "assignee", "bob")
    assert {get_note(i).assignee for i in ids} == {"bob"}
    undo(world.ana)
    undo(world.ana)
    assert get_note(ids[0]).values[close].text == "2026-12-15"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("status", "Nope", "status"),
        ("follow_up", "31/12/2026", "follow-up"),
        ("var:{deal}", "12.345", "Deal value"),
        ("assignee", "carol", "assignee"),
        ("body", "x", "field"),
    ],
)
def test_a_bad_value_changes_nothing_and_names_the_field(
    world: CrmWorld, field: str, value: str, named: str
) -> None:
    field = field.format(deal=world.variable_id("Deal value"))
    ids = list(world.notes.values())
    error = refused(
        world.database, ValidationError, lambda: bulk_edit(world.ana, ids, field, value)
    )
    assert error.field == named


def test_notes_changed_by_someone_else_since_marked_are_reported(world: CrmWorld) -> None:
    ids = [world.notes["acme1"], world.notes["hooli"], world.notes["initech"]]
    since = watermark()
    other = world.notes["hooli"]
    from crm_tui.domain.notes import update_note

    update_note(world.bob, other, note_input(other, status="Active"))
    error = refused(
        world.database,
        BulkConflict,
        lambda: bulk_edit(world.ana, ids, "status", "Done", since=since),
    )
    assert error.note_ids == [other] and error.marked == 3
    assert "1 of the 3 marked notes" in str(error)
    skipped = bulk_edit(world.ana, ids, "status", "Done", since=since, conflicts=SKIP)
    assert (skipped.changed, skipped.skipped) == (2, 1)
    assert status_of(other) == "Active"
    applied = bulk_edit(world.ana, ids, "status", "Client", since=since, conflicts=APPLY)
    assert applied.changed == 3
    assert status_of(other) == "Client"
    # per-note marks: hooli marked after bob's change is not a conflict
    marks = {ids[0]: since, other: watermark()}
    assert bulk_edit(world.ana, marks, "status", "Done", since=marks).changed == 2


def test_a_note_deleted_since_marked_is_left_out(world: CrmWorld) -> None:
    from crm_tui.domain.notes import delete_note

    ids = [world.notes["acme1"], world.notes["globex"]]
    since = watermark()
    delete_note(world.ana, world.notes["globex"])
    result = bulk_edit(world.ana, ids, "status", "Done", since=since)
    assert (result.changed, result.missing) == (1, 1)


def insert_many_notes(database: peewee.Database, world: CrmWorld, count: int) -> None:
    """``count`` plain notes in one statement (ids 1…count), half Prospect, half Client."""
    mark, modulo = ("?", "%") if is_sqlite(database) else ("%s", "%%")
    customer = Note.get_by_id(world.notes["acme1"]).customer_id
    at = dt.datetime(2020, 1, 1)
    database.execute_sql(
        "INSERT INTO note (id, customer_id, status_id, author_id, body, created_at,"
        " updated_at, version) WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL"
        f" SELECT x + 1 FROM seq WHERE x < {int(count)}) SELECT x, {mark},"
        f" CASE WHEN x {modulo} 2 = 0 THEN {mark} ELSE {mark} END,"
        f" {mark}, 'bulk', {mark}, {mark}, 1"
        " FROM seq",
        (
            customer,
            world.status_id("Prospect"),
            world.status_id("Client"),
            world.ana.id,
            at,
            at,
        ),
    )


@pytest.mark.slow  # large data: CI runs it once, in the SQLite pass
def test_a_hundred_thousand_notes_in_one_step(world: CrmWorld) -> None:
    # 100,000 on SQLite; on PostgreSQL (run by hand) 20,000: each updated note row
    # rewrites its nine indexes there, a second per ~10,000 notes on a busy CI box.
    count = 100_000 if is_sqlite(world.database) else 20_000
    insert_many_notes(world.database, world, count)
    query = NoteQuery(conditions=(Condition("created_at", "<", dt.date(2021, 1, 1)),))
    progress = Steps()
    result = bulk_edit(world.ana, query, "status", "Done", since=watermark(), progress=progress)
    assert result.changed == count
    done = world.status_id("Done")
    assert Note.select().where(Note.id <= count, Note.status == done).count() == count
    assert Note.select().where(Note.id <= count, Note.version == 2).count() == count
    assert Change.select().where(Change.batch == result.batch).count() == count
    assert progress.done >= count
    undo(world.ana)
    prospect, client = world.status_id("Prospect"), world.status_id("Client")
    assert Note.select().where(Note.id <= count, Note.status == prospect).count() == count // 2
    assert Note.select().where(Note.id <= count, Note.status == client).count() == count // 2
