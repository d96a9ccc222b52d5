"""Shared fixtures: a fresh, migrated database per test.

``database`` is SQLite unless ``CRM_TEST_DATABASE_URL`` names a PostgreSQL database, in
which case the same tests run there (its ``public`` schema is wiped for each test).
``sqlite_database`` is always SQLite, for tests of SQLite-only behaviour.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee
import pytest

from crm_tui.db.database import connect
from crm_tui.i18n import set_language, unpin_language

os.environ["LANGUAGE"] = "en"
"""Tests speak English whatever the machine's LANG: ``LANGUAGE`` comes first in gettext's
order, so the command-line subprocesses the tests start speak English too. A test that
wants French calls ``set_language("fr")`` (this file's ``english`` fixture restores English
after it), passes ``--lang fr``, or gives its subprocess an environment without
``LANGUAGE`` (``LANG=fr_FR.UTF-8``)."""
set_language("en")  # collection too: parametrized ids, module-level tables

POSTGRES_URL = os.environ.get("CRM_TEST_DATABASE_URL", "").strip()


def worker_postgres_url(url: str) -> str:
    """The test database of this pytest-xdist worker (``crm_test_gw0``…), created if missing.

    Parallel workers each wipe their own database, never another's.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    from urllib.parse import urlsplit, urlunsplit

    from crm_tui.db.database import open_postgres

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    server = open_postgres(url)
    server.connection().autocommit = True
    exists = server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    if exists.fetchone() is None:
        server.execute_sql(f'CREATE DATABASE "{name}"')
    server.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def reset_postgres(url: str) -> None:
    """Drop everything in the test database's public schema."""
    from crm_tui.db.database import open_postgres

    raw = open_postgres(url)
    raw.execute_sql("DROP SCHEMA public CASCADE")
    raw.execute_sql("CREATE SCHEMA public")
    raw.close()


PILOT_IDLE_SLICE = 0.005
"""Seconds of each look Pilot takes to see whether the app is idle (Textual's: 0.02).

After every key and pause, Pilot sleeps in slices until a slice passes without the process
working; at 20 ms the Pilot suites spent a third of their time asleep
(tests/ui/test_settings_friction.py: 55 s -> 36 s of wall time, the same CPU time)."""


def quicker_pilot_idle_checks() -> None:
    """Make Pilot's idle check (``textual._wait``) look in ``PILOT_IDLE_SLICE`` slices."""
    import textual._wait as pilot_wait

    pilot_wait.SLEEP_GRANULARITY = PILOT_IDLE_SLICE
    pilot_wait.SLEEP_IDLE = PILOT_IDLE_SLICE / 20  # idle: under 5% of a slice working


quicker_pilot_idle_checks()

if POSTGRES_URL:
    POSTGRES_URL = worker_postgres_url(POSTGRES_URL)
    os.environ["CRM_TEST_DATABASE_URL"] = POSTGRES_URL  # for tests that read it themselves


SCHEMA_FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
  SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable
      || ':' || coalesce(column_default, '') AS item
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT c.relname || ':' || t.tgname FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal
  UNION ALL SELECT p.proname || ':' || md5(p.prosrc) FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
  UNION ALL SELECT conname || ':' || pg_get_constraintdef(o.oid) FROM pg_constraint o
    JOIN pg_namespace n ON n.oid = o.connamespace WHERE n.nspname = 'public'
) AS schema_items
"""
"""One value that changes when the public schema's tables, columns, indexes, triggers,
functions or constraints do."""


@dataclass
class MigratedPostgres:
    """This worker's migrated test schema: its fingerprint and the rows migrations wrote."""

    fingerprint: str
    tables: list[str]
    seed_rows: dict[str, tuple[list[str], list[tuple[object, ...]]]]
    serial_columns: list[tuple[str, str]]


_migrated_postgres: MigratedPostgres | None = None


def _read_migrated(database: peewee.Database) -> MigratedPostgres:
    tables = [
        str(row[0])
        for row in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    seed_rows: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
    for table in tables:
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        rows = [tuple(row) for row in cursor.fetchall()]
        if rows:
            seed_rows[table] = ([str(column[0]) for column in cursor.description], rows)
    serial_columns = [
        (table, column)
        for table in seed_rows
        for (column,) in database.execute_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s AND column_default LIKE 'nextval%%'",
            (table,),
        ).fetchall()
    ]
    fingerprint = str(database.execute_sql(SCHEMA_FINGERPRINT_SQL).fetchone()[0])
    return MigratedPostgres(fingerprint, tables, seed_rows, serial_columns)


