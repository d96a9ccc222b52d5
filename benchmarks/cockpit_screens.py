"""The pipeline board and the charts at scale, headless: key to the first frame with data.

    python benchmarks/cockpit_screens.py DB [--user NAME] [--repeat 7]

``DB`` is a SQLite file (``crm-tui --db DB demo --notes 1000000``, or a copy of the 1M
demo; it migrates on open) or a PostgreSQL URL. For each screen, the app is opened on
the notes, then the screen's key (F7 board, F8 charts) is pressed; the time is taken
from the key to the first frame the screen shows its data (the board: every stage's
header and the cards in view; the charts: both charts drawn). Between two presses the
app goes back to the notes and the screen is thrown away, so every press builds the
screen and reads its data again, as the first visit does. Also: the board's left/right,
down and a filter change (key to frame). Medians and p95, against the target (250 ms).

A "frame" is a screen update as the compositor produces it (``App._display``, which the
headless driver does not write out).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
TARGET_MS = 250.0
FRAME_PERIOD = 1 / 60
TIMEOUT = 20.0


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class FrameClock:
    """Records when frames are produced, and waits for one that satisfies a condition."""

    def __init__(self, app) -> None:
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


def board_ready(app) -> bool:
    """The board shows its stages and every card in view of the current stage."""
    from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen

    screen = app.screen
    if not isinstance(screen, PipelineBoardScreen) or screen.data is None:
        return False
    cards = screen.current_cards
    if cards is None:
        return bool(screen.data.pipeline.stages) is False
    return all(row is not None for row in cards.visible_rows())


def first_chart_ready(app) -> bool:
    """The charts screen has drawn one of its charts (each comes as its figures do)."""
    from crm_tui.ui.screens.charts import ChartsScreen
    from crm_tui.ui.widgets.pipeline_charts import StackedChart

    screen = app.screen
    if not isinstance(screen, ChartsScreen) or screen.data is None:
        return False
    return any(chart.labels for chart in screen.query(StackedChart))


def charts_ready(app) -> bool:
    """The charts screen has drawn both charts."""
    from crm_tui.ui.screens.charts import ChartsScreen
    from crm_tui.ui.widgets.pipeline_charts import StackedChart

    screen = app.screen
    if not isinstance(screen, ChartsScreen) or screen.data is None:
        return False
    return all(chart.labels for chart in screen.query(StackedChart))


async def measure(database_url: str, user: str | None, repeat: int) -> dict[str, list[float]]:
    """Key-to-frame figures, in milliseconds."""
    from textual import events

    from crm_tui.db.database import connect
    from crm_tui.ui.app import CrmApp, share_gil_with_database_threads

    share_gil_with_database_threads()  # as run_app does
    database = connect(database_url)
    app = CrmApp(database, _user(user))
    results: dict[str, list[float]] = {}
    pauses = random.Random(7)
    async with app.run_test(headless=True, size=SIZE) as pilot:
        clock = FrameClock(app)
        await workers_done(app)
        await pilot.pause()

        async def press(key: str, ready: Callable[[], bool]) -> float:
            await asyncio.sleep(pauses.uniform(0, 2 * FRAME_PERIOD))  # any moment of a cycle
            started = time.perf_counter()
            app._driver.send_message(events.Key(key, None))  # type: ignore[union-attr]
            taken = await clock.until(started, ready)
            await workers_done(app)
            return taken

        async def back_to_notes(mode: str) -> None:
            await app.switch_mode("notes")
            await pilot.pause()
            await app.remove_mode(mode)  # the next press builds the screen again
            app.add_mode(mode, app_mode_screen(mode))
            await workers_done(app)
            await pilot.pause()

        for label, key, mode, ready in (
            ("board (F7)", "f7", "pipeline", board_ready),
            ("charts (F8), first chart", "f8", "charts", first_chart_ready),
            ("charts (F8), both charts", "f8", "charts", charts_ready),
        ):
            results[label] = []
            for _ in range(repeat):
                results[label].append(await press(key, lambda ready=ready: ready(app)))
                await back_to_notes(mode)

        await press("f7", lambda: board_ready(app))
        from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen

        board = app.screen
        assert isinstance(board, PipelineBoardScreen)
        results["board right/left"] = []
        for number in range(repeat * 2):
            key = "right" if number % 2 == 0 else "left"
            before = board.stage_index
            results["board right/left"].append(
                await press(key, lambda before=before: board.stage_index != before)
            )
        results["board down"] = []
        for _ in range(repeat * 3):
            cards = board.current_cards
            assert cards is not None
            row = cards.cursor_row
            results["board down"].append(
                await press(
                    "down",
                    lambda cards=cards, row=row: (
                        cards.cursor_row == row + 1
                        and all(r is not None for r in cards.visible_rows())
                    ),
                )
            )
        results["board filter (this quarter)"] = []
        from crm_tui.ui.screens.pipeline_board import Period

        for number in range(repeat):
            period = Period.QUARTER if number % 2 == 0 else Period.ANY
            started = time.perf_counter()
            board._set_period(period)
            results["board filter (this quarter)"].append(
                await clock.until(
                    started,
                    lambda period=period: (
                        board.period is period
                        and board.data is not None
                        and board.flt == board.data.flt
                        and board_ready(app)
                    ),
                )
            )
            await workers_done(app)
    database.close()
    return results


def app_mode_screen(mode: str):
    """The factory of ``mode``'s screen (as the app registers it)."""
    from crm_tui.ui.modes import DATA_MODES

    return DATA_MODES[mode]


def _line(label: str, values: list[float]) -> str:
    median = statistics.median(values)
    p95 = percentile(values, 0.95)
    verdict = f"  target ≤ {TARGET_MS:.0f} ms: {'ok' if median <= TARGET_MS else 'MISSED'}"
    return f"{label:<30} median {median:8.1f} ms   p95 {p95:8.1f} ms   n={len(values)}{verdict}"


def main() -> int:
    """Parse arguments, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--user", help="user to open the app as (default: the first admin)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    # A work tree run with PYTHONDONTWRITEBYTECODE=1 would compile the screens' modules at
    # their first opening (an installed crm-tui has its bytecode compiled by pip).
    compileall.compile_dir(ROOT / "crm_tui", quiet=1)
    results = asyncio.run(measure(args.database, args.user, args.repeat))
    for label, values in results.items():
        print(_line(label, values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
