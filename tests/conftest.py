"""Shared fixtures: a fresh, migrated database per test.

``database`` is SQLite unless ``CRM_TEST_DATABASE_URL`` names a PostgreSQL database, in
which case the same tests run there (its ``public`` schema is wiped for each test).
``sqlite_database`` is always SQLite, for tests of SQLite-only behaviour.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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


def open_test_database(tmp_path: Path) -> peewee.Database:
    """A new empty database for one test, on the engine the run is for."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return connect(POSTGRES_URL)
    return connect(str(tmp_path / "test.sqlite3"))


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
