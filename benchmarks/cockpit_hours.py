"""Hours-and-zones figures: what a call-now light and the callable filter cost.

    python benchmarks/cockpit_hours.py [--repeat 20000]

Times, as medians over rounds, the pure functions of ``crm_tui.domain.cockpit.hours``
on the demo's five French zones: one customer's ``is_open`` and ``call_light``, and
the whole time-zone variable's ``open_zone_options`` and ``local_time_order`` (what a
notes query does once per query). Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from crm_tui.domain.cockpit.hours import (
    call_light,
    is_open,
    known_zones,
    local_time_order,
    open_zone_options,
)
from crm_tui.domain.demo import TIME_ZONES_FR
from crm_tui.records import Badge, BusinessHours, Settings, VariableInfo

NOW = dt.datetime(2027, 3, 15, 15, 30)  # a Monday, UTC


def _median_us(call: Callable[[], object], repeat: int, rounds: int = 7) -> float:
    """The median over ``rounds`` of one call's time, in microseconds."""
    figures = []
    for _round in range(rounds):
        started = time.perf_counter()
        for _index in range(repeat):
            call()
        figures.append((time.perf_counter() - started) / repeat * 1e6)
    return statistics.median(figures)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    known_zones()
    loaded_ms = (time.perf_counter() - started) * 1e3
    print(f"{'zone names loaded (first check only)':<44} {loaded_ms:8.1f} ms")
    options = tuple(
        Badge(index, "option", name, short, font, background, time_zone=zone)
        for index, (name, short, font, background, zone) in enumerate(TIME_ZONES_FR, 1)
    )
    settings = Settings(
        variables=(VariableInfo(1, "Fuseau horaire", "dropdown", 0, options=options),),
        business_hours=BusinessHours(),
    )
    hours = settings.business_hours
    figures = {
        "is_open (one customer)": lambda: is_open("America/Toronto", hours, NOW),
        "call_light (one customer)": lambda: call_light("America/Toronto", hours, NOW),
        "open_zone_options (5 zones)": lambda: open_zone_options(settings, NOW),
        "local_time_order (5 zones)": lambda: local_time_order(settings, NOW),
    }
    for label, call in figures.items():
        print(f"{label:<44} {_median_us(call, args.repeat):8.1f} µs")


if __name__ == "__main__":
    main()
