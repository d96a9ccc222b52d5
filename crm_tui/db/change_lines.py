"""Raw reads of the history (``change`` table) where peewee's rows would cost too much."""

from __future__ import annotations

from collections.abc import Sequence

import peewee

from crm_tui.db.database import is_sqlite

ChangeLine = tuple[str, int, str, str | None, str | None]
"""``(entity, entity_id, field, old, new)`` of one history line."""


def batch_lines(
    database: peewee.Database,
    user_id: int,
    lower: int,
    last_id: int,
    batch: int,
    entities: Sequence[str],
) -> list[ChangeLine]:
    """The lines of one history batch of ``user_id`` with ids in ``(lower, last_id]`` about
    ``entities``, oldest first (read raw: a bulk edit's batch may have many)."""
    kinds = ", ".join(f"'{kind}'" for kind in entities)
    sql = (
        'SELECT entity, entity_id, field, old, new FROM "change" WHERE user_id = ?'
        f" AND id > ? AND id <= ? AND batch = ? AND entity IN ({kinds}) ORDER BY id"
    )
    if not is_sqlite(database):
        sql = sql.replace("?", "%s")
    cursor = database.execute_sql(sql, (user_id, lower, last_id, batch))
    return [(row[0], row[1], row[2], row[3], row[4]) for row in cursor.fetchall()]
