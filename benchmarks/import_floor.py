"""The SQLite work a notes import cannot skip, without any parsing: index builds and search.

    python benchmarks/import_floor.py DB [--repeat 3]

``DB`` is a SQLite file holding notes (say, a new database after ``crm-tui import notes``
of 100,000 lines). It is copied into memory, so the disk plays no part; then, for the
``note`` and ``note_value`` indexes the notes list walks (every sort and filter has one),
each is dropped and built again, and the full-text index is rebuilt. Prints the medians,
per 100,000 notes, and the import rate those alone would allow: an upper bound for any
import that keeps the indexes, however fast its parsing and inserts.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time


def _indexes(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    return connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('note', 'note_value') ORDER BY name"
    ).fetchall()


def measure(path: str) -> tuple[int, int, float, float]:
    """Notes, values, seconds to build every list index, seconds to rebuild search."""
    memory = sqlite3.connect(":memory:")
    with sqlite3.connect(path) as source:
        source.backup(memory)
    memory.execute("PRAGMA cache_size = -1000000")
    notes = memory.execute("SELECT COUNT(*) FROM note").fetchone()[0]
    values = memory.execute("SELECT COUNT(*) FROM note_value").fetchone()[0]
    indexes = _indexes(memory)
    for name, _sql in indexes:
        memory.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    for _name, sql in indexes:
        memory.execute(sql)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    memory.execute("INSERT INTO note_fts (note_fts) VALUES ('rebuild')")
    search_seconds = time.perf_counter() - started
    memory.close()
    return notes, values, index_seconds, search_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [measure(args.database) for _ in range(args.repeat)]
    notes, values = runs[0][0], runs[0][1]
    index = statistics.median(run[2] for run in runs)
    search = statistics.median(run[3] for run in runs)
    with sqlite3.connect(args.database) as connection:
        count = len(_indexes(connection))
    per = 100_000 / max(notes, 1)
    print(f"database: {args.database} ({notes:,} notes, {values:,} values), SQLite "
          f"{sqlite3.sqlite_version}, in memory, median of {args.repeat}")  # fmt: skip
    print(f"build the {count} list indexes   {index * per:6.2f} s per 100,000 notes")
    print(f"rebuild full-text search      {search * per:6.2f} s per 100,000 notes")
    bound = notes / (index + search)
    print(f"import rate these alone allow {bound:9,.0f} notes/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
