"""My day and the callable filter at scale: first page through the domain vs bare SQL.

    python benchmarks/cockpit_agenda.py DB [--user NAME] [--repeat 50]

``DB`` is a demo database (SQLite file or ``postgresql://`` URL) with many notes, e.g. a
copy of ``/work/bench/demo1m.sqlite3`` (opening it migrates it: copy it first). When the
time-zone options of the demo carry no zone yet, they get the demo's (EST Toronto, CST
Chicago, MST Denver, PST Los Angeles) and the customers' zones are set from them.

For two instants of the last weekday (one zone open, then two), prints the median and
p95 of:

* My day's first page: a user's overdue notes whose customer is callable now, follow-up
  ascending, newest first (``section_pagers``'s first pager, 100 rows with their values);
* the callable filter's first page: every note whose customer is callable now, newest
  first (``--where callable=yes``, 100 rows with their values);

each next to (a) the very statements the domain ran, executed bare on the DB-API cursor,
and (b) a hand-written SQL of the same rows (joins, the planner's choice), with the
ratios; then ``load_my_day`` (a week, with its counts) and each query plan (SQLite).
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = 100
DEMO_ZONES = {
    "est": "America/Toronto",
    "cst": "America/Chicago",
    "mst": "America/Denver",
    "pst": "America/Los_Angeles",
}
ROW_SQL = (
    "SELECT n.id, n.created_at, n.customer_id, c.name, n.action_id, n.status_id,"
    " n.assignee_id, u.name, n.follow_up, substr(n.body, 1, 200), s.zone_option_id"
    " FROM note n JOIN customer_state s ON s.customer_id = n.customer_id"
    " JOIN customer c ON c.id = n.customer_id"
    ' LEFT JOIN "user" u ON u.id = n.assignee_id'
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(runs: Sequence[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Milliseconds of each of ``repeat`` rounds of ``runs``, interleaved (one warm-up
    round first): on a busy machine each gets the same share of the noise."""
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for index, run in enumerate(runs):
            started = time.perf_counter()
            run()
            times[index].append((time.perf_counter() - started) * 1000)
    return times


def prepare_zones(database: Any) -> None:
    """Give the demo's time-zone options their zones, and the customers theirs, if none."""
    from crm_tui.db.models import Option
    from crm_tui.domain.settings import load_settings
    from crm_tui.domain.text import fold

    settings = load_settings()
    if settings.time_zone_variable() is None:
        variable = next(v for v in settings.variables if v.type == "dropdown")
        for option in variable.options:
            zone = DEMO_ZONES.get(fold(option.name))
            if zone:
                Option.update(time_zone=zone).where(Option.id == option.id).execute()
    if not any(status.done for status in settings.statuses):  # as the demo marks it
        from crm_tui.db.models import Status

        Status.update(done=True).where(Status.name_key.in_(["done", "termine"])).execute()
    zoned = database.execute_sql(
        "SELECT COUNT(*) FROM customer_state WHERE zone_option_id IS NOT NULL"
    ).fetchone()[0]
    if not zoned:
        from crm_tui.db.customer_state import sync_zones

        with database.atomic():
            sync_zones(database)


def last_weekday(today: dt.date) -> dt.date:
    day = today
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


class Recorder:
    """Records the statements the domain runs (to run them bare afterwards)."""

    def __init__(self, database: Any) -> None:
        self.database = database
        self.statements: list[tuple[str, tuple]] = []
        self.original = database.execute_sql

    def __enter__(self) -> Recorder:
        def recording(sql, params=None, *args, **kwargs):
            self.statements.append((sql, tuple(params or ())))
            return self.original(sql, params, *args, **kwargs)

        self.database.execute_sql = recording
        return self

    def __exit__(self, *exc: object) -> None:
        self.database.execute_sql = self.original


def bare(database: Any, statements: Sequence[tuple[str, tuple]]) -> Callable[[], None]:
    """Run ``statements`` on the DB-API cursor, fetching every row."""

    def run() -> None:
        cursor = database.cursor()
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def hand_written(database: Any, sql: str, params: Sequence[object]) -> Callable[[], None]:
    """The page's rows by ``sql`` (the planner's choice), then their values, bare."""
    from crm_tui.db.database import is_sqlite

    mark = "?" if is_sqlite(database) else "%s"
    sql = sql if mark == "?" else sql.replace("?", "%s")

    def run() -> None:
        cursor = database.cursor()
        cursor.execute(sql, tuple(params))
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            marks = ", ".join([mark] * len(ids))
            cursor.execute(
                "SELECT note_id, variable_id, value_text, value_num, value_cents, value_date,"
                f" option_id FROM note_value WHERE note_id IN ({marks})",
                ids,
            )
            cursor.fetchall()

    return run


