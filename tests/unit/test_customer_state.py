"""Each customer's current state: kept by every note write, equal to a recomputation.

The kept tables (``customer_state``, ``customer_value``) are compared with what the notes
say, recomputed here in Python from the raw rows: after random creates, edits, deletions,
bulk edits, imports, stage moves, undos and redos (both engines), after the demo, and
after the migration's backfill.
"""

from __future__ import annotations

import random
from pathlib import Path

import peewee
import pytest

from crm_tui.db import customer_state, pipeline_reads
from crm_tui.db.models import Note, Option, database_proxy
from crm_tui.domain.bulk_edit import APPLY, bulk_edit
from crm_tui.domain.cockpit.pipeline import move_customer
from crm_tui.domain.errors import DomainError
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.notes import NoteInput, create_note, delete_note, update_note
from crm_tui.domain.settings import load_settings
from crm_tui.domain.undo import redo, undo
from crm_tui.records import Settings, UserInfo
from tests.ui.conftest import CrmWorld, build_world

VALUE_COLUMNS = customer_state.VALUE_COLUMNS
CUSTOMERS = ("Acme Corp", "Dubois SARL", "Globex", "Nouveau Client", "Zeta Farms", "Yoyodyne")
ZONES = {"EST": "America/Toronto", "CST": "America/Chicago", "PST": "America/Vancouver"}


def expected_tables(database: peewee.Database) -> tuple[list[tuple], list[tuple]]:
    """``customer_state`` and ``customer_value`` as the notes say they must be."""
    notes = database.execute_sql(
        "SELECT id, customer_id, status_id, assignee_id FROM note ORDER BY id"
    ).fetchall()
    values = database.execute_sql(
        f"SELECT note_id, variable_id, {', '.join(VALUE_COLUMNS)} FROM note_value"
    ).fetchall()
    customer_of = {note_id: customer_id for note_id, customer_id, _s, _a in notes}
    newest: dict[int, tuple] = {}
    status: dict[int, tuple[int, int]] = {}
    for note_id, customer_id, status_id, assignee_id in notes:  # ascending: last wins
        newest[customer_id] = (note_id, assignee_id)
        if status_id is not None:
            status[customer_id] = (status_id, note_id)
    newest_value: dict[tuple[int, int], tuple] = {}
    for note_id, variable_id, *cells in values:
        key = (customer_of[note_id], variable_id)
        if key not in newest_value or newest_value[key][0] < note_id:
            newest_value[key] = (note_id, *cells)
    zone = load_settings().time_zone_variable()
    states = []
    for customer_id, (note_id, assignee_id) in newest.items():
        status_id, status_note = status.get(customer_id, (None, None))
        zone_value = newest_value.get((customer_id, zone.id)) if zone else None
        zone_option = zone_value[-1] if zone_value else None
        zone_note = zone_value[0] if zone_value else None
        states.append(
            (customer_id, note_id, assignee_id, status_id, status_note, zone_option, zone_note)
        )
    value_rows = [
        (c, v, *rest, status.get(c, (None, None))[0]) for (c, v), rest in newest_value.items()
    ]
    return sorted(states), sorted(value_rows, key=repr)


def kept_tables(database: peewee.Database) -> tuple[list[tuple], list[tuple]]:
    """``customer_state`` and ``customer_value`` as kept."""
    states = database.execute_sql(
        f"SELECT {', '.join(customer_state.STATE_COLUMNS)} FROM customer_state"
    ).fetchall()
    values = database.execute_sql(
        f"SELECT customer_id, variable_id, note_id, {', '.join(VALUE_COLUMNS)}, status_id"
        " FROM customer_value"
    ).fetchall()
    return sorted(tuple(row) for row in states), sorted((tuple(row) for row in values), key=repr)


