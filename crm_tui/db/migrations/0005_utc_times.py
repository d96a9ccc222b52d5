"""Version 5: every timestamp in UTC, and note ids from the UTC second.

Until now each writer stored its own wall-clock time (naive local time), and a note's id
encoded that local second. This migration reads the existing times as local times of the
zone of the machine running it (``TZ``, else the system's), shifts them to UTC (each hour
by the offset then in force, so summer and winter times both come right) and renumbers
the notes to the UTC second of their ids, keeping their sequence in the second, so that
"newest first" (``id DESC``) stays right next to the notes written after it. The
references follow: values, full-text search, history lines and the creation time kept
by a deletion for its undo. If renumbering would make two notes share an id (ids that
never matched their creation second), ids are kept as they are: still in order.

It tells which zone it read the times in (``crm_tui.db.schema.NOTICES``); an empty
database has nothing to convert and says nothing.
"""

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from peewee import SqliteDatabase

SEQUENCE_BITS = 20
EPOCH = dt.datetime(1970, 1, 1)
HOUR = dt.timedelta(hours=1)
STAMPS = (
    ("user", "created_at"),
    ("customer", "created_at"),
    ("note", "created_at"),
    ("note", "updated_at"),
    ("change", "at"),
)


def _offset(local_hour):
    """Seconds the local zone is ahead of UTC at this local time (0 beyond the calendar)."""
    try:
        utc = local_hour.astimezone().astimezone(dt.UTC).replace(tzinfo=None)
    except (OverflowError, ValueError, OSError):
        return 0
    return int((local_hour - utc).total_seconds())


def _stamp_hours(db, sqlite, table, column):
    """The local hours (naive ``datetime``) that the column's times fall in."""
    if sqlite:
        rows = db.execute_sql(f'SELECT DISTINCT substr({column}, 1, 13) FROM "{table}"')
        hours = set()
        for (text,) in rows.fetchall():
            try:
                hours.add(dt.datetime.fromisoformat(f"{text}:00"))
            except (TypeError, ValueError):
                continue
        return hours
    rows = db.execute_sql(f"SELECT DISTINCT date_trunc('hour', {column}) FROM \"{table}\"")
    return {hour for (hour,) in rows.fetchall() if hour is not None}


def _id_hours(db):
    """The local hours encoded in note ids (of notes, and of deleted notes' history)."""
    hours = set()
    for sql in (
        f"SELECT DISTINCT (id >> {SEQUENCE_BITS}) / 3600 FROM note",
        f'SELECT DISTINCT (entity_id >> {SEQUENCE_BITS}) / 3600 FROM "change"'
        " WHERE entity = 'note'",
    ):
        for (number,) in db.execute_sql(sql).fetchall():
            try:
                hours.add(EPOCH + int(number) * HOUR)
            except OverflowError:
                continue
    return hours


def _runs(hours: Iterable[dt.datetime]) -> list[tuple[dt.datetime, int]]:
    """``[(first local hour, offset seconds)]``: a run lasts until the next one starts."""
    runs: list[tuple[dt.datetime, int]] = []
    for hour in sorted(hours):
        offset = _offset(hour)
        if not runs or runs[-1][1] != offset:
            runs.append((hour, offset))
    return runs


def _stamp_literal(sqlite, moment):
    text = moment.isoformat(sep=" ")
    return f"'{text}'" if sqlite else f"TIMESTAMP '{text}'"


def _shifted_stamp(sqlite, column, runs):
    """SQL for the column's time in UTC: each run's times minus that run's offset."""

    def shifted(offset):
        if offset == 0:
            return column
        if sqlite:
            return f"datetime({column}, '{-offset} seconds')"
        return f"({column} - INTERVAL '{offset} seconds')"

    cases = [
        f"WHEN {column} < {_stamp_literal(sqlite, runs[index + 1][0])} THEN {shifted(offset)}"
        for index, (_hour, offset) in enumerate(runs[:-1])
    ]
    return (
        f"CASE {' '.join(cases)} ELSE {shifted(runs[-1][1])} END" if cases else shifted(runs[-1][1])
    )


