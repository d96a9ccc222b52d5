"""Opening the database: pragmas, locking, path resolution, refusals and migrations."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import peewee
import platformdirs
import pytest
from test_db_snapshot import dump_tables

from crm_tui.db import database as database_module
from crm_tui.db.database import (
    ENV_DATABASE,
    DatabaseOpenError,
    connect,
    default_database_path,
    is_postgres_url,
    open_postgres,
    resolve_target,
)
from crm_tui.db.models import Customer, Note, User
from crm_tui.db.schema import MIGRATIONS_DIR, migrate, schema_version

FUTURE_MIGRATION = "0002_from_a_newer_crm_tui"
MIGRATION_NAMES = sorted(path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py"))
LATEST_SCHEMA = int(MIGRATION_NAMES[-1].split("_", 1)[0])


def _pragma(db: peewee.Database, name: str) -> object:
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


# --- SQLite connection settings -----------------------------------------------------


def test_sqlite_runs_in_wal_mode(sqlite_database: peewee.Database) -> None:
    assert _pragma(sqlite_database, "journal_mode") == "wal"


def test_sqlite_enforces_foreign_keys(sqlite_database: peewee.Database) -> None:
    assert _pragma(sqlite_database, "foreign_keys") == 1
    stamp = dt.datetime(2026, 1, 1, 9, 0, 0)
    with pytest.raises(peewee.IntegrityError):
        Note.create(id=1, customer=999, author=999, created_at=stamp, updated_at=stamp)
    assert Note.select().count() == 0


def test_sqlite_waits_for_a_busy_database(sqlite_database: peewee.Database) -> None:
    assert _pragma(sqlite_database, "busy_timeout") >= 5000


def test_sqlite_transactions_take_the_write_lock_when_they_begin(
    sqlite_database: peewee.Database,
) -> None:
    assert sqlite_database._lock_type == "IMMEDIATE"
    other = sqlite3.connect(sqlite_database.database, timeout=0, isolation_level=None)
    try:
        with sqlite_database.atomic():
            # Only a read so far: a deferred transaction would not hold the write lock yet.
            User.select().count()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


# --- which database ---------------------------------------------------------------


def test_db_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATABASE, "/from/env.sqlite3")
    assert resolve_target("/from/option.sqlite3") == "/from/option.sqlite3"


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_db_option_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, blank: str
) -> None:
    monkeypatch.setenv(ENV_DATABASE, "/from/env.sqlite3")
    assert resolve_target(blank) == "/from/env.sqlite3"
    assert resolve_target("  team.sqlite3 ") == "team.sqlite3"


def test_environment_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATABASE, "  postgresql://crm@db.example/crm  ")
    assert resolve_target(None) == "postgresql://crm@db.example/crm"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_default_is_a_file_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(ENV_DATABASE, raising=False)
    else:
        monkeypatch.setenv(ENV_DATABASE, value)
    expected = platformdirs.user_data_path("crm-tui", appauthor=False) / "crm.sqlite3"
    assert default_database_path() == expected
    assert resolve_target(None) == str(expected)


def test_connect_without_a_target_opens_the_default_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data_folder = tmp_path / "data" / "crm-tui"
    monkeypatch.delenv(ENV_DATABASE, raising=False)
    monkeypatch.setattr(database_module, "user_data_path", lambda *args, **kwargs: data_folder)
    db = connect()
    try:
        assert Path(db.database) == data_folder / "crm.sqlite3"
        assert (data_folder / "crm.sqlite3").is_file()
        assert schema_version(db) == LATEST_SCHEMA
    finally:
        db.close()


def test_connect_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv(ENV_DATABASE, str(target))
    db = connect(None)
    try:
        assert target.is_file()
    finally:
        db.close()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("postgresql://crm@host/db", True),
        ("postgres://crm@host/db", True),
        ("PostgreSQL://crm@host/db", True),
        ("crm.sqlite3", False),
        ("/home/ana/postgresql/crm.sqlite3", False),
    ],
)
def test_postgres_urls_are_told_from_file_paths(target: str, expected: bool) -> None:
    assert is_postgres_url(target) is expected


def test_query_parameters_of_a_postgresql_url_reach_the_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(peewee.PostgresqlDatabase, "connect", lambda self, **kwargs: True)
    database = open_postgres(
        "postgresql://ana%40crm:s%2Fcret@db.example:6543/team?sslmode=require&connect_timeout=9"
    )
    assert database.database == "team"
    assert database.connect_params == {
        "user": "ana@crm",
        "password": "s/cret",
        "host": "db.example",
        "port": 6543,
        "sslmode": "require",
        "connect_timeout": 9,
    }


def test_a_postgresql_url_without_a_timeout_waits_5_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(peewee.PostgresqlDatabase, "connect", lambda self, **kwargs: True)
    database = open_postgres("postgresql://crm@db.example/team")
    assert database.connect_params == {"user": "crm", "host": "db.example", "connect_timeout": 5}


def test_a_sqlite_url_opens_its_file_with_its_parameters(tmp_path: Path) -> None:
    target = tmp_path / "my team.sqlite3"
    db = connect(f"sqlite:///{str(target).replace(' ', '%20')}?timeout=3")
    try:
        assert target.is_file()
        assert db.timeout == 3
    finally:
        db.close()


def test_an_unknown_kind_of_url_is_refused_and_makes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseOpenError, match=r"unknown kind of database URL \(mysql://\)"):
        connect("mysql://crm@host/db")
    assert list(tmp_path.iterdir()) == []


def test_opening_creates_the_file_but_no_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match=r"folder .* does not exist"):
        connect(str(tmp_path / "a" / "b" / "team.sqlite3"))  # a typo makes no new database
    assert not (tmp_path / "a").exists()
    target = tmp_path / "team.sqlite3"
    db = connect(str(target))
    try:
        assert target.is_file()
        assert target.read_bytes().startswith(b"SQLite format 3\x00")
        assert schema_version(db) == LATEST_SCHEMA
    finally:
        db.close()


# --- refusals -----------------------------------------------------------------------


def _files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


@pytest.mark.parametrize(
    "content",
    [b"name,phone\nAcme,555\n", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"x"],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(
    tmp_path: Path, content: bytes
) -> None:
    target = tmp_path / "notes.csv"
    target.write_bytes(content)
    before = _files_in(tmp_path)
    with pytest.raises(DatabaseOpenError) as error:
        connect(str(target))
    assert str(error.value) == f"{target} is not a SQLite database"
    assert _files_in(tmp_path) == before


def test_a_damaged_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    good = tmp_path / "good" / "team.sqlite3"
    good.parent.mkdir()
    connect(str(good)).close()
    target = tmp_path / "team.sqlite3"
    target.write_bytes(good.read_bytes()[:4096])
    before = _files_in(tmp_path)
    with pytest.raises(DatabaseOpenError) as error:
        connect(str(target))
    assert str(error.value) == f"cannot open {target}: database disk image is malformed"
    assert _files_in(tmp_path) == before


def _foreign_sqlite(path: Path, wal: bool) -> None:
    raw = sqlite3.connect(path)
    if wal:
        raw.execute("PRAGMA journal_mode = wal")
    with raw:
        raw.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        raw.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    raw.close()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback journal", "wal"])
def test_another_applications_sqlite_file_is_refused_and_left_untouched(
    tmp_path: Path, wal: bool
) -> None:
    target = tmp_path / "places.sqlite"
    _foreign_sqlite(target, wal)
    before = _files_in(tmp_path)
    with pytest.raises(DatabaseOpenError) as error:
        connect(str(target))
    assert str(error.value).endswith(
        "this database holds tables of another application (moz_places); "
        "crm-tui needs an empty database or one of its own"
    )
    assert _files_in(tmp_path) == before


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    target = tmp_path / "new.sqlite3"
    target.touch()
    db = connect(str(target))
    try:
        assert schema_version(db) == LATEST_SCHEMA
    finally:
        db.close()


def test_a_database_with_tables_but_no_crm_tui_history_is_refused(
    database: peewee.Database,
) -> None:
    database.execute_sql("DROP TABLE schema_migration")
    before = dump_tables(database)
    with pytest.raises(DatabaseOpenError, match="holds tables of another application"):
        migrate(database)
    assert dump_tables(database) == before


def test_a_file_where_a_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    target = tmp_path / "notes.txt" / "crm.sqlite3"
    with pytest.raises(DatabaseOpenError) as error:
        connect(str(target))
    folder = tmp_path / "notes.txt"
    assert str(error.value) == f"cannot create {target}: {folder} is not a folder"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is a folder, not a database file"):
        connect(str(tmp_path))


def _write_future_migration(path: Path) -> None:
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO schema_migration (name, applied) VALUES (?, ?)",
            (FUTURE_MIGRATION, "2030-01-01 00:00:00"),
        )
    raw.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "team.sqlite3"
    connect(str(target)).close()
    _write_future_migration(target)
    before = _files_in(tmp_path)
    assert set(before) == {"team.sqlite3"}
    with pytest.raises(DatabaseOpenError) as error:
        connect(str(target))
    message = str(error.value)
    assert "newer version of crm-tui" in message
    assert FUTURE_MIGRATION in message
    assert "upgrade crm-tui" in message
    assert _files_in(tmp_path) == before


def test_a_newer_schema_is_refused_on_any_engine(database: peewee.Database) -> None:
    p = database.param
    database.execute_sql(
        f"INSERT INTO schema_migration (name, applied) VALUES ({p}, {p})",
        (FUTURE_MIGRATION, dt.datetime(2030, 1, 1)),
    )
    before = dump_tables(database)
    with pytest.raises(DatabaseOpenError, match="newer version of crm-tui"):
        migrate(database)
    assert dump_tables(database) == before


@pytest.mark.skipif(
    importlib.util.find_spec("psycopg") is None,
    reason="needs the PostgreSQL driver: pip install '.[postgres]' (CI installs it)",
)
@pytest.mark.parametrize(
    "url", ["postgresql://crm@127.0.0.1:1/crm_test", "POSTGRES://crm@127.0.0.1:1/crm_test"]
)
def test_an_unreachable_postgres_server_is_a_clear_open_error(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseOpenError) as error:
        connect(url)
    message = str(error.value)
    assert message.startswith("cannot reach the PostgreSQL server at 127.0.0.1:1: ")
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []  # not mistaken for a file path


# --- migrations ---------------------------------------------------------------------


def test_a_new_database_is_at_the_latest_schema_version(database: peewee.Database) -> None:
    assert schema_version(database) == LATEST_SCHEMA
    names = [row[0] for row in database.execute_sql("SELECT name FROM schema_migration")]
    assert names == MIGRATION_NAMES


def test_migrating_twice_changes_nothing(database: peewee.Database) -> None:
    Customer.create(name="Acme", name_key="acme", created_at=dt.datetime(2026, 1, 1))
    before = dump_tables(database)
    assert migrate(database) == []
    assert dump_tables(database) == before
    assert schema_version(database) == LATEST_SCHEMA


def test_reopening_a_file_keeps_its_data(tmp_path: Path) -> None:
    target = tmp_path / "team.sqlite3"
    db = connect(str(target))
    Customer.create(name="Acme", name_key="acme", created_at=dt.datetime(2026, 1, 1))
    before = dump_tables(db)
    db.close()
    again = connect(str(target))
    try:
        assert dump_tables(again) == before
    finally:
        again.close()


def test_first_migration_is_reported_once(tmp_path: Path) -> None:
    raw = peewee.SqliteDatabase(str(tmp_path / "raw.sqlite3"))
    try:
        assert migrate(raw) == MIGRATION_NAMES
        assert migrate(raw) == []
    finally:
        raw.close()


POSTGRES_URL = os.environ.get("CRM_TEST_DATABASE_URL", "")


def _fresh_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_starting_on_sqlite_does_not_import_the_postgresql_driver(tmp_path: Path) -> None:
    done = _fresh_python(
        "import sys\n"
        "from crm_tui.db.database import connect\n"
        "import crm_tui.ui.app, crm_tui.cli\n"
        f"connect({str(tmp_path / 'crm.sqlite3')!r}).close()\n"
        "print('psycopg' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="needs CRM_TEST_DATABASE_URL")
def test_a_postgresql_url_loads_the_driver_when_opened() -> None:
    done = _fresh_python(
        "from crm_tui.db.database import connect\n"
        "from crm_tui.db.models import User\n"
        f"database = connect({POSTGRES_URL!r})\n"
        "print(database.execute_sql('SELECT 40 + 2').fetchone()[0])\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42"


def _note_value_sql(database: peewee.Database) -> str:
    return database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'note_value'"
    ).fetchone()[0]


def test_sqlite_keeps_note_values_clustered_by_note(sqlite_database: peewee.Database) -> None:
    assert _note_value_sql(sqlite_database).rstrip().upper().endswith("WITHOUT ROWID")


def test_upgrading_to_clustered_note_values_keeps_every_value_and_index(tmp_path: Path) -> None:
    from test_query_plans import random_notes
    from test_query_world import build_env, insert_notes

    path = tmp_path / "old.sqlite3"
    database = connect(str(path))
    env = build_env()
    insert_notes(env, database, random_notes(env, 60, seed=7))
    before = database.execute_sql("SELECT * FROM note_value ORDER BY 1, 2").fetchall()
    indexes = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'note_value'"
        " AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    # Make it a version-2 database again: note_value as a rowid table.
    old_sql = _note_value_sql(database).rsplit("WITHOUT ROWID", 1)[0]
    with database.atomic():
        database.execute_sql("ALTER TABLE note_value RENAME TO clustered")
        database.execute_sql(old_sql)
        database.execute_sql("INSERT INTO note_value SELECT * FROM clustered")
        database.execute_sql("DROP TABLE clustered")
        for _name, sql in indexes:
            database.execute_sql(sql)
        database.execute_sql(
            "DELETE FROM schema_migration WHERE name = '0003_note_value_without_rowid'"
        )
    assert "WITHOUT ROWID" not in _note_value_sql(database)
    database.close()

    upgraded = connect(str(path))
    assert upgraded.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _note_value_sql(upgraded).rstrip().upper().endswith("WITHOUT ROWID")
    assert upgraded.execute_sql("SELECT * FROM note_value ORDER BY 1, 2").fetchall() == before
    assert (
        upgraded.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'note_value'"
            " AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        == indexes
    )
    upgraded.close()
