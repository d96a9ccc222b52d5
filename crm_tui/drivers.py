"""Load the PostgreSQL driver only when a PostgreSQL database is opened.

Peewee imports psycopg when it is itself imported, which costs 150–300 ms of start-up on
every run, SQLite ones included. ``defer_postgres_driver`` (called by ``crm_tui/__init__``,
before anything imports peewee) hides psycopg from that first import; ``load_postgres_driver``
imports it and hands peewee exactly what its own import would have set.
"""

from __future__ import annotations

import sys


def defer_postgres_driver() -> None:
    """Import peewee and its migrator without psycopg, unless one of them is already imported.

    ``playhouse.migrate`` imports ``playhouse.postgres_ext``, which imports psycopg too; the
    parts of it that need psycopg (hstore) are not used by crm-tui.
    """
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # makes `import psycopg` fail
    try:
        import peewee  # noqa: F401
        import playhouse.migrate  # noqa: F401
    finally:
        if sys.modules.get("psycopg", 0) is None:
            del sys.modules["psycopg"]


def load_postgres_driver() -> None:
    """Give peewee the psycopg 3 driver, if installed; without it peewee says it is missing."""
    import peewee

    # peewee reads its driver from module globals set at its import; they are set here
    # by name because they are not part of peewee's typed interface.
    if getattr(peewee, "psycopg", None) is not None:
        return
    try:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb
    except ImportError:
        return
    for name, value in (
        ("psycopg", psycopg),
        ("TransactionStatus", TransactionStatus),
        ("Json_pg3", Json),
        ("Jsonb_pg3", Jsonb),
    ):
        setattr(peewee, name, value)
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
