"""Notes-query figures at scale: first page through the domain vs the same SQL run bare.

    python benchmarks/queries.py [--notes 1000000] [--db PATH] [--repeat 30]

Builds (once, then reuses) a demo database with ``crm-tui demo``, then prints for each sort
kind, a filter plus sort, and a search: the median and p95 time of the domain's first page
(100 rows, values included) and of the very statements it ran, executed bare through
``sqlite3``, and their ratio. Also prints the demo build time and the CSV import rate.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PAGE = 100


def _crm(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "crm_tui", *args], check=True)


def build(path: Path, notes: int) -> float | None:
    """Build the demo database unless it exists; returns the build time (from a sidecar)."""
    sidecar = path.with_suffix(".build.json")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        _crm("--db", str(path), "--user", "bench", "demo", "--notes", str(notes))
        seconds = time.perf_counter() - started
        sidecar.write_text(json.dumps({"notes": notes, "seconds": seconds}))
    if sidecar.exists():
        return json.loads(sidecar.read_text())["seconds"]
    return None


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(label: str, build_list, database, raw: sqlite3.Connection, repeat: int) -> dict:
    """Time the domain's first page and the same statements bare."""
    statements: list[tuple[str, tuple]] = []
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        rows = build_list().page(limit=PAGE).rows
    finally:
        database.execute_sql = original
    domain_ms: list[float] = []
    bare_ms: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        build_list().page(limit=PAGE)
        domain_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for sql, params in statements:
            raw.execute(sql, params).fetchall()
        bare_ms.append((time.perf_counter() - started) * 1000)
    domain, bare = statistics.median(domain_ms), statistics.median(bare_ms)
    return {
        "case": label,
        "rows": len(rows),
        "statements": len(statements),
        "domain_ms": domain,
        "domain_p95_ms": percentile(domain_ms, 0.95),
        "bare_ms": bare,
        "ratio": domain / bare if bare else float("nan"),
    }


def import_rate(source: Path, count: int) -> float:
    """Notes per second of ``crm-tui import notes`` for ``count`` notes exported from the demo."""
    from crm_tui.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "settings.json"
        notes_csv = Path(tmp) / "notes.csv"
        target = Path(tmp) / "import.sqlite3"
        reader = _admin(source)  # the source's own admin: "bench" only exists if it built it
        main(["--db", str(source), "--user", reader, "settings", "export", str(settings)])
        main(
            [
                "--db",
                str(source),
                "--user",
                reader,
                "export",
                "notes",
                "--limit",
                str(count),
                "--output",
                str(notes_csv),
            ]
        )
        main(["--db", str(target), "--user", "bench", "settings", "import", str(settings)])
        for user in _users(source):
            main(["--db", str(target), "--user", "bench", "users", "add", user])
        started = time.perf_counter()
        code = main(["--db", str(target), "--user", "bench", "import", "notes", str(notes_csv)])
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"import failed with exit code {code}")
    return count / seconds


def _admin(source: Path) -> str:
    with sqlite3.connect(source) as connection:
        row = connection.execute(
            "SELECT name FROM user WHERE role = 'admin' AND active ORDER BY id LIMIT 1"
        ).fetchone()
    if row is None:
        raise SystemExit(f"{source} has no active admin to export with")
    return row[0]


def _users(source: Path) -> list[str]:
    with sqlite3.connect(source) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM user")]
    return [name for name in names if name != "bench"]


def main() -> None:
    """Build or reuse the database, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--import-notes", type=int, default=100_000)
    args = parser.parse_args()
    path = args.db or DATA / f"demo-{args.notes}.sqlite3"
    build_seconds = build(path, args.notes)

    from crm_tui.db.database import connect
    from crm_tui.domain.query import NotePager, NoteQuery, parse_condition, parse_sort
    from crm_tui.domain.settings import load_settings

    database = connect(str(path))
    settings = load_settings()
    today = dt.date.today()
    raw = sqlite3.connect(path)
    status = settings.statuses[0].name

    def listing(sort: str = "", where: str = "", search: str = ""):
        query = NoteQuery(
            sort=parse_sort(sort, settings) if sort else (),
            conditions=(parse_condition(where, settings, today),) if where else (),
            search=search,
        )
        return lambda: NotePager(query, settings, today)

    cases = [
        ("newest first (no sort)", listing()),
        ("sort date: Estimated close date", listing("Estimated close date")),
        ("sort date desc: -Estimated close date", listing("-Estimated close date")),
        ("sort dropdown: Time zone", listing("Time zone")),
        ("sort currency: -Deal value", listing("-Deal value")),
        ("sort number: Employees", listing("Employees")),
        ("sort text: Segment", listing("Segment")),
        ("sort customer", listing("customer")),
        ("sort created (oldest first)", listing("created_at")),
        ("sort status", listing("status")),
        ("sort follow-up", listing("follow_up")),
        (
            f"filter status={status} + sort date",
            listing("Estimated close date", f"status={status}"),
        ),
        ("filter Time zone=EST + sort -Deal value", listing("-Deal value", "Time zone=EST")),
        ("two keys: Time zone, -Estimated close date", listing("Time zone,-Estimated close date")),
        ("search 'sample' (newest first)", listing(search="sample")),
        ("search 'echantillon' + sort date", listing("Estimated close date", search="echantillon")),
    ]
    notes = raw.execute("SELECT count(*) FROM note").fetchone()[0]
    print(f"database: {path} ({notes:,} notes)")
    if build_seconds is not None:
        print(f"demo build: {build_seconds:.1f} s")
    print(f"{'case':48} {'domain ms':>10} {'p95':>7} {'bare ms':>8} {'ratio':>6} stmts")
    for label, build_list in cases:
        result = measure(label, build_list, database, raw, args.repeat)
        print(
            f"{result['case']:48} {result['domain_ms']:10.2f} {result['domain_p95_ms']:7.2f} "
            f"{result['bare_ms']:8.2f} {result['ratio']:6.2f} {result['statements']:5d}"
        )
    if args.import_notes:
        rate = import_rate(path, min(args.import_notes, notes))
        print(f"CSV import: {rate:,.0f} notes/s ({min(args.import_notes, notes):,} notes)")


if __name__ == "__main__":
    main()
