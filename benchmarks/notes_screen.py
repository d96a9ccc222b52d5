"""The notes screen at scale, headless: start-up, key-to-frame, query-to-frame, memory.

    python benchmarks/notes_screen.py DB [--build N] [--user NAME] [--repeat 5]

``DB`` is a SQLite file with many notes (``crm-tui --db DB demo --notes 1000000``;
``--build N`` runs that when the file does not exist). Prints medians and p95 of:

* process start to first rows painted, next to a minimal Textual app's start to first frame;
* key to frame (the first frame with every visible row loaded) for down, page down, end,
  each key pressed at a random moment of the refresh cycle, as by hand; down and page
  down also back to back (each key sent as soon as the previous frame is out);
* new sort, filter and search to frame (the query set as the pickers set it);
* peak RSS of the measuring process.

A "frame" is a screen update as the compositor produces it (``App._display``, which
the headless driver does not write out). Figures only, plus a check against the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
TARGETS_MS = {
    "first rows": ("median", 500.0),
    "down": ("median", 16.0),
    "page down": ("median", 33.0),
    "end": ("median", 33.0),
    "sort": ("median", 60.0),
    "filter": ("median", 60.0),
    "search": ("median", 60.0),
}
RSS_TARGET_MB = 150.0
FRAME_PERIOD = 1 / 60
"""Seconds between two screen refreshes of Textual (its default 60 per second)."""
TIMEOUT = 20.0
"""Seconds to wait for one frame; a longer wait is reported as ``inf``."""


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- child processes: time to first frame ----------------------------------------------


def child_first_rows(database_path: str, user: str | None) -> None:
    """Open the app headless; print the wall-clock time of the first frame showing rows."""
    from crm_tui.db.database import connect
    from crm_tui.ui.app import CrmApp, share_gil_with_database_threads
    from crm_tui.ui.widgets.note_list import NoteTable

    share_gil_with_database_threads()  # as run_app does
    database = connect(database_path)
    app = CrmApp(database, _user(user))
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        tables = list(app.screen.query(NoteTable)) if app.screen else []
        if tables and _complete(tables[0]):
            print(f"FRAME {time.time():.6f}", flush=True)
            app.call_later(app.exit)  # not mid-frame: the first frame can come while mounting

    app._display = display  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)
    database.close()


def child_minimal() -> None:
    """A minimal Textual app: print the wall-clock time of its first frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Minimal()
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        if renderable is not None:
            print(f"FRAME {time.time():.6f}", flush=True)
            app.call_later(app.exit)  # not mid-frame: the first frame can come while mounting

    app._display = display  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


def start_times(args: list[str], repeat: int) -> tuple[list[float], float]:
    """Milliseconds from spawning ``args`` to its first frame; and its peak RSS in MB."""
    times: list[float] = []
    peak = 0.0
    for _ in range(repeat):
        started = time.time()
        done = subprocess.run(
            [sys.executable, __file__, *args], capture_output=True, text=True, check=True
        )
        frame = next(line for line in done.stdout.splitlines() if line.startswith("FRAME "))
        times.append((float(frame.split()[1]) - started) * 1000)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return times, peak


# --- in-process: key and query to frame ------------------------------------------------


