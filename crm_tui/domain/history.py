"""The change history: who changed what, when, old → new."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable

from peewee import JOIN

from crm_tui import clock
from crm_tui.db.models import Change, User
from crm_tui.i18n import _
from crm_tui.records import ChangeInfo, UserInfo

_last_batch = 0
_batch_lock = threading.Lock()


def new_batch() -> int:
    """A fresh id grouping the changes of one user action (one undo step).

    Microseconds since 1970, bumped when needed so that this process never hands out
    the same batch twice, even for actions within one microsecond.
    """
    global _last_batch
    with _batch_lock:
        _last_batch = max(time.time_ns() // 1000, _last_batch + 1)
        return _last_batch


def now() -> dt.datetime:
    """The current time in UTC (naive, as every timestamp is stored), to the second."""
    return clock.utc_now()


def record(
    actor: UserInfo | None,
    entity: str,
    entity_id: int,
    changes: Iterable[tuple[str, object, object]],
    batch: int | None = None,
) -> int:
    """Write one history line per ``(field, old, new)`` whose values differ; return the batch."""
    batch = batch if batch is not None else new_batch()
    at = now()
    rows = [
        {
            "at": at,
            "user": actor.id if actor else None,
            "batch": batch,
            "entity": entity,
            "entity_id": entity_id,
            "field": field,
            "old": history_text(old),
            "new": history_text(new),
        }
        for field, old, new in changes
        if history_text(old) != history_text(new)
    ]
    if rows:
        Change.insert_many(rows).execute()
    return batch


def history_text(value: object) -> str | None:
    """``value`` as a history line stores it: ``None`` for blank, yes/no, ISO dates, text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def history_of(entity: str, entity_id: int, limit: int = 500) -> list[ChangeInfo]:
    """The changes of one record, newest first."""
    query = (
        Change.select(Change, User.name)
        .join(User, on=(Change.user == User.id), join_type=JOIN.LEFT_OUTER)
        .where((Change.entity == entity) & (Change.entity_id == entity_id))
        .order_by(Change.id.desc())
        .limit(limit)
        .tuples()
    )
    return [_info(row) for row in query]


def history_of_kind(entities: tuple[str, ...], limit: int = 500) -> list[ChangeInfo]:
    """The latest changes to any record of these kinds (e.g. the settings), newest first."""
    query = (
        Change.select(Change, User.name)
        .join(User, on=(Change.user == User.id), join_type=JOIN.LEFT_OUTER)
        .where(Change.entity.in_(entities))
        .order_by(Change.id.desc())
        .limit(limit)
        .tuples()
    )
    return [_info(row) for row in query]


def _info(row) -> ChangeInfo:
    (change_id, at, _user_id, batch, entity, entity_id, field, old, new, user_name) = row
    return ChangeInfo(
        id=change_id,
        at=at,
        user=user_name or "",
        entity=entity,
        entity_id=entity_id,
        field=field,
        old=old,
        new=new,
        batch=batch,
    )
