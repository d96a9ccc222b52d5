"""Transaction-long write locks that serialise writers of the same kind of rows.

SQLite's ``BEGIN IMMEDIATE`` transactions (``lock_type="IMMEDIATE"``, see ``database.py``)
already let one writer at a time; PostgreSQL takes a transaction-level advisory lock,
released at commit or rollback.
"""

from __future__ import annotations

import peewee

from crm_tui.db.database import is_sqlite

# Advisory lock keys: "crn" notes, "crs" settings names, "crm" schema migrations.
NOTE_WRITE_LOCK_KEY = 0x63726E
SETTINGS_WRITE_LOCK_KEY = 0x637273
MIGRATION_LOCK_KEY = 0x63726D


def hold_write_lock(database: peewee.Database, key: int) -> None:
    """Wait until no other transaction holds lock ``key``, and hold it until commit.

    Call inside a transaction. Nothing to do on SQLite, whose write transactions already
    exclude each other.
    """
    if not is_sqlite(database):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))


def lock_note_writes(database: peewee.Database) -> None:
    """Hold the note writers' lock until commit (see ``hold_write_lock``)."""
    hold_write_lock(database, NOTE_WRITE_LOCK_KEY)


def lock_settings_writes(database: peewee.Database) -> None:
    """Hold the settings writers' lock until commit (see ``hold_write_lock``)."""
    hold_write_lock(database, SETTINGS_WRITE_LOCK_KEY)


def lock_migrations(database: peewee.Database) -> None:
    """Hold the schema migrations' lock until commit (see ``hold_write_lock``)."""
    hold_write_lock(database, MIGRATION_LOCK_KEY)
