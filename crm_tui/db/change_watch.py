"""Notice changes other processes (or other apps) make to the database.

``watcher_for(database)`` returns a watcher whose ``wait(timeout)`` blocks up to
``timeout`` seconds and returns what others changed since the last call: a set of
kinds, ``"notes"`` (notes, customers, users) and ``"settings"`` (statuses, actions,
variables, options). The app calls it in a loop from a thread worker.

- SQLite: ``PRAGMA data_version`` on a connection of the watcher's own changes whenever
  any other connection commits; a cheap signature (newest history line, newest note,
  customer and user: index look-ups, no count, which takes 100 ms at 1,000,000 notes; a
  deletion shows as a history line) then says what changed, so that a saved view or a
  preference does not refresh the lists.
- PostgreSQL: ``LISTEN crm_changes`` on a connection of its own; statement triggers
  (migration 0002) send ``NOTIFY crm_changes, 'table:transaction id'`` on commit of
  every write to those tables, whoever the writer (the app, the command line, psql).

``own_change(kinds)`` is called by the app right after it committed a change and before
it refreshes its lists: changes committed until then are in that refresh, so the watcher
does not report them again (no double refresh). Changes committed later are reported.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

import peewee

from crm_tui.db.database import is_sqlite

CHANNEL = "crm_changes"
"""The PostgreSQL notification channel."""

NOTES, SETTINGS = "notes", "settings"
ALL_KINDS = frozenset({NOTES, SETTINGS})

TABLE_KINDS: dict[str, str] = {
    "note": NOTES,
    "note_value": NOTES,
    "customer": NOTES,
    "user": NOTES,
    "status": SETTINGS,
    "action": SETTINGS,
    "variable": SETTINGS,
    "option": SETTINGS,
}
"""What a change to each table (or history entity) refreshes."""

WATCHED_TABLES = tuple(TABLE_KINDS)


def kinds_of(names: set[str] | frozenset[str]) -> frozenset[str]:
    """The kinds refreshed by changes to these tables or history entities.

    An entity this version does not know (written by a newer one) refreshes everything.
    """
    kinds: set[str] = set()
    for name in names:
        kinds.add(TABLE_KINDS[name]) if name in TABLE_KINDS else kinds.update(ALL_KINDS)
    return frozenset(kinds)


class ChangeWatcher:
    """Base of the watchers: ``wait``, ``own_change`` and ``close``."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def wait(self, timeout: float) -> frozenset[str]:
        """Block up to ``timeout`` seconds; return the kinds others changed meanwhile."""
        raise NotImplementedError

    def own_change(self, kinds: frozenset[str] = ALL_KINDS) -> None:
        """This app committed a change and is about to refresh ``kinds``: do not report it."""
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """Whether ``close`` was called."""
        return self._stop.is_set()

    def close(self) -> None:
        """Stop watching (a ``wait`` in progress returns at once, or at its timeout)."""
        self._stop.set()


def watcher_for(database: peewee.Database) -> ChangeWatcher:
    """A watcher for ``database`` (SQLite file or PostgreSQL server)."""
    if is_sqlite(database):
        return SqliteWatcher(database.database)
    return PostgresWatcher(database)


# --- SQLite ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signature:
    """What the lists show, in a few numbers: when one differs, something changed."""

    change_id: int
    newest_note: int
    newest_customer: int
    newest_user: int


SIGNATURE_SQL = (
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM change), (SELECT COALESCE(MAX(id), 0) FROM note),"
    " (SELECT COALESCE(MAX(id), 0) FROM customer),"
    ' (SELECT COALESCE(MAX(id), 0) FROM "user")'
)