async def workers_done(app) -> None:
    """Wait for the app's workers (one cancelled by a newer one counts as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


def _user(name: str | None):
    from crm_tui.domain.users import actor_for, list_users

    if name:
        return actor_for(name)
    users = list_users()
    return next((u for u in users if u.is_admin), users[0])


def _complete(table) -> bool:
    """Whether the table shows rows of its current query, none of them still loading."""
    if not table.loaded:
        return False
    rows = table.visible_rows()[: max(0, table.row_count - round(table.scroll_y))]
    return bool(rows) and all(row is not None for row in rows)


class FrameClock:
    """Records when frames are produced, and waits for one that satisfies a condition."""

    def __init__(self, app) -> None:
        self.app = app
        self.frames: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())

        app._display = display

    async def until(self, started: float, ready: Callable[[], bool]) -> float:
        """Milliseconds from ``started`` to the first frame after it where ``ready()``."""
        deadline = time.perf_counter() + TIMEOUT
        seen = len(self.frames)
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
            if len(self.frames) > seen:
                seen = len(self.frames)
                if ready():
                    return (self.frames[-1] - started) * 1000
        return float("inf")


async def measure_in_process(database_path: str, user: str | None, repeat: int) -> dict:
    """Key-to-frame and query-to-frame figures, in milliseconds."""
    from textual import events

    from crm_tui.db.database import connect
    from crm_tui.domain.query import Condition, NoteQuery, SortKey, variable_column
    from crm_tui.ui.app import CrmApp, share_gil_with_database_threads
    from crm_tui.ui.widgets.note_list import NoteTable

    share_gil_with_database_threads()  # as run_app does
    database = connect(database_path)
    app = CrmApp(database, _user(user))
    results: dict[str, list[float]] = {}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        clock = FrameClock(app)
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(NoteTable)
        while not _complete(table):
            await pilot.pause()
        await workers_done(app)  # count and checkpoints built

        pauses = random.Random(7)  # seeded: the same pauses on every run

        async def key(name: str, expect: Callable[[], bool], held: bool = False) -> float:
            """Key to frame. A key pressed by hand comes at any moment of Textual's
            refresh cycle (60 per second): wait a random 0-2 cycles first. Keys sent
            back to back (``held``), each as soon as the previous frame is out, all
            land at the same point of the cycle: a frame longer than one cycle then
            waits for the one after."""
            if not held:
                await asyncio.sleep(pauses.uniform(0, 2 * FRAME_PERIOD))
            started = time.perf_counter()
            app._driver.send_message(events.Key(name, None))  # type: ignore[union-attr]
            return await clock.until(started, lambda: expect() and _complete(table))

        async def query(new) -> float:
            started = time.perf_counter()
            screen.note_query = new
            return await clock.until(started, lambda: table.note_query == new and _complete(table))

        for held in (False, True):
            suffix = " (back-to-back)" if held else ""
            results["down" + suffix] = []
            for _ in range(repeat * 12):
                row = table.cursor_row
                results["down" + suffix].append(
                    await key("down", lambda row=row: table.cursor_row == row + 1, held)
                )
            results["page down" + suffix] = []
            for _ in range(repeat * 4):
                row = table.cursor_row
                results["page down" + suffix].append(
                    await key("pagedown", lambda row=row: table.cursor_row > row, held)
                )
        results["end"] = []
        for _ in range(repeat):
            table.reload()  # cold: only the first rows are loaded
            await workers_done(app)
            await pilot.pause()
            table.move_cursor(0)
            await pilot.pause()
            last = (table.count or 1) - 1
            results["end"].append(await key("end", lambda last=last: table.cursor_row == last))

        settings = app.session.settings  # type: ignore[attr-defined]
        dropdown = next((v for v in settings.active_variables if v.type == "dropdown"), None)
        dated = next((v for v in settings.active_variables if v.type == "date"), None)
        sorts = [NoteQuery(sort=(SortKey("status"),)), NoteQuery(sort=(SortKey("assignee"),))]
        if dropdown:
            sorts.append(NoteQuery(sort=(SortKey(variable_column(dropdown.id)),)))
        if dated:
            sorts.append(NoteQuery(sort=(SortKey(variable_column(dated.id), True),)))
        sorts.append(NoteQuery(sort=(SortKey("follow_up"),)))
        filters = [
            NoteQuery(conditions=(Condition("status", "=", status.id),))
            for status in settings.statuses[:3]
        ]
        filters.append(NoteQuery(conditions=(Condition("overdue", "=", True),)))
        if dropdown and dropdown.options:
            option = dropdown.options[0].id
            filters.append(
                NoteQuery(conditions=(Condition(variable_column(dropdown.id), "=", option),))
            )
        searches = [NoteQuery(search=word) for word in ("order", "sample", "catalogue", "price")]
        for label, queries in (("sort", sorts), ("filter", filters), ("search", searches)):
            results[label] = []
            for _ in range(repeat):
                for new in queries:
                    taken = await query(new)
                    results[label].append(taken)
                    if taken == float("inf"):
                        print(f"  {label}: no frame within {TIMEOUT:.0f} s for {new}")
                    await workers_done(app)  # its count, before the next
                await query(NoteQuery())
                await workers_done(app)
        # Last, as it may leave a long query running: sort by customer name.
        results["sort by customer"] = [await query(NoteQuery(sort=(SortKey("customer"),)))]
        results["rows held"] = [float(table.rows_held)]
    database.close()
    return results


# --- main -------------------------------------------------------------------------------


def _line(label: str, values: list[float], unit: str = "ms") -> str:
    median = statistics.median(values)
    p95 = percentile(values, 0.95)
    verdict = ""
    if label in TARGETS_MS:
        _which, target = TARGETS_MS[label]
        verdict = f"  target ≤ {target:.0f} {unit}: {'ok' if median <= target else 'MISSED'}"
    figures = f"median {median:8.1f} {unit}   p95 {p95:8.1f} {unit}   n={len(values)}"
    return f"{label:<22} {figures}{verdict}"


def main() -> int:
    """Parse arguments, build the database if asked, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?")
    parser.add_argument("--build", type=int, metavar="N", help="build DB with N demo notes")
    parser.add_argument("--user", help="user to open the app as (default: the first admin)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=("first-rows", "minimal"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "minimal":
        child_minimal()
        return 0
    if args.child == "first-rows":
        child_first_rows(args.database, args.user)
        return 0
    if not args.database:
        parser.error("the database path is required")
    path = Path(args.database)
    if not path.exists():
        if not args.build:
            parser.error(f"{path} does not exist (add --build 1000000 to make it)")
        subprocess.run(
            [sys.executable, "-m", "crm_tui", "--db", str(path), "--user", "bench", "demo",
             "--notes", str(args.build)],
            check=True,
        )  # fmt: skip
    user = ["--user", args.user] if args.user else []
    # An installed crm-tui has its bytecode compiled by pip; a work tree run with
    # PYTHONDONTWRITEBYTECODE=1 would compile every module at every start instead.
    compileall.compile_dir(ROOT / "crm_tui", quiet=1)
    minimal, _peak = start_times(["--child", "minimal"], args.repeat)
    first, child_peak = start_times(["--child", "first-rows", str(path), *user], args.repeat)
    print(f"database: {path}")
    print(_line("minimal Textual app", minimal))
    print(_line("first rows", first))
    extra = statistics.median(first) - statistics.median(minimal)
    print(f"{'  (over minimal app)':<22} median {extra:8.1f} ms")
    figures = asyncio.run(measure_in_process(str(path), args.user, args.repeat))
    held = figures.pop("rows held")
    for label, values in figures.items():
        print(_line(label, values))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if max(peak, child_peak) <= RSS_TARGET_MB else "MISSED"
    print(f"{'peak RSS':<22} {peak:8.1f} MB (measuring process), {child_peak:.1f} MB (start-up)"
          f"   target ≤ {RSS_TARGET_MB:.0f} MB: {verdict}")  # fmt: skip
    print(f"{'rows held by the list':<22} {held[0]:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
