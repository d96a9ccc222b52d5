"""What the UI needs of the database connection, without reaching storage itself.

The domain's functions use the database the models are bound to (``crm_tui.db``); the
UI only hands the opened database on (``Database``), closes the connection a worker
thread opened (``close_thread_connection``), and says what a database error was
(``DatabaseError``, or a refusal in the user's words: ``refusing_database_errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import peewee

from crm_tui.db.models import database_proxy
from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _

T = TypeVar("T")

Database = peewee.Database
"""An opened database (SQLite or PostgreSQL), as ``crm_tui.db.database.connect`` returns it."""

DatabaseError = peewee.DatabaseError
"""What the database raises when it refuses or fails a statement (not a domain refusal)."""


def close_thread_connection() -> None:
    """Close the connection the current thread opened, if any (each thread has its own)."""
    if database_proxy.obj is not None and not database_proxy.is_closed():
        database_proxy.close()


def refusing_database_errors(call: Callable[[], T]) -> T:
    """``call()``; a database error is raised as a ``DomainError`` saying so, which screens
    show like any refusal."""
    try:
        return call()
    except DatabaseError as error:
        raise DomainError(_("database error: {error}").format(error=error)) from error