def _renumbered(column, runs):
    """SQL for a note id renumbered to its UTC second, keeping its sequence."""

    def first_id(hour):
        return int((hour - EPOCH).total_seconds()) << SEQUENCE_BITS

    cases = [
        f"WHEN {column} < {first_id(runs[index + 1][0])} THEN {offset << SEQUENCE_BITS}"
        for index, (_hour, offset) in enumerate(runs[:-1])
    ]
    last = runs[-1][1] << SEQUENCE_BITS
    shift = f"CASE {' '.join(cases)} ELSE {last} END" if cases else str(last)
    return f"({column} - ({shift}))"


def _convert_snapshots(db, sqlite):
    """The creation times a deletion keeps for its undo (ISO text in the history)."""
    param = "?" if sqlite else "%s"
    rows = db.execute_sql(
        "SELECT id, old FROM \"change\" WHERE entity = 'note' AND field = 'created_at'"
        " AND old IS NOT NULL"
    ).fetchall()
    for change_id, text in rows:
        try:
            local = dt.datetime.fromisoformat(text)
        except (TypeError, ValueError):
            continue
        utc = local - dt.timedelta(seconds=_offset(local))
        db.execute_sql(
            f'UPDATE "change" SET old = {param} WHERE id = {param}',
            (utc.isoformat(timespec="seconds"), change_id),
        )


def _references_to_notes(db):
    """PostgreSQL: the foreign keys that point at ``note.id``, as ``(table, name, definition)``."""
    return db.execute_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND confrelid = 'note'::regclass"
    ).fetchall()


def _renumber_notes(db, sqlite, runs):
    """Note ids to the UTC second, with every reference; returns whether it did."""
    new_id = _renumbered("id", runs)
    total, distinct = db.execute_sql(
        f"SELECT COUNT(*), COUNT(DISTINCT {new_id}) FROM note"
    ).fetchone()
    if total != distinct:
        return False
    references = []
    if sqlite:
        db.execute_sql("PRAGMA defer_foreign_keys = ON")  # checked at commit, all moved by then
    else:
        references = _references_to_notes(db)
        for table, name, _definition in references:
            db.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    # Through negative ids: unique keys are checked row by row, and a new id may still be
    # an old id of another note.
    moves = [("note", "id"), ("note_value", "note_id")]
    if not sqlite:
        moves.append(("note_search", "note_id"))
    for table, column in moves:
        db.execute_sql(f'UPDATE "{table}" SET {column} = -{_renumbered(column, runs)}')
        db.execute_sql(f'UPDATE "{table}" SET {column} = -{column}')
    db.execute_sql(
        f"UPDATE \"change\" SET entity_id = {_renumbered('entity_id', runs)} WHERE entity = 'note'"
    )
    if sqlite:
        db.execute_sql("INSERT INTO note_fts (note_fts) VALUES ('rebuild')")
    for table, name, definition in references:
        db.execute_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return True


def zone_description(moment=None):
    """The local zone as people name it: ``Europe/Paris (UTC+01:00)`` (the offset now)."""
    aware = (moment or dt.datetime.now(dt.UTC)).astimezone()
    offset = aware.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    name = _zone_name() or aware.tzname() or ""
    text = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{name} ({text})" if name else text


def _zone_name():
    zone = os.environ.get("TZ", "").strip().lstrip(":")
    if zone and not zone.startswith("/"):
        return zone
    try:
        target = str(Path(zone or "/etc/localtime").resolve())
    except OSError:
        return zone
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""


def up(migrator, db):
    from crm_tui.db.schema import NOTICES
    from crm_tui.i18n import _

    sqlite = isinstance(db, SqliteDatabase)
    stamp_hours = set()
    for table, column in STAMPS:
        stamp_hours |= _stamp_hours(db, sqlite, table, column)
    id_hours = _id_hours(db)
    if not stamp_hours and not id_hours:
        return  # a new database: nothing to convert, nothing to say
    stamp_runs = _runs(stamp_hours)
    if any(offset for _hour, offset in stamp_runs):
        for table, column in STAMPS:
            shifted = _shifted_stamp(sqlite, column, stamp_runs)
            db.execute_sql(f'UPDATE "{table}" SET {column} = {shifted}')
        _convert_snapshots(db, sqlite)
    id_runs = _runs(id_hours)
    if id_runs and any(offset for _hour, offset in id_runs):
        _renumber_notes(db, sqlite, id_runs)
    NOTICES.append(_("Converted times to UTC from the zone {zone}").format(zone=zone_description()))