def report(label: str, domain: list[float], ran: list[float], hand: list[float]) -> None:
    median = statistics.median(domain)
    ran_median, hand_median = statistics.median(ran), statistics.median(hand)
    print(
        f"{label:44} {median:8.2f} {percentile(domain, 0.95):7.2f}"
        f" {ran_median:8.2f} {median / ran_median:6.2f}"
        f" {hand_median:8.2f} {median / hand_median:6.2f}"
    )


def explain(database: Any, statements: Sequence[tuple[str, tuple]]) -> None:
    from crm_tui.db.database import is_sqlite

    if not is_sqlite(database):
        return
    for sql, params in statements:
        print("   ", sql[:150].replace("\n", " "), "…" if len(sql) > 150 else "")
        for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall():
            print("       ", row[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--user", help="whose day (default: the rep with the most notes)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--plans", action="store_true", help="print the query plans")
    args = parser.parse_args()

    from crm_tui.db.database import connect
    from crm_tui.domain.cockpit.agenda import load_my_day, section_pagers
    from crm_tui.domain.cockpit.hours import open_zone_options
    from crm_tui.domain.query import NotePager, NoteQuery
    from crm_tui.domain.settings import load_settings
    from crm_tui.domain.users import find_user, get_user
    from crm_tui.note_query import CALLABLE, Condition

    database = connect(args.db)
    prepare_zones(database)
    settings = load_settings()
    done = [s.id for s in settings.statuses if s.done]
    if args.user:
        user = find_user(args.user)
        assert user is not None, args.user
    else:
        busiest = database.execute_sql(
            "SELECT assignee_id FROM note WHERE assignee_id IS NOT NULL"
            " GROUP BY assignee_id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
        user = get_user(busiest)
    today = last_weekday(dt.date.today())
    notes = database.execute_sql("SELECT COUNT(*) FROM note").fetchone()[0]
    print(f"{notes} notes; {user.name}'s day of {today} ({today:%A}); done statuses {done}")
    print(
        f"{'case (first page of 100)':44} {'domain':>8} {'p95':>7} {'its SQL':>8} {'ratio':>6}"
        f" {'hand SQL':>8} {'ratio':>6}"
    )
    for hour, minute in ((14, 30), (15, 30)):
        now = dt.datetime.combine(today, dt.time(hour, minute))
        open_ids = sorted(open_zone_options(settings, now))
        listed = ", ".join(str(i) for i in open_ids) or "NULL"
        not_done = (
            f" AND (n.status_id IS NULL OR n.status_id NOT IN ({', '.join(map(str, done))}))"
            if done
            else ""
        )

        def my_day_page(now: dt.datetime = now) -> object:
            first, _others = section_pagers(
                settings, user.id, None, today - dt.timedelta(days=1), today, now
            )
            return first.page(limit=PAGE)

        def callable_page(now: dt.datetime = now) -> object:
            query = NoteQuery(conditions=(Condition(CALLABLE, "=", True),))
            return NotePager(query, settings, today, now_utc=now).page(limit=PAGE)

        cases = [
            (
                f"My day, overdue, callable at {now:%H:%M} UTC",
                my_day_page,
                ROW_SQL + f" WHERE n.assignee_id = ? AND n.follow_up < ?{not_done}"
                f" AND s.zone_option_id IN ({listed})"
                f" ORDER BY n.follow_up, n.id DESC LIMIT {PAGE}",
                [user.id, today],
            ),
            (
                f"callable=yes, newest first, at {now:%H:%M} UTC",
                callable_page,
                ROW_SQL + f" WHERE s.zone_option_id IN ({listed}) ORDER BY n.id DESC LIMIT {PAGE}",
                [],
            ),
        ]
        for label, page, sql, params in cases:
            with Recorder(database) as recorder:
                page()
            statements = recorder.statements
            runs = [page, bare(database, statements), hand_written(database, sql, params)]
            report(label, *timed(runs, args.repeat))
            if args.plans:
                explain(database, statements)

    now = dt.datetime.combine(today, dt.time(15, 30))
    (week,) = timed(
        [lambda: load_my_day(user, None, 7, today, now, limit=PAGE)], max(5, args.repeat // 10)
    )
    my_day = load_my_day(user, None, 7, today, now, limit=PAGE)
    counts = ", ".join(
        f"{s.kind} {s.day or ''} {s.count}".replace("  ", " ") for s in my_day.sections
    )
    print(
        f"load_my_day (8 sections, counts included): median {statistics.median(week):.1f} ms,"
        f" p95 {percentile(week, 0.95):.1f} ms; {counts}"
    )


if __name__ == "__main__":
    main()
