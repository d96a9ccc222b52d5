"""Cockpit figures on an existing database: the pipeline's sums, board page and charts.

    python benchmarks/cockpit.py DB [--runs 15] [--check] [--writes]

``DB`` is a SQLite file or a PostgreSQL URL (the 1M demo: ``crm-tui demo --notes
1000000``; copy /work/bench/demo1m.sqlite3 first: opening it migrates it). Times each
read (median of ``--runs`` after one warm-up) through the domain, and the same result by
one hand-written SQL statement on a raw cursor, and prints both and their ratio.
``--check`` also computes the sums from the notes themselves (correlated subqueries, as
one would without the kept state) and checks they are equal. ``--writes`` times saving
one note (with the state refresh) and a stage move, then deletes what it wrote.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from itertools import pairwise

from crm_tui.db import customer_state
from crm_tui.db.database import connect, is_sqlite
from crm_tui.db.models import Customer, Note
from crm_tui.domain.cockpit.pipeline import (
    PipelineFilter,
    amount_by_close_month,
    currency_variables,
    default_close_variable,
    load_pipeline,
    move_customer,
    notes_per_week,
    stage_cards,
    stages_of,
)
from crm_tui.domain.ids import first_id_of
from crm_tui.domain.notes import NoteInput, create_note, delete_note
from crm_tui.domain.settings import load_settings
from crm_tui.domain.users import actor_for


def median_ms(call: Callable[[], object], runs: int) -> float:
    """The median time of ``call`` in milliseconds, after one warm-up run."""
    call()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def compare(label: str, domain: Callable[[], object], bare: Callable[[], object], runs: int):
    mine, raw = median_ms(domain, runs), median_ms(bare, runs)
    print(f"{label:<38} {mine:8.2f} ms   bare SQL {raw:8.2f} ms   ratio {mine / raw:5.2f}")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="check the sums from the notes")
    parser.add_argument("--writes", action="store_true", help="time a save and a stage move")
    args = parser.parse_args()
    started = time.perf_counter()
    database = connect(args.db)
    print(f"open (and migrate if needed): {time.perf_counter() - started:.1f} s")
    sqlite = is_sqlite(database)
    mark = "?" if sqlite else "%s"
    settings = load_settings()
    amount = currency_variables(settings)[0].id
    close = default_close_variable(settings)
    customers = database.execute_sql("SELECT COUNT(*) FROM customer_state").fetchone()[0]
    notes = database.execute_sql("SELECT COUNT(*) FROM note").fetchone()[0]
    engine = "SQLite" if sqlite else "PostgreSQL"
    print(f"{engine}: {notes:,} notes, {customers:,} customers with a state")
    flt = PipelineFilter(sum_variable_id=amount, close_variable_id=close)
    counts_sql = "SELECT status_id, COUNT(*) FROM customer_state GROUP BY status_id"
    sums_sql = (
        "SELECT status_id, SUM(value_cents) FROM customer_value"
        f" WHERE variable_id = {mark} AND value_cents IS NOT NULL GROUP BY status_id"
    )

    def sums_by_hand() -> object:
        counts = database.execute_sql(counts_sql).fetchall()
        return counts, database.execute_sql(sums_sql, (amount,)).fetchall()

    compare(
        "pipeline sums (load_pipeline)",
        lambda: load_pipeline(flt, settings),
        sums_by_hand,
        args.runs,
    )
    first = stages_of(settings)[0]
    page_sql = (
        "SELECT s.customer_id, c.name, a.value_cents, d.value_date, u.name, s.zone_option_id"
        " FROM customer_value a JOIN customer_state s ON s.customer_id = a.customer_id"
        ' JOIN customer c ON c.id = s.customer_id LEFT JOIN "user" u ON u.id = s.assignee_id'
        f" LEFT JOIN customer_value d ON d.customer_id = s.customer_id AND d.variable_id = {mark}"
        f" WHERE a.variable_id = {mark} AND a.status_id = {mark} AND a.value_cents IS NOT NULL"
        " ORDER BY a.value_cents DESC, c.name_key, s.customer_id LIMIT 50"
    )
    compare(
        f"board: first page of {first.name!r}",
        lambda: stage_cards(flt, first.id, 0, 50, settings),
        lambda: database.execute_sql(page_sql, (close, amount, first.id)).fetchall(),
        args.runs,
    )
    month = "substr(d.value_date, 1, 7)" if sqlite else "to_char(d.value_date, 'YYYY-MM')"
    ids = ", ".join(str(stage.id) for stage in stages_of(settings))
    months_sql = (
        f"SELECT {month}, d.status_id, COALESCE(SUM(a.value_cents), 0) FROM customer_value d"
        f" LEFT JOIN customer_value a ON a.customer_id = d.customer_id AND a.variable_id = {mark}"
        f" WHERE d.variable_id = {mark} AND d.value_date IS NOT NULL AND d.status_id IN ({ids})"
        " GROUP BY 1, 2"
    )
    compare(
        "chart: amount by close month",
        lambda: amount_by_close_month(flt, settings),
        lambda: database.execute_sql(months_sql, (amount, close)).fetchall(),
        args.runs,
    )
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    bounds = [
        first_id_of(dt.datetime.combine(monday - dt.timedelta(weeks=11 - week), dt.time()))
        for week in range(13)
    ]
    actions = [action.id for action in settings.actions]
    one_count = (
        f"SELECT COUNT(*) FROM note WHERE action_id = {mark} AND id >= {mark} AND id < {mark}"
    )

    def weeks_by_hand() -> object:
        cursor = database.cursor()
        return [
            cursor.execute(one_count, (action, low, high)).fetchone()
            for action in actions
            for low, high in pairwise(bounds)
        ]

    compare(
        "chart: notes per week (12 weeks)",
        lambda: notes_per_week(today, settings=settings),
        weeks_by_hand,
        args.runs,
    )
    if args.check:
        check_from_notes(database, settings, amount, mark)
    if args.writes:
        time_writes(database, settings, args.runs)
    database.close()


def check_from_notes(database, settings, amount: int, mark: str) -> None:
    """The sums computed from the notes alone, timed, and compared with the kept state."""
    from_notes = (
        "SELECT st, COUNT(*), COALESCE(SUM(cents), 0) FROM (SELECT c.id,"
        " (SELECT n.status_id FROM note n WHERE n.customer_id = c.id AND n.status_id IS NOT NULL"
        " ORDER BY n.id DESC LIMIT 1) AS st,"
        " (SELECT v.value_cents FROM note n JOIN note_value v ON v.note_id = n.id"
        f" AND v.variable_id = {mark} WHERE n.customer_id = c.id ORDER BY n.id DESC LIMIT 1)"
        " AS cents FROM customer c WHERE EXISTS (SELECT 1 FROM note n WHERE n.customer_id = c.id)"
        ") per GROUP BY st"
    )
    started = time.perf_counter()
    rows = database.execute_sql(from_notes, (amount,)).fetchall()
    elapsed = time.perf_counter() - started
    expected = {row[0]: (int(row[1]), int(row[2])) for row in rows}
    pipeline = load_pipeline(PipelineFilter(sum_variable_id=amount), settings)
    kept = {stage.status.id: (stage.customers, stage.total_cents) for stage in pipeline.stages}
    same = all(expected.get(status_id, (0, 0)) == kept[status_id] for status_id in kept)
    print(f"sums from the notes alone: {elapsed * 1000:8.0f} ms, equal to the kept state: {same}")


def time_writes(database, settings, runs: int) -> None:
    """Save one note (its customer's state refreshed in the same transaction), and move a
    customer to the next stage; both deleted afterwards."""
    actor = actor_for("admin")
    customer = Customer.select(Customer.name).order_by(Customer.id).first().name
    written: list[int] = []

    def save() -> None:
        written.append(create_note(actor, NoteInput(customer=customer, body="benchmark")))

    print(f"{'save one note (with its customer state)':<38} {median_ms(save, runs):8.2f} ms")

    def refresh() -> None:
        with database.atomic():
            customer_state.refresh_customers(database, [customer_id], written[-1:])

    customer_id = Customer.get(Customer.name == customer).id
    print(f"{'  of which the state refresh':<38} {median_ms(refresh, runs):8.2f} ms")
    stages = stages_of(settings)
    flip = iter(stages * (runs + 2))

    def move() -> None:
        try:
            written.append(move_customer(actor, customer_id, next(flip).id))
        except Exception:  # already at that stage
            written.append(move_customer(actor, customer_id, next(flip).id))

    print(f"{'move a customer to another stage':<38} {median_ms(move, runs):8.2f} ms")
    for note_id in written:
        if Note.get_or_none(Note.id == note_id) is not None:
            delete_note(actor, note_id)


if __name__ == "__main__":
    main()
