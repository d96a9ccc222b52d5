"""Property test: the engine lists what the plain-Python reference lists, in its order.

Random notes (accented and case-varied customers, every variable type, blanks and ties),
random sorts (0–3 keys, each direction), conditions and search. Every page is walked
forward and backward with small pages, and ``count``/``checkpoints`` are checked. Runs on
SQLite, and on PostgreSQL when ``CRM_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_tui.domain.query import Condition, NotePager, NoteQuery, SortKey

try:
    from tests.unit import query_reference as ref
    from tests.unit.test_query_world import TODAY, Env, build_env, clear_notes, insert_notes
except ImportError:  # tests/unit is not a package: pytest puts it on sys.path
    import query_reference as ref  # type: ignore[no-redef]
    from test_query_world import (  # type: ignore[no-redef]
        TODAY,
        Env,
        build_env,
        clear_notes,
        insert_notes,
    )

PAGE = 7
QUERIES_PER_EXAMPLE = 4
CUSTOMERS = ("Acme", "ACME", "Émile", "Emile", "Emilie", "Eric", "éric", "Zoé", "zoe", "b", "Åsa")
WORDS = ("Réunion", "reunion", "café", "cafe", "call", "Acme", "e-mail", "zoé", "deal", "émile")
SEARCHES = ("reu", "caf", "em", "acme", "zz", "ré uni", "e mail", "CAFÉ", "zo", "b")
TEXTS = ("Émile", "emile", "Emilie", "Eric", "zoé", "Zoe", "b")
CENTS = (-500, 0, 1250, 99999)
NUMBERS = (-1.5, 0.0, 2.0, 2.5, 1e6)
DATES = (dt.date(2026, 1, 5), dt.date(2026, 3, 10), dt.date(2027, 1, 1))
FOLLOW_UPS = (
    TODAY - dt.timedelta(days=3),
    TODAY - dt.timedelta(days=1),
    TODAY,
    TODAY + dt.timedelta(days=9),
)
BASE = dt.datetime(2026, 1, 2, 9, 0, 0)
# Three days, two notes of each in the same second: ties on created_at too.
CREATED = tuple(BASE + dt.timedelta(days=d, seconds=s) for d in (0, 1, 2) for s in (0, 0, 1))


@pytest.fixture
def env(database) -> Env:
    """The settings and users, built once for all the examples of a test."""
    return build_env()


def _pool(env: Env, column: str) -> tuple:
    """Values a condition on ``column`` may compare with (typed as a ``Condition``)."""
    if column.startswith("var:"):
        vid = int(column[4:])
        return {
            "dropdown": tuple(env.world.options[vid]),
            "currency": CENTS,
            "number": NUMBERS,
            "date": DATES,
            "text": TEXTS,
        }[env.world.types[vid]]
    return {
        "status": tuple(env.world.statuses),
        "action": tuple(env.world.actions),
        "assignee": tuple(env.user_ids.values()),
        "follow_up": FOLLOW_UPS,
        "created_at": (*CREATED, *(c.date() for c in CREATED)),
    }[column]


def _maybe(values) -> st.SearchStrategy:
    return st.none() | st.sampled_from(values)


def note_strategy(env: Env) -> st.SearchStrategy[dict]:
    """A note as ``insert_notes`` takes it: blanks, ties, accents all likely."""
    body = st.lists(st.lists(st.sampled_from(WORDS), max_size=3), min_size=1, max_size=3).map(
        lambda lines: "\n".join(" ".join(words) for words in lines)
    )
    return st.fixed_dictionaries(
        {
            "customer": st.sampled_from(CUSTOMERS),
            "action_id": _maybe(env.world.actions),
            "status_id": _maybe(env.world.statuses),
            "assignee_id": _maybe(tuple(env.user_ids.values())),
            "follow_up": _maybe(FOLLOW_UPS),
            "created_at": st.sampled_from(CREATED),
            "body": body,
            "values": st.fixed_dictionaries(
                {vid: _maybe(_pool(env, f"var:{vid}")) for vid in env.world.types}
            ),
        }
    )


def condition_strategy(env: Env) -> st.SearchStrategy[tuple[str, str, object]]:
    """``(column, op, value)`` for every column, with blanks for ``=``/``!=``.

    Customers are drawn by position in the example's customers (``customer#N``).
    """
    choices: list[st.SearchStrategy] = [st.tuples(st.just("overdue"), st.just("="), st.booleans())]
    choices.append(st.tuples(st.just("customer"), st.sampled_from(["=", "!="]), st.integers(0, 5)))
    columns = ["status", "action", "assignee", "follow_up", "created_at"]
    columns += [f"var:{vid}" for vid in env.world.types]
    for column in columns:
        kind = env.world.types[int(column[4:])] if column.startswith("var:") else column
        ordered = kind in ("follow_up", "created_at", "currency", "number", "date")
        ops = ["=", "!=", "<", "<=", ">", ">="] if ordered else ["=", "!="]
        pool = _pool(env, column)
        equal = st.sampled_from(pool if column == "created_at" else (None, *pool))
        if ordered:
            ranges = st.tuples(st.just(column), st.sampled_from(ops[2:]), st.sampled_from(pool))
            choices.append(st.tuples(st.just(column), st.sampled_from(ops[:2]), equal) | ranges)
        else:
            choices.append(st.tuples(st.just(column), st.sampled_from(ops), equal))
    return st.one_of(choices)


def query_strategy(env: Env) -> st.SearchStrategy:
    """``(sort, conditions, search)`` in the reference's terms."""
    columns = ["customer", "action", "status", "assignee", "follow_up", "created_at"]
    columns += [f"var:{vid}" for vid in env.world.types]
    sort = st.lists(
        st.tuples(st.sampled_from(columns), st.booleans()), max_size=3, unique_by=lambda k: k[0]
    )
    conditions = st.lists(condition_strategy(env), max_size=3)
    search = st.just("") | st.sampled_from(SEARCHES)
    return st.tuples(sort, conditions, search)


