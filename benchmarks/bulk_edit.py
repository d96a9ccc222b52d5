"""Bulk-edit figures: one field on 100,000 notes, its undo and its redo.

    python benchmarks/bulk_edit.py [--notes 100000] [--db URL]

Builds a throwaway database (a SQLite file in a temporary folder, or the PostgreSQL
database ``--db`` names, which is wiped first), inserts the notes with one statement,
then times: a status on every note of a query, the same by marked ids, a variable value,
and the undo and redo of the last one. Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from crm_tui.db.database import connect, is_sqlite
from crm_tui.domain.bulk_edit import bulk_edit, marked_ids, watermark
from crm_tui.domain.query import Condition, NoteQuery, variable_column
from crm_tui.domain.settings import load_settings
from crm_tui.domain.undo import redo, undo


def _timed(label: str, call) -> object:
    started = time.perf_counter()
    result = call()
    print(f"{label:<42} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--db", default="", help="a PostgreSQL URL (wiped); default SQLite")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root), str(root / "tests" / "unit")]  # the tests' data builders
    from tests.conftest import reset_postgres
    from tests.ui.conftest import build_world
    from tests.unit.test_bulk_edit import insert_many_notes

    if args.db:
        reset_postgres(args.db)
        database = connect(args.db)
    else:
        database = connect(str(Path(tempfile.mkdtemp()) / "bulk.sqlite3"))
    world = build_world(database)
    engine = "SQLite" if is_sqlite(database) else "PostgreSQL"
    print(f"{args.notes:,} notes on {engine}")
    _timed(
        "insert the notes (one statement)", lambda: insert_many_notes(database, world, args.notes)
    )
    query = NoteQuery(conditions=(Condition("created_at", "<", dt.date(2021, 1, 1)),))
    result = _timed(
        "status on every note of a query",
        lambda: bulk_edit(world.ana, query, "status", "Done", since=watermark()),
    )
    print(f"  changed {result.changed:,}")  # type: ignore[attr-defined]
    ids = _timed(
        "collect the ids (mark all)", lambda: marked_ids(query, load_settings(), dt.date.today())
    )
    _timed(
        "status on the marked ids",
        lambda: bulk_edit(world.ana, ids, "status", "Client", since=watermark()),  # type: ignore[arg-type]
    )
    zone = variable_column(world.variable_id("Time zone"))
    _timed(
        "dropdown value on every note of a query", lambda: bulk_edit(world.ana, query, zone, "PST")
    )
    _timed("undo the last bulk edit", lambda: undo(world.ana))
    _timed("redo it", lambda: redo(world.ana))
    database.close()


if __name__ == "__main__":
    main()