class SqliteWatcher(ChangeWatcher):
    """Polls ``PRAGMA data_version`` on a read-only connection of its own."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._connection = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        self._connection.execute("PRAGMA query_only = 1")
        self._version = self._data_version()
        self._signature = self._read_signature()
        self._absorbed: dict[str, int] = {}

    def _data_version(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def _read_signature(self) -> Signature:
        return Signature(*self._connection.execute(SIGNATURE_SQL).fetchone())

    def _entities_since(self, change_id: int) -> set[str]:
        rows = self._connection.execute(
            "SELECT DISTINCT entity FROM change WHERE id > ?", (change_id,)
        )
        return {row[0] for row in rows}

    def own_change(self, kinds: frozenset[str] = ALL_KINDS) -> None:
        """Remember the data version this app's refresh of ``kinds`` starts from."""
        with self._lock:
            if self.closed:
                return
            version = self._data_version()
            for kind in kinds:
                self._absorbed[kind] = version

    def wait(self, timeout: float) -> frozenset[str]:
        """Sleep ``timeout``, then compare the data version and, if it moved, the signature."""
        if self._stop.wait(timeout):
            self._close_connection()
            return frozenset()
        with self._lock:
            if self.closed:
                self._connection.close()
                return frozenset()
            version = self._data_version()
            if version == self._version:
                return frozenset()
            self._version = version
            old, new = self._signature, self._read_signature()
            self._signature = new
            kinds = set(kinds_of(self._entities_since(old.change_id)))
            if (old.newest_note, old.newest_customer, old.newest_user) != (
                new.newest_note,
                new.newest_customer,
                new.newest_user,
            ):
                kinds.add(NOTES)
            # Nothing committed since this app refreshed a kind: that refresh showed it.
            return frozenset(k for k in kinds if self._absorbed.get(k) != version)

    def _close_connection(self) -> None:
        with self._lock:
            self._connection.close()

    def close(self) -> None:
        """Stop watching and close the connection."""
        super().close()
        if self._lock.acquire(blocking=False):
            try:
                self._connection.close()
            finally:
                self._lock.release()


# --- PostgreSQL ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A PostgreSQL snapshot (``xmin:xmax:xip,…``): which transactions had committed."""

    xmin: int
    xmax: int
    running: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        """Read ``pg_current_snapshot()::text``."""
        xmin, xmax, running = text.split(":")
        return cls(int(xmin), int(xmax), frozenset(int(x) for x in running.split(",") if x))

    def saw(self, xid: int) -> bool:
        """Whether transaction ``xid`` had ended before this snapshot was taken."""
        return xid < self.xmin or (xid < self.xmax and xid not in self.running)


def parse_payload(payload: str) -> tuple[str, int | None]:
    """``'table:xid'`` → (table, xid); a payload without a number gives ``None``."""
    table, _sep, xid = payload.rpartition(":")
    if not table:
        return payload, None
    try:
        return table, int(xid)
    except ValueError:
        return payload, None


class PostgresWatcher(ChangeWatcher):
    """``LISTEN crm_changes`` on a connection of its own (psycopg 3 ``notifies``)."""

    def __init__(self, database: peewee.Database) -> None:
        super().__init__()
        self._database = database
        self._params: dict[str, Any] = {"dbname": database.database, **database.connect_params}
        self._absorbed: dict[str, Snapshot] = {}
        self._listener: Any = None
        self._waiting = False
        self._connect()

    def _connect(self) -> None:
        import psycopg

        self._listener = psycopg.connect(autocommit=True, **self._params)
        self._listener.execute(f"LISTEN {CHANNEL}")

    def own_change(self, kinds: frozenset[str] = ALL_KINDS) -> None:
        """Take a snapshot: notifications of transactions it saw are this refresh's."""
        try:
            cursor = self._database.execute_sql("SELECT pg_current_snapshot()::text")
            snapshot = Snapshot.parse(cursor.fetchone()[0])
        except peewee.DatabaseError:
            return  # at worst the lists are read once more
        with self._lock:
            for kind in kinds:
                self._absorbed[kind] = snapshot

    def wait(self, timeout: float) -> frozenset[str]:
        """Collect the notifications of ``timeout`` seconds; return the kinds to refresh."""
        if self.closed:
            self._close_listener()
            return frozenset()
        self._waiting = True
        try:
            if self._listener is None or self._listener.closed:
                self._connect()
            payloads = [n.payload for n in self._listener.notifies(timeout=timeout)]
        except Exception:  # the server went away: try again at the next wait
            self._close_listener()
            self._stop.wait(timeout)
            return frozenset()
        finally:
            self._waiting = False
        if self.closed:
            self._close_listener()
            return frozenset()
        kinds: set[str] = set()
        with self._lock:
            for payload in payloads:
                table, xid = parse_payload(payload)
                for kind in kinds_of({table}):
                    seen = self._absorbed.get(kind)
                    if xid is None or seen is None or not seen.saw(xid):
                        kinds.add(kind)
        return frozenset(kinds)

    def close(self) -> None:
        """Stop watching; the listening connection closes now, or when ``wait`` returns."""
        super().close()
        if not self._waiting:
            self._close_listener()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                listener.close()