def expected_pipeline(database: peewee.Database) -> list[tuple]:
    """Each customer's close month and amount, from its newest values of the variables
    ``pipeline_kept`` names (``(customer, "YYYY-MM" or None, cents or None)``)."""
    close, amount = customer_state.pipeline_variables(database)
    rows = database.execute_sql(
        "SELECT n.customer_id, v.variable_id, v.note_id, v.value_date, v.value_cents"
        " FROM note n JOIN note_value v ON v.note_id = n.id ORDER BY v.note_id"
    ).fetchall()
    newest: dict[tuple[int, int], tuple] = {}
    for customer_id, variable_id, _note_id, day, cents in rows:  # ascending: last wins
        newest[(customer_id, variable_id)] = (day, cents)
    customers = database.execute_sql("SELECT DISTINCT customer_id FROM note").fetchall()
    expected = []
    for (customer_id,) in customers:
        day = newest.get((customer_id, close or 0), (None, None))[0]
        cents = newest.get((customer_id, amount or 0), (None, None))[1]
        expected.append((customer_id, None if day is None else str(day)[:7], cents))
    return sorted(expected, key=repr)


def kept_pipeline(database: peewee.Database) -> list[tuple]:
    rows = database.execute_sql(
        "SELECT customer_id, close_month, amount_cents FROM customer_state"
    ).fetchall()
    kept = [(c, None if m is None else str(m)[:7], a) for c, m, a in rows]
    assert all(m is None or str(m)[8:10] == "01" for _c, m, _a in rows)
    return sorted(kept, key=repr)


def assert_state_matches_notes(database: peewee.Database) -> None:
    expected_states, expected_values = expected_tables(database)
    states, values = kept_tables(database)
    assert states == expected_states
    assert values == expected_values
    assert customer_state.pipeline_variables(database) != (None, None)
    assert kept_pipeline(database) == expected_pipeline(database)


def give_zones(settings: Settings) -> None:
    """Zones on three of the four time-zone options (MST stays without one)."""
    variable = next(v for v in settings.variables if v.name == "Time zone")
    for option in variable.options:
        if option.name in ZONES:
            Option.update(time_zone=ZONES[option.name]).where(Option.id == option.id).execute()
    customer_state.sync_zones(database_proxy.obj)


@pytest.fixture
def world(database: peewee.Database) -> CrmWorld:
    built = build_world(database)
    give_zones(built.settings)
    return built


def test_the_fixed_notes_give_each_customer_its_newest_status_and_values(
    world: CrmWorld,
) -> None:
    assert_state_matches_notes(world.database)
    acme = world.database.execute_sql(
        "SELECT s.status_id, z.value_cents FROM customer_state s JOIN customer c"
        " ON c.id = s.customer_id LEFT JOIN customer_value z ON z.customer_id = s.customer_id"
        " AND z.variable_id = ? WHERE c.name = ?".replace("?", world.database.param),
        (next(v.id for v in world.settings.variables if v.name == "Deal value"), "Acme Corp"),
    ).fetchone()
    done = next(s.id for s in world.settings.statuses if s.name == "Done")
    # acme3 (newest, Done) and acme2 have no deal value: the amount is acme1's $1,500.00.
    assert tuple(acme) == (done, 150000)


def _random_input(rng: random.Random, settings: Settings) -> NoteInput:
    zone = next(v for v in settings.variables if v.name == "Time zone")
    return NoteInput(
        customer=rng.choice(CUSTOMERS),
        action=rng.choice(["", *[a.name for a in settings.actions]]),
        status=rng.choice(["", "", *[s.name for s in settings.statuses]]),
        assignee=rng.choice(["", "ana", "bob"]),
        body=f"note {rng.randrange(1000)}",
        values={
            "Time zone": rng.choice(["", "", *[o.name for o in zone.options]]),
            "Deal value": rng.choice(["", "", "10.50", "99", "1234.56"]),
            "Estimated close date": rng.choice(["", "2027-01-15", "2027-02-28"]),
        },
    )


def _existing(rng: random.Random) -> int | None:
    ids = [row[0] for row in Note.select(Note.id).tuples()]
    return rng.choice(ids) if ids else None


