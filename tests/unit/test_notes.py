"""Notes: typed values, refusals that change nothing, edits, deletes, search and ids."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, dump_tables, found, refused

from crm_tui.db.database import is_sqlite
from crm_tui.db.locks import NOTE_WRITE_LOCK_KEY
from crm_tui.db.models import Customer, Note, NoteValue
from crm_tui.domain import history, notes, settings, users
from crm_tui.domain.errors import ConflictError, NotFound, ValidationError
from crm_tui.domain.ids import created_second_of, second_of
from crm_tui.domain.notes import NoteInput, create_note, delete_note, get_note, update_note
from crm_tui.records import UserInfo

TODAY = dt.date(2026, 1, 30)
AT = dt.datetime(2026, 1, 30, 9, 15, 0)


@dataclass
class World:
    """A team, the starter settings and one variable of each type."""

    admin: UserInfo
    rep: UserInfo
    amount: int
    score: int
    close: int
    zone: int
    memo: int


def _options(*names: str) -> list[dict[str, object]]:
    return [
        {"name": n, "abbreviation": n[0], "font_color": "#000", "background_color": "#FFF"}
        for n in names
    ]


@pytest.fixture
def world(database: peewee.Database) -> World:
    """Ana (admin), Rob (rep), starter statuses/actions and five variables."""
    admin = users.create_user(None, "Ana")
    rep = users.create_user(admin, "Rob", role="rep")
    settings.ensure_starter_settings()
    make = settings.create_variable
    return World(
        admin=admin,
        rep=rep,
        amount=make(admin, name="Amount", type="currency").id,
        score=make(admin, name="Score", type="number").id,
        close=make(admin, name="Close date", type="date").id,
        zone=make(admin, name="Time zone", type="dropdown", options=_options("EST", "PST")).id,
        memo=make(admin, name="Memo", type="text").id,
    )


def stored_value(note_id: int, variable_id: int) -> tuple[object, ...] | None:
    """The typed columns of one stored value, or ``None``."""
    row = NoteValue.get_or_none((NoteValue.note == note_id) & (NoteValue.variable == variable_id))
    if row is None:
        return None
    return (
        row.value_text,
        row.value_key,
        row.value_num,
        row.value_cents,
        row.value_date,
        row.option_id,
    )


def option_id(variable_id: int, name: str) -> int:
    """The id of a dropdown option by name."""
    variable = settings.load_settings().variable(variable_id)
    return next(o.id for o in variable.options if o.name == name)


# --- create ------------------------------------------------------------------------


def test_a_note_is_saved_with_every_field(database: peewee.Database, world: World) -> None:
    note_id = create_note(
        world.admin,
        NoteInput(
            customer="  Acme   Corp ",
            action="call",
            status="PRO",
            assignee="rob",
            follow_up="2026-02-01",
            body="Call back about the sample.  \n",
            values={
                "Amount": "1234.50",
                "score": "7.5",
                "CLOSE DATE": "2026-03-31",
                "Time zone": "pst",
                "Memo": "  Prefers  mornings ",
            },
        ),
        created_at=AT,
    )
    row = Note.get_by_id(note_id)
    loaded = settings.load_settings()
    assert row.customer.name == "Acme Corp"
    assert loaded.action(row.action_id).name == "Call"
    assert loaded.status(row.status_id).name == "Prospect"
    assert (row.assignee_id, row.author_id) == (world.rep.id, world.admin.id)
    assert (row.follow_up, row.body) == (dt.date(2026, 2, 1), "Call back about the sample.")
    assert (row.created_at, row.updated_at, row.version) == (AT, AT, 1)
    assert stored_value(note_id, world.amount) == (None, None, None, 123450, None, None)
    assert stored_value(note_id, world.score) == (None, None, 7.5, None, None, None)
    assert stored_value(note_id, world.close) == (
        None,
        None,
        None,
        None,
        dt.date(2026, 3, 31),
        None,
    )
    assert stored_value(note_id, world.zone) == (
        None,
        None,
        None,
        None,
        None,
        option_id(world.zone, "PST"),
    )
    assert stored_value(note_id, world.memo) == (
        "Prefers  mornings",
        "prefers mornings",
        None,
        None,
        None,
        None,
    )
    detail = get_note(note_id)
    assert (detail.customer, detail.assignee, detail.author) == ("Acme Corp", "Rob", "Ana")
    assert {loaded.variable(v).name: value.text for v, value in detail.values.items()} == {
        "Amount": "1234.50",
        "Score": "7.5",
        "Close date": "2026-03-31",
        "Time zone": "PST",
        "Memo": "Prefers  mornings",
    }


def test_a_note_for_an_existing_customer_reuses_it(world: World) -> None:
    first = create_note(world.admin, NoteInput(customer="Émile Dubois"))
    second = create_note(world.rep, NoteInput(customer="  EMILE   dubois "))
    assert Note.get_by_id(first).customer_id == Note.get_by_id(second).customer_id
    assert [c.name for c in Customer.select()] == ["Émile Dubois"]
    assert Note.get_by_id(second).author_id == world.rep.id


def test_blank_values_are_not_stored(world: World) -> None:
    note_id = create_note(
        world.admin, NoteInput(customer="Acme", values={"Amount": "  ", "Time zone": ""})
    )
    assert NoteValue.select().where(NoteValue.note == note_id).count() == 0
    row = Note.get_by_id(note_id)
    assert (row.action_id, row.status_id, row.assignee_id, row.follow_up) == (None,) * 4


# --- currency, numbers, dates: stored exactly or refused ---------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.5", 1250),
        ("1234.50", 123450),
        ("-3", -300),
        ("0.1", 10),
        ("92233720368547758.07", 2**63 - 1),
    ],
)
def test_currency_is_stored_in_exact_cents(world: World, typed: str, cents: int) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", values={"Amount": typed}))
    assert stored_value(note_id, world.amount)[3] == cents
    assert NoteValue.get(NoteValue.note == note_id).value_cents == cents


AMOUNTS_UP_TO = " (amounts up to ±92233720368547758.07)"

REFUSED_VALUES = [
    ("Amount", "12.345", "'12.345' has more than 2 decimals"),
    ("Amount", "1,5", "'1,5' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Amount", "abc", "'abc' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Amount", "1e3", "'1e3' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Amount", "NaN", "'NaN' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Amount", "1_000", "'1_000' is not an amount (digits, a dot, at most 2 decimals)"),
    (
        "Amount",
        "99999999999999999999",
        "'99999999999999999999' is too large" + AMOUNTS_UP_TO,
    ),
    ("Score", "NaN", "'NaN' is not a number"),
    ("Score", "inf", "'inf' is not a number"),
    ("Score", "1e999", "'1e999' is too large (numbers up to ±1.8e308)"),
    ("Close date", "2026-02-30", "'2026-02-30' is not a real date"),
    ("Close date", "2026-13-01", "'2026-13-01' is not a real date"),
    ("Close date", "26-01-01", "'26-01-01' is not a date (YYYY-MM-DD)"),
    ("Close date", "20260101", "'20260101' is not a date (YYYY-MM-DD)"),
    ("Time zone", "CST", "'CST' is not one of: EST, PST"),
]


@pytest.mark.parametrize(("variable", "typed", "problem"), REFUSED_VALUES)
def test_a_bad_value_refuses_the_note_and_writes_nothing(
    database: peewee.Database, world: World, variable: str, typed: str, problem: str
) -> None:
    data = NoteInput(customer="Brand New Customer", status="Prospect", values={variable: typed})
    error = refused(database, ValidationError, lambda: create_note(world.admin, data))
    assert (error.field, error.problem) == (variable, problem)
    assert notes_customers() == []


def notes_customers() -> list[str]:
    """The names of all customers."""
    return [c.name for c in Customer.select().order_by(Customer.name_key)]


@pytest.mark.parametrize(("variable", "typed", "problem"), REFUSED_VALUES)
def test_a_bad_value_refuses_the_edit_and_writes_nothing(
    database: peewee.Database, world: World, variable: str, typed: str, problem: str
) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", values={"Amount": "5"}))
    data = NoteInput(customer="Globex", values={variable: typed})
    error = refused(database, ValidationError, lambda: update_note(world.admin, note_id, data))
    assert (error.field, error.problem) == (variable, problem)
    assert notes_customers() == ["Acme"]


def test_numbers_accept_exponents(world: World) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", values={"Score": "1e3"}))
    assert stored_value(note_id, world.score)[2] == 1000.0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", TODAY),
        ("Tomorrow", TODAY + dt.timedelta(days=1)),
        ("+3d", dt.date(2026, 2, 2)),
        ("+2w", dt.date(2026, 2, 13)),
        ("2026-06-01", dt.date(2026, 6, 1)),
    ],
)
def test_follow_up_shortcuts(world: World, typed: str, expected: dt.date) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", follow_up=typed), today=TODAY)
    assert Note.get_by_id(note_id).follow_up == expected


@pytest.mark.parametrize(
    ("typed", "today", "problem"),
    [
        ("tomorrow", None, "'tomorrow' is not a date (YYYY-MM-DD)"),
        ("+3d", None, "'+3d' is not a date (YYYY-MM-DD)"),
        ("+99999999d", TODAY, "'+99999999d' is too far in the future"),
        ("2026-02-30", TODAY, "'2026-02-30' is not a real date"),
    ],
)
def test_bad_follow_ups_are_refused(
    database: peewee.Database, world: World, typed: str, today: dt.date | None, problem: str
) -> None:
    data = NoteInput(customer="Acme", follow_up=typed)
    error = refused(database, ValidationError, lambda: create_note(world.admin, data, today=today))
    assert (error.field, error.problem) == ("follow-up", problem)


# --- names and abbreviations -------------------------------------------------------


@pytest.mark.parametrize("typed", ["PST", "pst", "P", "p", " Pst "])
def test_dropdown_values_by_name_or_abbreviation_any_case(world: World, typed: str) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", values={"Time zone": typed}))
    assert stored_value(note_id, world.zone)[5] == option_id(world.zone, "PST")


@pytest.mark.parametrize(
    ("status", "action"),
    [("Awaiting approval", "Send sample"), ("awa", "smpl"), ("AWAITING APPROVAL", "SEND SAMPLE")],
)
def test_status_and_action_by_name_or_abbreviation(world: World, status: str, action: str) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", status=status, action=action))
    row = Note.get_by_id(note_id)
    loaded = settings.load_settings()
    assert (loaded.status(row.status_id).name, loaded.action(row.action_id).name) == (
        "Awaiting approval",
        "Send sample",
    )


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        (
            NoteInput(customer="New Co", status="Lost"),
            "status",
            "'Lost' is not one of: Active, Awaiting approval, Client, Done, Inactive, "
            "No answer, On hold, Prospect",
        ),
        (
            NoteInput(customer="New Co", action="Visit"),
            "action",
            "'Visit' is not one of: Call, E-mail, Fax, Order follow-up, Send sample, Ship",
        ),
        (NoteInput(customer="New Co", assignee="Zoe"), "assignee", "no user named 'Zoe'"),
        (
            NoteInput(customer="New Co", values={"Colour": "red"}),
            "Colour",
            "no variable with this name",
        ),
        (NoteInput(customer="   "), "customer", "a customer name is required"),
    ],
)
def test_unknown_names_are_refused(
    database: peewee.Database, world: World, data: NoteInput, field: str, problem: str
) -> None:
    error = refused(database, ValidationError, lambda: create_note(world.admin, data))
    assert (error.field, error.problem) == (field, problem)


def test_archived_items_are_not_offered_as_choices(database: peewee.Database, world: World) -> None:
    est = option_id(world.zone, "EST")
    settings.set_badge_archived(world.admin, "option", est, True)
    data = NoteInput(customer="Acme", values={"Time zone": "CST"})
    error = refused(database, ValidationError, lambda: create_note(world.admin, data))
    assert error.problem == "'CST' is not one of: PST"


# --- edit and delete ---------------------------------------------------------------


def _acme_note(world: World) -> int:
    return create_note(
        world.admin,
        NoteInput(
            customer="Acme",
            status="Prospect",
            action="Call",
            body="first call",
            values={"Amount": "12.50", "Time zone": "EST"},
        ),
        created_at=AT,
    )


def test_an_edit_saves_and_writes_history(world: World) -> None:
    note_id = _acme_note(world)
    version = update_note(
        world.rep,
        note_id,
        NoteInput(
            customer="Acme",
            status="Client",
            action="Call",
            assignee="Ana",
            follow_up="+1w",
            body="signed",
            values={"Amount": "13", "Time zone": "EST", "Memo": "vip"},
        ),
        expected_version=1,
        today=TODAY,
    )
    assert version == 2
    row = Note.get_by_id(note_id)
    assert (row.version, row.body, row.follow_up, row.assignee_id) == (
        2,
        "signed",
        dt.date(2026, 2, 6),
        world.admin.id,
    )
    assert row.created_at == AT
    assert abs(row.updated_at - dt.datetime.now()) < dt.timedelta(minutes=5)
    assert stored_value(note_id, world.amount)[3] == 1300
    lines = [(c.user, c.field, c.old, c.new) for c in reversed(history.history_of("note", note_id))]
    assert lines == [
        ("Ana", "created", None, "Acme"),
        ("Rob", "status", "Prospect", "Client"),
        ("Rob", "assignee", None, "Ana"),
        ("Rob", "follow_up", None, "2026-02-06"),
        ("Rob", "body", "first call", "signed"),
        ("Rob", "Amount", "12.50", "13.00"),
        ("Rob", "Memo", None, "vip"),
    ]
    edit = [c for c in history.history_of("note", note_id) if c.field != "created"]
    assert len({c.batch for c in edit}) == 1


def test_an_edit_that_changes_nothing_keeps_the_version(
    database: peewee.Database, world: World
) -> None:
    note_id = _acme_note(world)
    before = dump_tables(database)
    same = NoteInput(
        customer="ACME",
        status="pro",
        action="CALL",
        body="first call",
        values={"Amount": "12.5", "Time zone": "e"},
    )
    assert update_note(world.admin, note_id, same) == 1
    assert dump_tables(database) == before


def test_an_edit_can_remove_values(world: World) -> None:
    note_id = _acme_note(world)
    update_note(world.admin, note_id, NoteInput(customer="Acme", body="first call"))
    assert NoteValue.select().where(NoteValue.note == note_id).count() == 0
    assert Note.get_by_id(note_id).status_id is None


def test_an_edit_keeps_values_of_archived_variables(world: World) -> None:
    note_id = _acme_note(world)
    settings.set_variable_archived(world.admin, world.amount, True)
    update_note(world.admin, note_id, NoteInput(customer="Acme", body="edited"))
    assert stored_value(note_id, world.amount)[3] == 1250


def test_an_edit_can_move_a_note_to_a_new_customer(world: World) -> None:
    note_id = _acme_note(world)
    update_note(world.admin, note_id, NoteInput(customer="Globex", body="first call"))
    assert Note.get_by_id(note_id).customer.name == "Globex"
    assert notes_customers() == ["Acme", "Globex"]
    oldest_first = list(reversed(history.history_of("note", note_id)))
    assert [c.field for c in oldest_first[:2]] == ["created", "customer"]


def test_a_stale_edit_is_a_conflict(database: peewee.Database, world: World) -> None:
    note_id = _acme_note(world)
    update_note(world.rep, note_id, NoteInput(customer="Acme", body="Rob was here"))
    data = NoteInput(customer="New Co", body="Ana's older copy")
    error = refused(
        database,
        ConflictError,
        lambda: update_note(world.admin, note_id, data, expected_version=1),
    )
    assert str(error) == f"note #{note_id} was changed by someone else since you opened it"
    assert error.current_version == 2
    refused(database, ConflictError, lambda: delete_note(world.admin, note_id, expected_version=1))


def test_delete_removes_the_note_and_keeps_a_history_line(world: World) -> None:
    note_id = _acme_note(world)
    delete_note(world.rep, note_id, expected_version=1)
    assert Note.get_or_none(Note.id == note_id) is None
    assert NoteValue.select().where(NoteValue.note == note_id).count() == 0
    (line,) = history.history_of("note", note_id)[:1]
    assert (line.user, line.field, line.old, line.new) == (
        "Rob",
        "deleted",
        None,
        "Acme: first call",
    )
    with pytest.raises(NotFound, match=f"note #{note_id} does not exist"):
        get_note(note_id)
    assert notes_customers() == ["Acme"]


def test_editing_or_deleting_a_deleted_note_is_not_found(
    database: peewee.Database, world: World
) -> None:
    note_id = _acme_note(world)
    delete_note(world.admin, note_id)
    refused(database, NotFound, lambda: delete_note(world.admin, note_id))
    refused(database, NotFound, lambda: update_note(world.admin, note_id, NoteInput("Acme")))


# --- full-text search ----------------------------------------------------------------


def test_the_search_index_follows_notes(database: peewee.Database, world: World) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", body="Zebra crossing"))
    other = create_note(world.admin, NoteInput(customer="Émile Dubois", body="zebra stripes"))
    assert found(database, "zebra") == [note_id, other]
    assert found(database, "acme") == [note_id]
    assert found(database, "emile") == [other]
    assert_index_matches_notes(database)

    update_note(world.admin, note_id, NoteInput(customer="Acme", body="giraffe neck"))
    assert found(database, "zebra") == [other]
    assert found(database, "giraffe") == [note_id]
    assert_index_matches_notes(database)

    update_note(world.admin, note_id, NoteInput(customer="Globex", body="giraffe neck"))
    assert found(database, "acme") == []
    assert found(database, "globex") == [note_id]
    assert_index_matches_notes(database)

    delete_note(world.admin, note_id)
    assert found(database, "giraffe") == []
    assert found(database, "globex") == []
    assert_index_matches_notes(database)


def test_sqlite_fts_finds_new_notes_only_until_edited_or_deleted(
    sqlite_database: peewee.Database,
) -> None:
    admin = users.create_user(None, "Ana")
    note_id = create_note(admin, NoteInput(customer="Acme", body="aardvark"))
    query = "SELECT rowid FROM note_fts WHERE note_fts MATCH 'aardvark'"
    assert [r[0] for r in sqlite_database.execute_sql(query)] == [note_id]
    update_note(admin, note_id, NoteInput(customer="Acme", body="okapi"))
    assert list(sqlite_database.execute_sql(query)) == []
    update_note(admin, note_id, NoteInput(customer="Acme", body="aardvark again"))
    assert [r[0] for r in sqlite_database.execute_sql(query)] == [note_id]
    delete_note(admin, note_id)
    assert list(sqlite_database.execute_sql(query)) == []
    assert_index_matches_notes(sqlite_database)


def test_many_notes_at_once_are_indexed(database: peewee.Database, world: World) -> None:
    prepared = [
        (
            notes.prepare_note(
                NoteInput(customer=f"Customer {i % 7}", body=f"bulk word{i}"), notes.Resolver.load()
            ),
            AT + dt.timedelta(seconds=i),
        )
        for i in range(250)
    ]
    with database.atomic():
        ids = notes.insert_prepared(prepared, world.admin.id)
    assert len(ids) == 250
    assert found(database, "bulk") == sorted(ids)
    assert found(database, "word249") == [ids[249]]
    assert_index_matches_notes(database)


# --- time-ordered ids --------------------------------------------------------------


def test_newer_notes_have_larger_ids(world: World) -> None:
    later = create_note(world.admin, NoteInput("Acme"), created_at=AT + dt.timedelta(seconds=1))
    earlier = create_note(world.admin, NoteInput("Acme"), created_at=AT)
    much_later = create_note(world.admin, NoteInput("Acme"), created_at=AT + dt.timedelta(days=1))
    assert earlier < later < much_later
    assert created_second_of(earlier) == second_of(AT)


def test_notes_of_the_same_second_get_distinct_increasing_ids(world: World) -> None:
    ids = [create_note(world.admin, NoteInput("Acme"), created_at=AT) for _ in range(5)]
    ids.append(create_note(world.admin, NoteInput("Acme"), created_at=AT.replace(microsecond=999)))
    assert ids == sorted(set(ids))
    assert {created_second_of(i) for i in ids} == {second_of(AT)}
    newer = create_note(world.admin, NoteInput("Acme"), created_at=AT + dt.timedelta(seconds=1))
    assert newer > max(ids)


OTHER_WRITER = """
import sys
import datetime as dt
from crm_tui.db.database import connect
from crm_tui.domain import notes, users