def _walk_forward(notes: NotePager) -> list[int]:
    ids: list[int] = []
    page = notes.page(None, PAGE)
    while True:
        ids.extend(row.id for row in page.rows)
        assert len(page.cursors) == len(page.rows)
        if len(page.rows) < PAGE:
            return ids
        page = notes.page(page.cursors[-1], PAGE)


def _walk_backward(notes: NotePager) -> list[int]:
    page = notes.last_page(PAGE)
    ids = [row.id for row in page.rows]
    while len(page.rows) == PAGE:
        page = notes.page_before(page.cursors[0], PAGE)
        ids[:0] = [row.id for row in page.rows]
    return ids


@pytest.fixture
def strategies(env: Env) -> tuple[st.SearchStrategy, st.SearchStrategy]:
    """The notes and query strategies of this world (built once: Hypothesis is slow to
    build strategies)."""
    return st.lists(note_strategy(env), max_size=24), query_strategy(env)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_engine_lists_like_the_reference(database, env, strategies, data):
    notes_strategy, queries = strategies
    clear_notes(database)
    notes = insert_notes(env, database, data.draw(notes_strategy, label="notes"))
    customers = sorted({note["customer_id"] for note in notes}) or [0]
    for _round in range(QUERIES_PER_EXAMPLE):
        sort, conditions, search = data.draw(queries, label="query")
        conditions = [
            (c, op, customers[v % len(customers)]) if c == "customer" else (c, op, v)
            for c, op, v in conditions
        ]
        _check(data, env, notes, sort, conditions, search)


def _check(data, env: Env, notes: list[dict], sort, conditions, search) -> None:
    query = NoteQuery(
        tuple(SortKey(column, descending) for column, descending in sort),
        tuple(Condition(*condition) for condition in conditions),
        search,
    )
    listed = NotePager(query, env.settings, TODAY)
    expected = [n["id"] for n in ref.listed(notes, env.world, sort, conditions, search, TODAY)]

    assert _walk_forward(listed) == expected
    assert _walk_backward(listed) == expected
    assert listed.count() == len(expected)
    marks = listed.checkpoints(every=3)
    assert [cursor.note_id for cursor in marks] == expected[::3]
    if marks:
        jump = data.draw(st.integers(0, len(marks) - 1), label="checkpoint")
        start = jump * 3
        assert [r.id for r in listed.page_at(marks[jump], 4).rows] == expected[start : start + 4]
