"""The Local column's cost where it is paid: painting rows (no database, no terminal).

    python benchmarks/local_column.py [--rows 40] [--repeat 2000]

Paints a screenful of note rows (each a different customer, spread over the demo's
zones) with the notes list's ``RowPainter``, with and without the Local column, and
prints the medians per screenful: the column's cost on key to frame (a key repaints at
most a screenful). Also the first screenful of a new minute (every zone worked out
again: ``LocalClock`` keeps one answer per zone and minute). Figures only.

Key to frame on a real list: ``benchmarks/notes_screen.py DB`` on a demo database with
zones (down and page down medians), before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.style import Style  # noqa: E402

from crm_tui.records import Badge, NoteRow, Settings, VariableInfo  # noqa: E402
from crm_tui.ui.widgets.call_light import LightStyles, LocalClock  # noqa: E402
from crm_tui.ui.widgets.note_list.columns import (  # noqa: E402
    PaintStyles,
    RowPainter,
    TableLayout,
)

ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Kolkata",
)


def settings() -> Settings:
    """Statuses, actions and a time-zone dropdown whose options carry the zones."""
    statuses = tuple(
        Badge(i, "status", f"Status {i}", f"S{i}", "#000000", "#FFFFFF") for i in range(1, 8)
    )
    actions = tuple(
        Badge(10 + i, "action", f"Action {i}", f"A{i}", "#FFFFFF", "#000000") for i in range(1, 8)
    )
    options = tuple(
        Badge(100 + i, "option", zone.split("/")[1][:8], f"Z{i}", "#000000", "#FFFFFF",
              time_zone=zone)
        for i, zone in enumerate(ZONES)
    )  # fmt: skip
    zone = VariableInfo(1, "Time zone", "dropdown", 0, options=options)
    return Settings(statuses=statuses, actions=actions, variables=(zone,))


def rows(count: int) -> list[NoteRow]:
    """``count`` notes, each about another customer, zones in turn."""
    made = dt.datetime(2026, 11, 30, 9, 0)
    return [
        NoteRow(
            n,
            made,
            n,
            f"Customer {n:05d}",
            11 + n % 7,
            1 + n % 7,
            None,
            "ana",
            dt.date(2026, 12, 1),
            f"Note {n}: call about the order",
            zone=ZONES[n % len(ZONES)],
        )
        for n in range(count)
    ]


def paint_ms(painter: RowPainter, screen: list[NoteRow], repeat: int) -> list[float]:
    """Milliseconds to paint ``screen`` once, ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for row in screen:
            painter.row(row)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2000)
    options = parser.parse_args()
    config = settings()
    plain = Style()
    styles = PaintStyles(plain, plain, plain, plain, plain, plain, LightStyles(plain, plain, plain))
    screen = rows(options.rows)
    today = dt.date(2026, 11, 30)
    figures: dict[str, list[float]] = {}
    for name, hidden in (("without Local", ["local_time"]), ("with Local", [])):
        layout = TableLayout.build(config, hidden, 120)
        painter = RowPainter(layout, config, today, styles)
        paint_ms(painter, screen, 50)  # warm: badge cells, zone answers
        figures[name] = paint_ms(painter, screen, options.repeat)
    layout = TableLayout.build(config, [], 120)
    new_minute = []
    for _ in range(min(options.repeat, 500)):
        painter = RowPainter(layout, config, today, styles, LocalClock(config.business_hours))
        new_minute.extend(paint_ms(painter, screen, 1))
    figures["with Local, first screenful of a minute"] = new_minute
    print(f"a screenful of {options.rows} rows, 120 columns, medians of {options.repeat}:")
    for name, times in figures.items():
        print(f"  {name:42} {statistics.median(times):7.3f} ms")
    cost = statistics.median(figures["with Local"]) - statistics.median(figures["without Local"])
    print(f"  the column's cost per screenful          {cost:7.3f} ms")


if __name__ == "__main__":
    main()