def _csv(tmp_path: Path, rng: random.Random, count: int) -> Path:
    path = tmp_path / f"import{rng.randrange(10**6)}.csv"
    lines = ["customer,action,status,assignee,follow_up,created_at,body,Deal value"]
    for number in range(count):
        status = rng.choice(["Prospect", "Client", ""])
        amount = rng.choice(["", "5.00", "700.25"])
        created = f"2026-11-{rng.randrange(1, 28):02d}T10:00:00"
        customer = rng.choice(CUSTOMERS)
        lines.append(f"{customer},Call,{status},ana,,{created},imported {number},{amount}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _step(rng: random.Random, world: CrmWorld, tmp_path: Path) -> str:
    actor: UserInfo = rng.choice([world.ana, world.ana, world.bob])
    settings = load_settings()
    kind = rng.choice(
        ["create", "create", "update", "delete", "undo", "undo", "redo", "bulk", "import", "move"]
    )
    note_id = _existing(rng)
    try:
        match kind:
            case "create":
                create_note(actor, _random_input(rng, settings))
            case "update" if note_id is not None:
                update_note(actor, note_id, _random_input(rng, settings))
            case "delete" if note_id is not None:
                delete_note(actor, note_id)
            case "undo":
                undo(actor)
            case "redo":
                redo(actor)
            case "bulk":
                ids = [row[0] for row in Note.select(Note.id).tuples()]
                chosen = rng.sample(ids, k=min(len(ids), rng.randrange(1, 6)))
                field, value = rng.choice(
                    [
                        ("status", rng.choice(["", "Client", "Prospect", "Done"])),
                        ("var:" + str(_variable_id(settings, "Deal value")), "42.00"),
                        ("var:" + str(_variable_id(settings, "Time zone")), "PST"),
                        ("var:" + str(_variable_id(settings, "Time zone")), ""),
                        ("assignee", "bob"),
                    ]
                )
                bulk_edit(actor, chosen, field, value, conflicts=APPLY)
            case "import":
                import_notes_csv(actor, _csv(tmp_path, rng, rng.randrange(1, 4)))
            case "move":
                cursor = world.database.execute_sql("SELECT customer_id FROM customer_state")
                states = [row[0] for row in cursor.fetchall()]
                if states:
                    target = rng.choice([s for s in settings.statuses if s.in_sequence])
                    move_customer(actor, rng.choice(states), target.id)
    except DomainError:  # nothing to undo, changed since, already at that status
        return f"{kind} refused"
    return kind


def _variable_id(settings: Settings, name: str) -> int:
    return next(v.id for v in settings.variables if v.name == name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_random_writes_the_kept_state_equals_a_recomputation(
    world: CrmWorld, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    done = []
    for _step_number in range(60):
        done.append(_step(rng, world, tmp_path))
        assert_state_matches_notes(world.database), done
    assert {"create", "update", "delete", "undo", "bulk", "import", "move"} <= set(done)


def test_deleting_a_customers_only_note_removes_its_state(world: CrmWorld) -> None:
    delete_note(world.ana, world.notes["initech"])
    rows = world.database.execute_sql(
        "SELECT COUNT(*) FROM customer_state s JOIN customer c ON c.id = s.customer_id"
        f" WHERE c.name = {world.database.param}",
        ("Initech",),
    ).fetchone()
    assert rows[0] == 0
    assert_state_matches_notes(world.database)
    undo(world.ana)
    assert_state_matches_notes(world.database)


def test_moving_a_note_to_another_customer_updates_both(world: CrmWorld) -> None:
    note_id = world.notes["acme3"]  # Acme's newest note, Done
    data = NoteInput(customer="Globex", action="Ship", status="Done", body="moved")
    update_note(world.ana, note_id, data)
    assert_state_matches_notes(world.database)
    status = {s.name: s.id for s in world.settings.statuses}
    ids = dict(world.database.execute_sql("SELECT name, id FROM customer").fetchall())
    assert pipeline_reads.current_status(world.database, ids["Acme Corp"]) == status["Client"]
    assert pipeline_reads.current_status(world.database, ids["Globex"]) == status["Done"]
    undo(world.ana)
    assert pipeline_reads.current_status(world.database, ids["Acme Corp"]) == status["Done"]
    assert pipeline_reads.current_status(world.database, ids["Globex"]) == status["On hold"]
    assert_state_matches_notes(world.database)


def test_a_new_time_zone_variable_resets_every_zone(world: CrmWorld) -> None:
    """Zones taken from every option: no customer has a zone any more; given back: again."""
    Option.update(time_zone=None).execute()
    customer_state.sync_zones(world.database)
    assert_state_matches_notes(world.database)
    zones = world.database.execute_sql(
        "SELECT COUNT(*) FROM customer_state WHERE zone_option_id IS NOT NULL"
    ).fetchone()[0]
    assert zones == 0
    give_zones(world.settings)
    assert_state_matches_notes(world.database)


def test_rebuild_all_gives_the_same_tables(world: CrmWorld) -> None:
    before = kept_tables(world.database)
    with world.database.atomic():
        customer_state.rebuild_all(world.database)
    assert kept_tables(world.database) == before


def test_the_demo_fills_the_state(database: peewee.Database) -> None:
    from crm_tui.domain.demo import build_demo
    from crm_tui.domain.users import create_user

    admin = create_user(None, "admin")
    build_demo(admin, notes=600, seed=3)
    assert_state_matches_notes(database)
    count = database.execute_sql("SELECT COUNT(*) FROM customer_state").fetchone()[0]
    assert (
        count == database.execute_sql("SELECT COUNT(DISTINCT customer_id) FROM note").fetchone()[0]
    )


def test_the_migration_fills_the_state_of_an_older_database(world: CrmWorld) -> None:
    """Migration 10 on a database that had notes before it: the same tables."""
    import importlib

    expected = kept_tables(world.database)
    migration = importlib.import_module("crm_tui.db.migrations.0010_customer_state")
    with world.database.atomic():
        migration.down(None, world.database)
        migration.up(None, world.database)
    assert kept_tables(world.database) == expected


def test_migration_12_keeps_each_customers_close_month_and_amount(world: CrmWorld) -> None:
    """Migration 12 on a database that had notes before it: the close month and amount of
    the pipeline's default variables beside each customer's status."""
    import importlib

    from playhouse.migrations import SchemaMigrator

    from crm_tui.domain.cockpit.pipeline import default_variables

    migration = importlib.import_module("crm_tui.db.migrations.0012_pipeline_months")
    with world.database.atomic():
        migration.down(SchemaMigrator.from_database(world.database), world.database)
        migration.up(SchemaMigrator.from_database(world.database), world.database)
    assert customer_state.pipeline_variables(world.database) == default_variables()
    assert kept_pipeline(world.database) == expected_pipeline(world.database)
    assert any(month for _c, month, _a in kept_pipeline(world.database))


def test_zones_given_in_settings_reach_every_customer_in_the_same_write(
    database: peewee.Database,
) -> None:
    """An admin gives the time-zone options their zones (Settings, not a note): customers
    whose notes already name an option get that zone at once, with no new note."""
    from crm_tui.domain.settings_badges import update_badge

    built = build_world(database)  # notes carry Time zone values, no option has a zone yet
    assert (
        database.execute_sql(
            "SELECT COUNT(*) FROM customer_state WHERE zone_option_id IS NOT NULL"
        ).fetchone()[0]
        == 0
    )
    variable = next(v for v in built.settings.variables if v.name == "Time zone")
    est = next(o for o in variable.options if o.name == "EST")
    update_badge(built.ana, "option", est.id, time_zone="America/Toronto")
    assert (
        database.execute_sql(
            "SELECT COUNT(*) FROM customer_state WHERE zone_option_id IS NOT NULL"
        ).fetchone()[0]
        > 0
    )
    assert_state_matches_notes(database)