def _emptied_in_place(url: str) -> bool:
    """Empty the test database's tables and put back the rows migrations wrote, when its
    schema is still the migrated one (a test may have altered it); whether it could."""
    from crm_tui.db.database import open_postgres

    migrated = _migrated_postgres
    if migrated is None:
        return False
    raw = open_postgres(url)
    try:
        with raw.atomic():
            if str(raw.execute_sql(SCHEMA_FINGERPRINT_SQL).fetchone()[0]) != migrated.fingerprint:
                return False
            listed = ", ".join(f'"{table}"' for table in migrated.tables)
            raw.execute_sql(f"TRUNCATE {listed} RESTART IDENTITY CASCADE")
            for table, (columns, rows) in migrated.seed_rows.items():
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("%s" for _column in columns)
                for row in rows:
                    raw.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', row)
            for table, column in migrated.serial_columns:  # go on after the rows put back
                raw.execute_sql(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), max("{column}"))'
                    f' FROM "{table}" HAVING count(*) > 0',
                    (f'"{table}"', column),
                )
        return True
    finally:
        raw.close()


def open_test_database(tmp_path: Path) -> peewee.Database:
    """A new empty database for one test, on the engine the run is for.

    On PostgreSQL the first test of a worker migrates a fresh schema; later tests empty its
    tables instead (``TRUNCATE``, the migrations' own rows put back: 10 times quicker than
    migrating again), unless a test changed the schema, which is then made again.
    """
    global _migrated_postgres
    if POSTGRES_URL:
        if _emptied_in_place(POSTGRES_URL):
            return connect(POSTGRES_URL)
        reset_postgres(POSTGRES_URL)
        database = connect(POSTGRES_URL)
        _migrated_postgres = _read_migrated(database)
        return database
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(_migrated_sqlite_file(), path)  # 2 ms, against 20 ms to migrate one
    return connect(str(path))


_migrated_sqlite: Path | None = None


def _migrated_sqlite_file() -> Path:
    """This worker's newly migrated SQLite file (made once, closed, so nothing in a WAL)."""
    global _migrated_sqlite
    if _migrated_sqlite is None or not _migrated_sqlite.exists():
        folder = Path(tempfile.mkdtemp(prefix="crm-migrated-"))
        migrated = folder / "migrated.sqlite3"
        connect(str(migrated)).close()
        _migrated_sqlite = migrated
    return _migrated_sqlite


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.Database]:
    """A fresh migrated database (PostgreSQL when CRM_TEST_DATABASE_URL is set)."""
    db = open_test_database(tmp_path)
    yield db
    db.close()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[peewee.Database]:
    """A fresh migrated SQLite database, whatever engine the run is for."""
    db = connect(str(tmp_path / "test.sqlite3"))
    yield db
    db.close()


def _hypothesis_profiles() -> None:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    settings.register_profile(
        "dev",
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    settings.load_profile("ci" if os.environ.get("CI") else "dev")


_hypothesis_profiles()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English, not pinned by ``--lang``, and leaves English behind."""
    unpin_language()
    set_language("en")
    yield
    unpin_language()
    set_language("en")


@pytest.fixture(autouse=True)
def no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps start with animations off: a tab's underline or a scroll is drawn where it ends,
    never halfway (a busy machine once took a picture mid-slide)."""
    monkeypatch.setattr("textual.constants.TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the smallest costs: the same format, without a second per hash."""
    from argon2 import PasswordHasher

    from crm_tui.domain import users

    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)


def sqlite_only(item: pytest.Item) -> bool:
    """Whether a test runs on SQLite whatever the run is for (``sqlite_database`` alone)."""
    fixtures = getattr(item, "fixturenames", ())
    return "sqlite_database" in fixtures and "database" not in fixtures


def runs_on_postgres(item: pytest.Item) -> bool:
    """The rule of the PostgreSQL pass (CI runs the whole suite on SQLite first).

    Left out: tests marked ``slow`` (large data: they run once, in the SQLite pass);
    tests on ``sqlite_database`` alone (the same test as in the SQLite pass); of the Pilot
    and snapshot suites, those not marked ``postgres`` (the screens reach the database
    through the domain, whose tests all run here; the marked ones drive paths that differ
    by engine: two apps on one database, conflicts, stored text read back).
    """
    if item.get_closest_marker("slow") is not None or sqlite_only(item):
        return False
    screens = (Path(__file__).parent / "ui", Path(__file__).parent / "snapshots")
    if any(folder in Path(str(item.path)).parents for folder in screens):
        return item.get_closest_marker("postgres") is not None
    return True


def pytest_configure(config: pytest.Config) -> None:
    """On a PostgreSQL run only the snapshots marked ``postgres`` are taken: the others are
    left unused on purpose (the SQLite pass checks them all), which must not fail the run."""
    if POSTGRES_URL:
        config.option.warn_unused_snapshots = True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a PostgreSQL run, keep the tests of ``runs_on_postgres``."""
    if not POSTGRES_URL:
        return
    kept = [item for item in items if runs_on_postgres(item)]
    deselected = [item for item in items if not runs_on_postgres(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs in the zone UTC unless it sets another (times are shown local)."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
