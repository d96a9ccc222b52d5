"""Schema versioning through ``playhouse.migrations``: upgrade, or refuse a newer database."""

from __future__ import annotations

from pathlib import Path

import peewee
from playhouse.migrations import Runner

from crm_tui.db.database import DatabaseOpenError
from crm_tui.db.locks import lock_migrations
from crm_tui.db.models import database_proxy
from crm_tui.i18n import _

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# What migrations tell the person opening the database (e.g. the zone times were read in).
NOTICES: list[str] = []


def schema_runner(database: peewee.Database) -> Runner:
    """The migration runner for ``database``."""
    return Runner(database, directory=str(MIGRATIONS_DIR))


def migrate(database: peewee.Database) -> list[str]:
    """Bring ``database`` to this version's schema and bind the models to it.

    Refuses, changing nothing, a database that a newer crm-tui has written, and one that
    holds another application's tables. Returns the names of the migrations applied.
    """
    runner = schema_runner(database)
    with database.atomic():
        lock_migrations(database)
        if not runner.History.table_exists() and database.get_tables():
            raise DatabaseOpenError(foreign_database_message(database.get_tables()))
        unknown = [m.name for m in runner.status() if m.path is None]
        if unknown:
            raise DatabaseOpenError(
                _(
                    "this database was written by a newer version of crm-tui "
                    "(schema {version}); upgrade crm-tui to open it"
                ).format(version=max(unknown))
            )
        applied = runner.up()
    database_proxy.initialize(database)
    return applied


def foreign_database_message(tables: list[str]) -> str:
    """Why a database with tables but no crm-tui schema history is refused."""
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return _(
        "this database holds tables of another application ({tables}); "
        "crm-tui needs an empty database or one of its own"
    ).format(tables=shown)


def schema_version(database: peewee.Database) -> int:
    """The number of the newest migration applied to ``database``."""
    applied = schema_runner(database).applied()
    return max((int(name.split("_", 1)[0]) for name in applied), default=0)


def take_notices() -> list[str]:
    """The notices of the migrations run since the last call (each told once)."""
    notices = NOTICES[:]
    NOTICES.clear()
    return notices
