"""Open the database by path or URL, apply pragmas, run schema migrations."""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from platformdirs import user_data_path

from crm_tui.drivers import load_postgres_driver
from crm_tui.i18n import _

ENV_DATABASE = "CRM_TUI_DB"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -8000,
    "temp_store": "memory",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite file header: 100 bytes; byte 18 is 1 for a rollback journal, 2 for WAL.
_HEADER_SIZE, _WRITE_VERSION, _ROLLBACK_JOURNAL = 100, 18, 1


class DatabaseOpenError(Exception):
    """The database cannot be opened; ``str()`` says why, for the user."""


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``CRM_TUI_DB`` is given."""
    return user_data_path("crm-tui", appauthor=False) / "crm.sqlite3"


def resolve_target(target: str | None) -> str:
    """Pick the database: ``--db``, else ``CRM_TUI_DB``, else the default file."""
    if target and target.strip():
        return target.strip()
    env = os.environ.get(ENV_DATABASE, "").strip()
    if env:
        return env
    return str(default_database_path())


def is_postgres_url(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL server rather than a SQLite file."""
    return target.lower().startswith(("postgres://", "postgresql://"))


def connect(target: str | None = None) -> peewee.Database:
    """Open (creating if needed) and migrate the database named by ``target``."""
    from crm_tui.db.schema import migrate

    name = resolve_target(target)
    database = _open_postgres(name) if is_postgres_url(name) else _open_sqlite(name)
    try:
        migrate(database)
    except Exception:
        database.close()
        raise
    return database


def _sqlite_path(target: str) -> Path:
    if target.startswith("sqlite:///"):
        return Path(unquote(target[len("sqlite:///") - 1 :]))
    return Path(target).expanduser()


def _open_sqlite(target: str) -> peewee.SqliteDatabase:
    path = _sqlite_path(target)
    if path.exists():
        if path.is_dir():
            raise DatabaseOpenError(_("{path} is a folder, not a database file").format(path=path))
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
        head = header[: len(_SQLITE_MAGIC)]
        if head and head != _SQLITE_MAGIC:
            raise DatabaseOpenError(_("{path} is not a SQLite database").format(path=path))
        if len(header) == _HEADER_SIZE and header[_WRITE_VERSION] == _ROLLBACK_JOURNAL:
            _refuse_foreign_sqlite(path)
    else:
        _check_folder(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)  # only the default data folder
        except OSError as error:
            reason = error.strerror
            if isinstance(error, FileExistsError | NotADirectoryError):
                reason = _("{folder} is not a folder").format(folder=error.filename or path.parent)
            raise DatabaseOpenError(
                _("cannot create {path}: {error}").format(path=path, error=reason)
            ) from None
    database = peewee.SqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE"
    )
    try:
        database.connect()
    except peewee.DatabaseError as error:
        problem = storage_problem(error)
        if (
            problem is None
            and "unable to open" in str(error)
            and not os.access(path.parent, os.W_OK)
        ):
            problem = "read-only"  # SQLite cannot create the file or its -wal beside it
        reason = storage_message(problem) if problem else error
        raise DatabaseOpenError(
            _("cannot open {path}: {error}").format(path=path, error=reason)
        ) from None
    return database


def _check_folder(path: Path) -> None:
    """Refuse a new database file whose folder does not exist (a typo must not make one).

    Only the default data folder is created, on first use.
    """
    folder = path.parent
    if folder.is_dir() or path == default_database_path():
        return
    if folder.exists():
        reason = _("{folder} is not a folder").format(folder=folder)
    else:
        reason = _("folder {folder} does not exist").format(folder=folder)
    raise DatabaseOpenError(_("cannot create {path}: {error}").format(path=path, error=reason))


def _refuse_foreign_sqlite(path: Path) -> None:
    """Refuse, reading it only, a SQLite file that holds another application's tables.

    Only for a file not in WAL mode (crm-tui's files always are): the first real
    connection would switch it to WAL, changing the file before ``migrate`` refuses it.
    """
    from crm_tui.db.schema import foreign_database_message

    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as raw:
            tables = [
                row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
    except sqlite3.DatabaseError as error:
        raise DatabaseOpenError(
            _("cannot open {path}: {error}").format(path=path, error=error)
        ) from None
    if tables and "schema_migration" not in tables:
        raise DatabaseOpenError(f"{path}: {foreign_database_message(tables)}")


def _open_postgres(url: str) -> peewee.PostgresqlDatabase:
    parsed = urlparse(url)
    params: dict[str, object] = {
        "host": parsed.hostname or None,
        "port": parsed.port or None,
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "connect_timeout": 5,
    }
    params = {key: value for key, value in params.items() if value is not None}
    name = parsed.path.lstrip("/") or None
    load_postgres_driver()
    try:
        database = peewee.PostgresqlDatabase(name, prefer_psycopg3=True, **params)
        database.connect()
    except peewee.ImproperlyConfigured:
        raise DatabaseOpenError(
            _("PostgreSQL support is not installed: pip install 'crm-tui[postgres]'")
        ) from None
    except peewee.DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise DatabaseOpenError(
            _("cannot reach the PostgreSQL server at {where}: {error}").format(
                where=f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}", error=first_line
            )
        ) from None
    return database


def is_sqlite(database: peewee.Database) -> bool:
    """Whether ``database`` is SQLite (else PostgreSQL)."""
    return isinstance(database, peewee.SqliteDatabase)


# SQLite result codes (primary, ``sqlite_errorcode & 0xFF``) and PostgreSQL SQLSTATEs
# that mean the storage refused a write, whatever the statement was.
_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_FULL = 8, 14, 13
_POSTGRES_READ_ONLY = ("25006",)  # read_only_sql_transaction (a standby, or read-only role)
_POSTGRES_FULL = ("53100", "53200")  # disk_full, out_of_memory


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and the errors it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def storage_problem(error: BaseException) -> str | None:
    """``"read-only"`` or ``"full"`` when ``error`` (or what caused it) is the storage refusing.

    A failed write can hide its cause: SQLite rolls back on a full disk, and the
    rollback that follows fails with "no transaction is active".
    """
    for cause in _causes(error):
        if isinstance(cause, sqlite3.Error):
            code = getattr(cause, "sqlite_errorcode", None)
            primary = code & 0xFF if isinstance(code, int) else None
            text = str(cause).lower()
            if primary == _SQLITE_FULL or "database or disk is full" in text:
                return "full"
            if primary == _SQLITE_READONLY or "readonly database" in text:
                return "read-only"
        state = getattr(cause, "sqlstate", None)
        if state in _POSTGRES_READ_ONLY:
            return "read-only"
        if state in _POSTGRES_FULL:
            return "full"
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return "full"
    return None


def storage_message(problem: str) -> str:
    """The user's message for a ``storage_problem``: what happened, and that nothing changed."""
    if problem == "full":
        return _(
            "the disk is full (or the database reached its size limit): nothing was changed; "
            "free some space and try again"
        )
    return _(
        "the database is read-only (no write permission on the file or its folder, or a "
        "read-only server): nothing was changed"
    )
