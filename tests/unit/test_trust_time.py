"""Real time (issue 10, case 7): stored in UTC, shown in the viewer's zone, on both engines.

Writers in different zones share one database (``CRM_TEST_DATABASE_URL`` for PostgreSQL);
migration 0005 converts a database written with local times.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import peewee
import pytest

from crm_tui import clock
from crm_tui.db.database import connect, open_postgres, open_sqlite
from crm_tui.db.schema import schema_runner, take_notices
from crm_tui.domain.exchange.export import build_query, export_notes
from crm_tui.domain.history import history_of
from crm_tui.domain.ids import SEQUENCE_BITS
from crm_tui.domain.notes import get_note
from crm_tui.domain.settings import ensure_starter_settings, load_settings
from crm_tui.domain.users import create_user
from crm_tui.domain.values import format_timestamp, parse_timestamp
from tests.conftest import POSTGRES_URL, reset_postgres

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["customer", "action", "status", "created_at", "body"]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch):
    """Set the zone of this process: ``zone("Europe/Paris")``."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    return set_zone


def target_of(tmp_path: Path) -> str:
    return POSTGRES_URL or str(tmp_path / "test.sqlite3")


def cli(target: str, tz: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``crm-tui --db TARGET --user ana ARGS…`` run in the zone ``tz``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TZ": tz}
    env.pop("CRM_TUI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "crm_tui", "--db", target, "--user", "ana", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def scalar(database: peewee.Database, sql: str, *params: object):
    return database.execute_sql(sql.replace("?", database.param), params).fetchone()[0]


def query(settings, **options):
    return build_query(settings, today=dt.date(2026, 11, 3), **options)


def as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


# --- writers in two zones -----------------------------------------------------------------


def test_notes_written_in_two_zones_are_listed_newest_first_in_real_order(
    database: peewee.Database, tmp_path: Path
) -> None:
    """Auckland (UTC+13) writes first, Vancouver (UTC-8) after: Vancouver's note is newer."""
    create_user(None, "ana")
    ensure_starter_settings()
    target = target_of(tmp_path)
    first = write_csv(tmp_path / "nz.csv", [["Kiwi Ltd", "Call", "Prospect", "", "from Auckland"]])
    later = write_csv(tmp_path / "ca.csv", [["Maple Co", "Call", "Prospect", "", "from Vancouver"]])
    before = clock.utc_now()
    assert cli(target, "Pacific/Auckland", "import", "notes", str(first)).returncode == 0
    assert cli(target, "America/Vancouver", "import", "notes", str(later)).returncode == 0
    after = clock.utc_now()

    result = cli(target, "Europe/Paris", "export", "notes")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["body"] for row in rows] == ["from Vancouver", "from Auckland"]
    paris = ZoneInfo("Europe/Paris")
    for row in rows:  # the exporter's local time, as the file format has it
        local = dt.datetime.fromisoformat(row["created_at"])
        assert local.tzinfo is None
        stamp = local.replace(tzinfo=paris).astimezone(dt.UTC)
        assert before <= stamp.replace(tzinfo=None) <= after

    for note_id, created in database.execute_sql("SELECT id, created_at FROM note").fetchall():
        stamp = as_datetime(created)
        assert before <= stamp <= after  # UTC, whatever the writer's zone
        assert note_id >> SEQUENCE_BITS == calendar.timegm(stamp.timetuple())


def test_imported_times_with_and_without_an_offset(
    database: peewee.Database, tmp_path: Path
) -> None:
    """An offset is converted; no offset is the importer's local time."""
    create_user(None, "ana")
    ensure_starter_settings()
    target = target_of(tmp_path)
    source = write_csv(
        tmp_path / "times.csv",
        [
            ["A", "Call", "Prospect", "2026-11-02T09:30:00-05:00", "with offset"],
            ["B", "Call", "Prospect", "2026-11-02T09:30:00", "local, Auckland"],
            ["C", "Call", "Prospect", "2026-07-02T09:30:00", "local, Auckland winter"],
        ],
    )
    result = cli(target, "Pacific/Auckland", "import", "notes", str(source))
    assert result.returncode == 0, result.stderr
    stored = {
        body: as_datetime(created)
        for body, created in database.execute_sql("SELECT body, created_at FROM note").fetchall()
    }
    assert stored == {
        "with offset": dt.datetime(2026, 11, 2, 14, 30),
        "local, Auckland": dt.datetime(2026, 11, 1, 20, 30),  # NZDT, UTC+13
        "local, Auckland winter": dt.datetime(2026, 7, 1, 21, 30),  # NZST, UTC+12
    }
    # Exported in Vancouver (PST, UTC-8), read back anywhere as the same instants.
    exported = cli(target, "America/Vancouver", "export", "notes", "--where", "customer=A")
    row = next(csv.DictReader(io.StringIO(exported.stdout)))
    assert row["created_at"] == "2026-11-02T06:30:00"  # PST


def test_export_writes_local_time_and_import_reads_it_back(zone) -> None:
    zone("Europe/Paris")
    stored = dt.datetime(2026, 7, 14, 10, 0)  # UTC
    assert format_timestamp(stored) == "2026-07-14T12:00:00"
    assert parse_timestamp("2026-07-14T12:00:00", "created_at") == stored
    zone("America/Halifax")
    assert parse_timestamp("2026-07-14T12:00:00+02:00", "created_at") == stored
    assert parse_timestamp("2026-07-14T07:00:00", "created_at") == stored  # ADT, UTC-3
    assert parse_timestamp("2026-07-14", "created_at") == dt.datetime(2026, 7, 14, 3, 0)


def test_a_timestamp_beyond_the_calendar_in_utc_is_refused_clearly(zone) -> None:
    from crm_tui.domain.errors import ValidationError

    zone("Pacific/Auckland")
    with pytest.raises(ValidationError) as error:
        parse_timestamp("0001-01-01T00:00:00", "created_at")
    assert error.value.field == "created_at"


def test_a_day_filter_on_created_means_the_viewers_day(database, zone) -> None:
    """``created_at=DAY`` is midnight to midnight where the viewer is."""
    from crm_tui.domain.notes import NoteInput, create_note

    ana = create_user(None, "ana")
    ensure_starter_settings()
    late_evening = dt.datetime(2026, 11, 2, 23, 30)  # UTC: 3 Nov 00:30 in Paris
    create_note(ana, NoteInput("Acme", body="late"), created_at=late_evening)
    zone("Europe/Paris")
    settings = load_settings()
    out = io.StringIO()
    export_notes(out, settings, query(settings, where=["created=2026-11-03"]))
    assert "late" in out.getvalue()
    out = io.StringIO()
    export_notes(out, settings, query(settings, where=["created=2026-11-02"]))
    assert "late" not in out.getvalue()


def test_stored_times_are_shown_in_the_viewers_zone(zone) -> None:
    from crm_tui.ui.screens.note_view import _stamp

    zone("America/Vancouver")
    assert _stamp(dt.datetime(2026, 11, 2, 17, 5)).plain == "2026-11-02 09:05"
    zone("Asia/Kolkata")
    assert _stamp(dt.datetime(2026, 11, 2, 17, 5)).plain == "2026-11-02 22:35"


# --- migration 0005 -------------------------------------------------------------------------

WINTER = dt.datetime(2026, 1, 15, 9, 30, 0)  # Paris local, UTC+1
SUMMER = dt.datetime(2026, 7, 15, 9, 30, 0)  # Paris local, UTC+2


def schema_4_database(tmp_path: Path) -> tuple[str, peewee.Database]:
    """A database at schema 4 (before UTC), on the engine of the run."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        db = open_postgres(POSTGRES_URL)
        target = POSTGRES_URL
    else:
        target = str(tmp_path / "old.sqlite3")
        db = open_sqlite(target)
    with db.atomic():
        schema_runner(db).up(target="0004_search_terms")
    return target, db


def local_id(local: dt.datetime, sequence: int) -> int:
    """A note id as schema 4 made it: the local second read as UTC."""
    return (calendar.timegm(local.timetuple()) << SEQUENCE_BITS) + sequence


def fill_with_local_times(db: peewee.Database) -> dict[str, int]:
    """Two notes (winter, summer), a value, history and a deleted note, in Paris local time."""
    sqlite = isinstance(db, peewee.SqliteDatabase)
    p = db.param

    def run(sql: str, *params: object) -> None:
        db.execute_sql(sql.replace("?", p), params)

    def stamp(value: dt.datetime) -> object:
        return value.isoformat(sep=" ") if sqlite else value

    ids = {"winter": local_id(WINTER, 0), "summer": local_id(SUMMER, 3)}
    with db.atomic():
        run(
            'INSERT INTO "user" (name, name_key, role, active, created_at) VALUES (?,?,?,?,?)',
            "ana", "ana", "admin", True, stamp(WINTER),
        )  # fmt: skip
        run(
            "INSERT INTO customer (name, name_key, email, phone, created_at) VALUES (?,?,?,?,?)",
            "Acme", "acme", "", "", stamp(WINTER),
        )  # fmt: skip
        run(
            "INSERT INTO variable (name, name_key, type, position, archived) VALUES (?,?,?,?,?)",
            "Segment", "segment", "text", 0, False,
        )  # fmt: skip
        for season, local in (("winter", WINTER), ("summer", SUMMER)):
            run(
                "INSERT INTO note (id, customer_id, author_id, body, created_at, updated_at,"
                " version) VALUES (?, 1, 1, ?, ?, ?, 1)",
                ids[season], f"{season} zebra", stamp(local), stamp(local),
            )  # fmt: skip
            run(
                "INSERT INTO note_value (note_id, variable_id, value_text, value_key)"
                " VALUES (?, 1, ?, ?)",
                ids[season], season, season,
            )  # fmt: skip
            run(
                'INSERT INTO "change" (at, user_id, batch, entity, entity_id, field, old, new)'
                " VALUES (?, 1, 1, 'note', ?, 'created', NULL, 'Acme')",
                stamp(local), ids[season],
            )  # fmt: skip
            if sqlite:
                run(
                    "INSERT INTO note_fts (rowid, body, customer) VALUES (?, ?, 'Acme')",
                    ids[season], f"{season} zebra",
                )  # fmt: skip
            else:
                run(
                    "INSERT INTO note_search (note_id, document)"
                    " VALUES (?, to_tsvector('simple', ?))",
                    ids[season], f"{season} zebra acme",
                )  # fmt: skip
        deleted = local_id(SUMMER, 7)
        ids["deleted"] = deleted
        for field, old in (("created_at", SUMMER.isoformat()), ("deleted", None)):
            run(
                'INSERT INTO "change" (at, user_id, batch, entity, entity_id, field, old, new)'
                " VALUES (?, 1, 2, 'note', ?, ?, ?, NULL)",
                stamp(SUMMER), deleted, field, old,
            )  # fmt: skip
    return ids


def test_migration_converts_a_database_of_local_times_to_utc(
    tmp_path: Path, zone, capsys: pytest.CaptureFixture[str]
) -> None:
    target, old = schema_4_database(tmp_path)
    ids = fill_with_local_times(old)
    old.close()
    take_notices()

    zone("Europe/Paris")
    db = connect(target)
    try:
        assert take_notices() == ["Converted times to UTC from the zone Europe/Paris (UTC+01:00)"]
        winter_utc, summer_utc = WINTER - dt.timedelta(hours=1), SUMMER - dt.timedelta(hours=2)
        rows = db.execute_sql("SELECT id, body, created_at, updated_at FROM note ORDER BY id")
        notes = [(i, body, as_datetime(c), as_datetime(u)) for i, body, c, u in rows.fetchall()]
        new_winter, new_summer = local_id(winter_utc, 0), local_id(summer_utc, 3)
        assert notes == [
            (new_winter, "winter zebra", winter_utc, winter_utc),
            (new_summer, "summer zebra", summer_utc, summer_utc),
        ]
        assert as_datetime(scalar(db, 'SELECT created_at FROM "user"')) == winter_utc
        assert as_datetime(scalar(db, "SELECT created_at FROM customer")) == winter_utc
        # References follow the new ids: values, history, search.
        assert get_note(new_summer).values[1].text == "summer"
        assert [c.at for c in history_of("note", new_winter)] == [winter_utc]
        new_deleted = local_id(summer_utc, 7)
        snapshot = {c.field: c.old for c in history_of("note", new_deleted)}
        assert snapshot["created_at"] == summer_utc.isoformat()
        settings = load_settings()
        out = io.StringIO()
        export_notes(out, settings, query(settings, search="zebra"))
        bodies = [row["body"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
        assert bodies == ["summer zebra", "winter zebra"]
        assert ids["winter"] != new_winter
    finally:
        db.close()
    # Once: opening it again converts nothing more and says nothing.
    db = connect(target)
    try:
        assert take_notices() == []
        assert as_datetime(scalar(db, "SELECT MIN(created_at) FROM note")) == winter_utc
    finally:
        db.close()


def test_the_command_line_says_once_which_zone_it_converted_from(tmp_path: Path) -> None:
    target, old = schema_4_database(tmp_path)
    fill_with_local_times(old)
    old.close()
    first = cli(target, "America/Vancouver", "users", "list")
    assert first.returncode == 0, first.stderr
    assert first.stderr == (
        "crm-tui: Converted times to UTC from the zone America/Vancouver (UTC-08:00)\n"
    )
    second = cli(target, "America/Vancouver", "users", "list")
    assert second.stderr == ""


def test_a_new_database_has_nothing_to_convert(tmp_path: Path) -> None:
    take_notices()
    db = connect(str(tmp_path / "new.sqlite3"))
    db.close()
    assert take_notices() == []
