"""Open the database by path or URL, apply pragmas, run schema migrations."""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import peewee
from platformdirs import user_data_path
from playhouse import db_url

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


class SqlCursor(Protocol):
    """What crm-tui uses of a DB-API cursor (``Database.execute_sql`` returns one)."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...


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


POSTGRES_SCHEMES = ("postgres", "postgresql")
SQLITE_SCHEME = "sqlite"
POSTGRES_CONNECT_TIMEOUT = 5  # seconds, unless the URL gives ``connect_timeout``


def is_postgres_url(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL server rather than a SQLite file."""
    return target.lower().startswith(tuple(f"{scheme}://" for scheme in POSTGRES_SCHEMES))


def url_scheme(target: str) -> str | None:
    """The lower-case scheme of ``target`` when it is a URL (``scheme://…``), else ``None``."""
    head, separator, _rest = target.partition("://")
    if not separator or not head or not all(c.isalnum() or c in "+-." for c in head):
        return None
    return head.lower()


def open_database(target: str) -> peewee.Database:
    """Open, without migrating, the database named by ``target`` (a path or a URL)."""
    scheme = url_scheme(target)
    if scheme in POSTGRES_SCHEMES:
        return open_postgres(target)
    if scheme is not None and scheme != SQLITE_SCHEME:
        raise DatabaseOpenError(
            _(
                "{target}: unknown kind of database URL ({scheme}://); give a file path, "
                "sqlite:///path or postgresql://user@host/database"
            ).format(target=target, scheme=scheme)
        )
    return open_sqlite(target)


def connect(target: str | None = None) -> peewee.Database:
    """Open (creating if needed) and migrate the database named by ``target``."""
    from crm_tui.db.schema import migrate

    database = open_database(resolve_target(target))
    try:
        migrate(database)
    except Exception:
        database.close()
        raise
    return database


def sqlite_location(target: str) -> tuple[Path, dict[str, Any]]:
    """The file a SQLite path or ``sqlite:///`` URL names, and the URL's query parameters
    (passed to ``sqlite3.connect``, e.g. ``?timeout=30``)."""
    if url_scheme(target) != SQLITE_SCHEME:
        return Path(target).expanduser(), {}
    parsed = urlparse(target)
    params = db_url.parseresult_to_dict(parsed)
    del params["database"]
    return Path(unquote(parsed.path)), params


def open_sqlite(target: str) -> peewee.SqliteDatabase:
    """Open the SQLite file named by ``target`` with crm-tui's pragmas, refusing clearly a
    folder, a file that is not SQLite, another application's database or a missing folder."""
    path, params = sqlite_location(target)
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
    options: dict[str, Any] = {"timeout": 10, **params}
    database = peewee.SqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", **options
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
        reason = storage_message(problem) if problem else str(error)
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


def postgres_parameters(url: str) -> tuple[str | None, dict[str, Any]]:
    """The database name and the driver's connection parameters in a PostgreSQL URL.

    Parsed by ``playhouse.db_url``: user and password are unquoted, and query parameters
    (``?sslmode=require``, ``?connect_timeout=10``, …) reach the driver as they are.
    """
    params = db_url.parse(url, unquote_password=True, unquote_user=True)
    name = params.pop("database") or None
    params.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT)
    return name, params


def open_postgres(url: str) -> peewee.PostgresqlDatabase:
    """Connect to the PostgreSQL database named by ``url``; a clear error when it cannot."""
    name, params = postgres_parameters(url)
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
                where=f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}",
                error=first_line,
            )
        ) from None
    return database


def is_database_error(error: BaseException) -> bool:
    """A refusal of the database engine itself (Peewee's, SQLite's or psycopg's)."""
    if isinstance(error, peewee.DatabaseError | sqlite3.Error):
        return True
    return type(error).__module__.split(".")[0] in ("psycopg", "psycopg2")


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