db = connect(sys.argv[1])
actor = users.find_user("Rob")
operation, note_id = sys.argv[2], int(sys.argv[3])
with db.atomic():
    if operation == "create":
        at = dt.datetime(2026, 1, 30, 9, 15)
        result = notes.create_note(actor, notes.NoteInput("Acme"), created_at=at)
    elif operation == "update":
        data = notes.NoteInput("Acme", body="theirs")
        result = notes.update_note(actor, note_id, data, expected_version=1)
    else:
        result = notes.delete_note(actor, note_id, expected_version=1)
    print(result, flush=True)
    sys.stdin.readline()
print("committed", flush=True)
"""


def _assert_note_writes_are_locked(database: peewee.Database) -> None:
    """Another connection cannot start writing notes right now."""
    if is_sqlite(database):
        database.execute_sql("PRAGMA busy_timeout = 0")
        try:
            with pytest.raises(peewee.OperationalError, match="locked"):
                database.execute_sql("BEGIN IMMEDIATE")
        finally:
            database.execute_sql("PRAGMA busy_timeout = 10000")
    else:
        free = database.execute_sql(
            "SELECT pg_try_advisory_lock(%s)", (NOTE_WRITE_LOCK_KEY,)
        ).fetchone()[0]
        assert free is False


@pytest.mark.parametrize("operation", ["create", "update", "delete"])
def test_a_note_write_in_progress_holds_off_other_note_writers(
    database: peewee.Database, world: World, operation: str
) -> None:
    """Another process writes a note and waits before committing; ours must wait for it.

    Without that, two writers could pick the same note id, or both pass the version
    check of one note and silently overwrite each other.
    """
    note_id = create_note(world.admin, NoteInput("Acme"), created_at=AT - dt.timedelta(days=1))
    target = database.database if is_sqlite(database) else os.environ["CRM_TEST_DATABASE_URL"]
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_WRITER, target, operation, str(note_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        result = other.stdout.readline().strip()
        assert result, "the other writer failed"
        _assert_note_writes_are_locked(database)
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "committed"
    finally:
        other.stdin.close()
        other.wait(timeout=30)
    if operation == "create":
        assert create_note(world.admin, NoteInput("Acme"), created_at=AT) == int(result) + 1
    elif operation == "update":
        with pytest.raises(ConflictError):
            update_note(world.admin, note_id, NoteInput("Acme"), expected_version=1)
    else:
        with pytest.raises(NotFound):
            update_note(world.admin, note_id, NoteInput("Acme"), expected_version=1)
