"""Examples of each order, filter and search rule of the notes list (SPEC: Sorting and
filtering), and of what a listed row holds. Runs on SQLite, and on PostgreSQL when
``CRM_TEST_DATABASE_URL`` is set."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.db.models import Note
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query import Condition, NotePager, NoteQuery, SortKey, parse_sort

try:
    from tests.unit.test_query_world import TODAY, Env, build_env, insert_notes
except ImportError:  # tests/unit is not a package: pytest puts it on sys.path
    from test_query_world import TODAY, Env, build_env, insert_notes  # type: ignore[no-redef]

AT = dt.datetime(2026, 2, 1, 10, 0, 0)


@pytest.fixture
def env(database) -> Env:
    return build_env()


def at(minutes: int) -> dt.datetime:
    """A creation time: a larger ``minutes`` is a newer note."""
    return AT + dt.timedelta(minutes=minutes)


def ids(env: Env, sort=(), conditions=(), search: str = "", page: int = 100) -> list[int]:
    """Note ids listed by the engine, walking pages of ``page`` rows."""
    query = NoteQuery(
        tuple(SortKey(c[1:], True) if c.startswith("-") else SortKey(c) for c in sort),
        tuple(Condition(*condition) for condition in conditions),
        search,
    )
    listed = NotePager(query, env.settings, TODAY)
    found: list[int] = []
    result = listed.page(None, page)
    while result.rows:
        found.extend(row.id for row in result.rows)
        result = listed.page(result.cursors[-1], page)
    assert listed.count() == len(found)
    return found


def customers(env: Env, database, names: list[str]) -> dict[str, int]:
    """One note per customer name, the later in the list the newer; note id by name."""
    notes = insert_notes(
        env, database, [{"customer": name, "created_at": at(i)} for i, name in enumerate(names)]
    )
    return {name: note["id"] for name, note in zip(names, notes, strict=True)}


# --- order ---------------------------------------------------------------------------


def test_no_sort_lists_newest_first(env, database):
    made = customers(env, database, ["a", "b", "c", "d"])
    assert ids(env, page=3) == [made["d"], made["c"], made["b"], made["a"]]


def test_accented_names_sort_next_to_their_base_letter(env, database):
    made = customers(env, database, ["Zoe", "Eric", "Émile", "Emilie", "Adam", "ÉTIENNE"])
    order = ids(env, ["customer"])
    names = [name for i in order for name, nid in made.items() if nid == i]
    assert names == ["Adam", "Émile", "Emilie", "Eric", "ÉTIENNE", "Zoe"]
    order = ids(env, ["-customer"])
    names = [name for i in order for name, nid in made.items() if nid == i]
    assert names == ["Zoe", "ÉTIENNE", "Eric", "Emilie", "Émile", "Adam"]


def test_text_values_equal_but_for_case_and_accents_tie_newest_first(env, database):
    segment = env.variables["Segment"].id
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), "values": {segment: "Emile"}},
            {"customer": "b", "created_at": at(1), "values": {segment: "émile"}},
            {"customer": "c", "created_at": at(2), "values": {segment: "Emilie"}},
            {"customer": "d", "created_at": at(3), "values": {segment: "Eric"}},
            {"customer": "e", "created_at": at(4), "values": {segment: "EMILE"}},
            {"customer": "f", "created_at": at(5)},
        ],
    )
    n = [note["id"] for note in notes]
    assert ids(env, [env.var("Segment")]) == [n[4], n[1], n[0], n[2], n[3], n[5]]
    assert ids(env, ["-" + env.var("Segment")]) == [n[3], n[2], n[4], n[1], n[0], n[5]]


@pytest.mark.parametrize(
    ("variable", "low", "high"),
    [
        ("Close", dt.date(2026, 1, 1), dt.date(2026, 6, 1)),
        ("Score", -2.5, 10.0),
        ("Deal value", -150, 1250),
        ("Segment", "alpha", "Beta"),
        ("Time zone", "CST", "EST"),  # option names, in the configured order
    ],
)
def test_blanks_come_last_in_both_directions(env, database, variable, low, high):
    vid = env.variables[variable].id
    if variable == "Time zone":
        low, high = env.option(variable, low), env.option(variable, high)
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0)},
            {"customer": "b", "created_at": at(1), "values": {vid: high}},
            {"customer": "c", "created_at": at(2)},
            {"customer": "d", "created_at": at(3), "values": {vid: low}},
        ],
    )
    a, b, c, d = (note["id"] for note in notes)
    column = env.var(variable)
    assert ids(env, [column], page=1) == [d, b, c, a]
    assert ids(env, ["-" + column], page=1) == [b, d, c, a]


@pytest.mark.parametrize("column", ["status", "action", "assignee", "follow_up"])
def test_blank_builtin_columns_come_last(env, database, column):
    value = {
        "status": env.status("Client"),
        "action": env.action("Fax"),
        "assignee": env.user_ids["bob"],
        "follow_up": TODAY,
    }[column]
    field = column if column == "follow_up" else f"{column}_id"
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), field: value},
            {"customer": "b", "created_at": at(1)},
            {"customer": "c", "created_at": at(2), field: value},
        ],
    )
    a, b, c = (note["id"] for note in notes)
    assert ids(env, [column]) == [c, a, b]
    assert ids(env, ["-" + column]) == [c, a, b]


def test_dropdowns_and_statuses_sort_by_configured_order_not_by_name(env, database):
    zone = env.variables["Time zone"].id
    names = ["PST", "EST", "CST", "MST"]  # configured order: CST, PST, EST, MST (archived)
    notes = insert_notes(
        env,
        database,
        [
            {"customer": n, "created_at": at(i), "values": {zone: env.option("Time zone", n)}}
            for i, n in enumerate(names)
        ],
    )
    by_name = {name: note["id"] for name, note in zip(names, notes, strict=True)}
    assert ids(env, [env.var("Time zone")]) == [by_name[n] for n in ["CST", "PST", "EST", "MST"]]
    assert ids(env, ["-" + env.var("Time zone")]) == [
        by_name[n] for n in ["MST", "EST", "PST", "CST"]
    ]
    statuses = ["Prospect", "Client", "Done", "On hold", "Lost"]
    notes = insert_notes(
        env,
        database,
        [
            {"customer": s, "created_at": at(10 + i), "status_id": env.status(s)}
            for i, s in enumerate(statuses)
        ],
    )
    by_name = {name: note["id"] for name, note in zip(statuses, notes, strict=True)}
    expected = [by_name[s] for s in ["Done", "Prospect", "Lost", "Client", "On hold"]]
    assert ids(env, ["status"], [("status", "!=", None)]) == expected


def test_ties_are_broken_by_newest_first_whatever_the_direction(env, database):
    score = env.variables["Score"].id
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), "values": {score: 1.0}},
            {"customer": "b", "created_at": at(0), "values": {score: 1.0}},  # same second
            {"customer": "c", "created_at": at(1), "values": {score: 2.0}},
            {"customer": "d", "created_at": at(2), "values": {score: 1.0}},
        ],
    )
    a, b, c, d = (note["id"] for note in notes)
    assert b > a
    assert ids(env, [env.var("Score")], page=1) == [d, b, a, c]
    assert ids(env, ["-" + env.var("Score")], page=1) == [c, d, b, a]


def test_several_keys_each_with_its_own_direction(env, database):
    zone, close = env.variables["Time zone"].id, env.variables["Close"].id
    cst, pst = env.option("Time zone", "CST"), env.option("Time zone", "PST")
    early, late = dt.date(2026, 1, 1), dt.date(2026, 9, 1)
    rows = [(pst, early), (cst, early), (pst, late), (cst, None), (None, late), (cst, late)]
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "x", "created_at": at(i), "values": {zone: z, close: c}}
            for i, (z, c) in enumerate(rows)
        ],
    )
    n = [note["id"] for note in notes]
    columns = parse_sort("Time zone,-Close", env.settings)
    assert [k.column for k in columns] == [env.var("Time zone"), env.var("Close")]
    sort = [k.column if not k.descending else "-" + k.column for k in columns]
    assert ids(env, sort, page=2) == [n[5], n[1], n[3], n[2], n[0], n[4]]


# --- filters -------------------------------------------------------------------------


def test_not_equal_includes_blanks(env, database):
    zone, segment = env.variables["Time zone"].id, env.variables["Segment"].id
    est = env.option("Time zone", "EST")
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), "values": {zone: est, segment: "Émile"}},
            {"customer": "b", "created_at": at(1), "status_id": env.status("Done")},
            {"customer": "c", "created_at": at(2), "follow_up": TODAY},
        ],
    )
    a, b, c = (note["id"] for note in notes)
    assert ids(env, conditions=[(env.var("Time zone"), "!=", est)]) == [c, b]
    assert ids(env, conditions=[(env.var("Segment"), "!=", "EMILE")]) == [c, b]
    assert ids(env, conditions=[("status", "!=", env.status("Done"))]) == [c, a]
    assert ids(env, conditions=[("follow_up", "!=", TODAY)]) == [b, a]
    assert ids(env, conditions=[(env.var("Segment"), "=", "emile")]) == [a]
    assert ids(env, conditions=[(env.var("Segment"), "=", None)]) == [c, b]
    assert ids(env, conditions=[(env.var("Segment"), "!=", None)]) == [a]


def test_ranges_exclude_blanks_and_combine_with_and(env, database):
    deal = env.variables["Deal value"].id
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), "values": {deal: 100_000}},
            {"customer": "b", "created_at": at(1)},
            {"customer": "c", "created_at": at(2), "values": {deal: 99_999}},
            {"customer": "d", "created_at": at(3), "values": {deal: 500_000}},
        ],
    )
    a, _b, c, d = (note["id"] for note in notes)
    column = env.var("Deal value")
    assert ids(env, conditions=[(column, ">=", 100_000)]) == [d, a]
    assert ids(env, conditions=[(column, "<", 100_000)]) == [c]
    assert ids(env, [column], [(column, ">", 0), (column, "<=", 100_000)]) == [c, a]


def test_overdue_is_a_follow_up_before_today(env, database):
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": at(0), "follow_up": TODAY - dt.timedelta(days=1)},
            {"customer": "b", "created_at": at(1), "follow_up": TODAY},
            {"customer": "c", "created_at": at(2)},
        ],
    )
    a, b, c = (note["id"] for note in notes)
    assert ids(env, conditions=[("overdue", "=", True)]) == [a]
    assert ids(env, conditions=[("overdue", "=", False)]) == [c, b]


def test_created_on_a_day_means_that_whole_day(env, database):
    day = AT.date()
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "a", "created_at": AT - dt.timedelta(seconds=1)},
            {"customer": "b", "created_at": AT},
            {"customer": "c", "created_at": dt.datetime.combine(day, dt.time(23, 59, 59))},
            {"customer": "d", "created_at": dt.datetime.combine(day, dt.time()) + dt.timedelta(1)},
        ],
    )
    a, b, c, d = (note["id"] for note in notes)
    assert ids(env, conditions=[("created_at", "=", day)]) == [c, b, a]
    assert ids(env, conditions=[("created_at", ">", day)]) == [d]
    assert ids(env, conditions=[("created_at", "<=", day)]) == [c, b, a]
    assert ids(env, conditions=[("created_at", ">=", AT)]) == [d, c, b]


def test_filters_by_customer_assignee_and_action(env, database):
    bob = env.user_ids["bob"]
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "Acme", "created_at": at(0), "assignee_id": bob},
            {"customer": "ACME", "created_at": at(1), "action_id": env.action("Call")},
            {"customer": "Zoé", "created_at": at(2), "assignee_id": bob},
        ],
    )
    a, b, c = (note["id"] for note in notes)
    acme = notes[0]["customer_id"]
    assert ids(env, conditions=[("customer", "=", acme)]) == [b, a]
    assert ids(env, conditions=[("assignee", "=", bob)]) == [c, a]
    assert ids(env, conditions=[("assignee", "=", None)]) == [b]
    assert ids(env, ["customer"], [("customer", "!=", acme)]) == [c]
    assert ids(env, ["-status"], [("action", "=", env.action("Call"))]) == [b]


def test_search_needs_every_word_as_a_prefix_of_the_text_or_customer(env, database):
    notes = insert_notes(
        env,
        database,
        [
            {"customer": "Émile Dubois", "created_at": at(0), "body": "Ship the sample"},
            {"customer": "Acme", "created_at": at(1), "body": "Call about the café\nlater"},
            {"customer": "Zoé", "created_at": at(2), "body": "call Émile"},
        ],
    )
    a, b, c = (note["id"] for note in notes)
    assert ids(env, search="emile") == [c, a]
    assert ids(env, search="CAFE") == [b]
    assert ids(env, search="dub sam") == [a]
    assert ids(env, search="call emi") == [c]
    assert ids(env, search="mile") == []
    assert ids(env, search="  ,  ") == [c, b, a]  # no word: no search
    assert ids(env, ["customer"], search="call") == [b, c]


# --- rows, cursors -------------------------------------------------------------------


def test_rows_hold_what_the_list_shows(env, database):
    v = {name: info.id for name, info in env.variables.items()}
    (note,) = insert_notes(
        env,
        database,
        [
            {
                "customer": "Émile SA",
                "created_at": AT,
                "status_id": env.status("Client"),
                "action_id": env.action("Fax"),
                "assignee_id": env.user_ids["Zoé"],
                "follow_up": TODAY,
                "body": "\n   \n  First line  \nsecond",
                "values": {
                    v["Time zone"]: env.option("Time zone", "EST"),
                    v["Deal value"]: 123450,
                    v["Score"]: 2.5,
                    v["Close"]: dt.date(2026, 4, 1),
                    v["Segment"]: "Grand Compte",
                },
            }
        ],
    )
    (row,) = NotePager(NoteQuery(), env.settings, TODAY).page().rows
    assert (row.id, row.customer, row.customer_id) == (note["id"], "Émile SA", note["customer_id"])
    assert (row.status_id, row.action_id) == (env.status("Client"), env.action("Fax"))
    assert (row.assignee_id, row.assignee) == (env.user_ids["Zoé"], "Zoé")
    assert (row.follow_up, row.created_at, row.summary) == (TODAY, AT, "First line")
    texts = {vid: (value.text, value.option_id) for vid, value in row.values.items()}
    assert texts == {
        v["Time zone"]: ("EST", env.option("Time zone", "EST")),
        v["Priority"]: ("", None),
        v["Deal value"]: ("1234.50", None),
        v["Score"]: ("2.5", None),
        v["Close"]: ("2026-04-01", None),
        v["Segment"]: ("Grand Compte", None),
    }


def test_a_cursor_still_resumes_after_its_row_is_deleted(env, database):
    made = customers(env, database, ["a", "b", "c", "d", "e"])
    listed = NotePager(NoteQuery(sort=(SortKey("customer"),)), env.settings, TODAY)
    first = listed.page(None, 2)
    assert [r.customer for r in first.rows] == ["a", "b"]
    Note.delete().where(Note.id == made["b"]).execute()
    assert [r.customer for r in listed.page(first.cursors[-1], 2).rows] == ["c", "d"]
    assert [r.customer for r in listed.page_before(first.cursors[-1], 5).rows] == ["a"]


def test_end_key_checkpoints_and_export_agree_with_paging(env, database):
    made = customers(env, database, [f"c{i:02d}" for i in range(23)])
    listed = NotePager(NoteQuery(sort=(SortKey("customer", True),)), env.settings, TODAY)
    expected = [made[f"c{i:02d}"] for i in reversed(range(23))]
    assert [r.id for r in listed.iter_rows(batch=5)] == expected
    assert [r.id for r in listed.last_page(4).rows] == expected[-4:]
    marks = listed.checkpoints(every=10)
    assert [m.note_id for m in marks] == expected[::10]
    assert [r.id for r in listed.page_at(marks[1], 3).rows] == expected[10:13]
    assert [r.id for r in listed.page(marks[1], 3).rows] == expected[11:14]
    assert listed.page(None, 0).rows == []


def test_a_sort_key_pinned_by_an_equal_condition_changes_nothing(env, database):
    made = customers(env, database, ["a", "b"])
    pinned = [("status", "=", None)]
    assert ids(env, ["status", "-customer"], pinned) == [made["b"], made["a"]]


def test_conditions_are_checked_against_the_settings(env):
    def listed(condition: Condition) -> NotePager:
        return NotePager(NoteQuery(conditions=(condition,)), env.settings, TODAY)

    with pytest.raises(ValidationError, match="Status: < needs a column with an order"):
        listed(Condition("status", "<", env.status("Done")))
    with pytest.raises(ValidationError, match="unknown column"):
        listed(Condition("var:999", "=", 1))
    with pytest.raises(ValidationError, match="is not a comparison"):
        listed(Condition("status", "~", 1))
    with pytest.raises(ValidationError, match="not a value of this column"):
        listed(Condition(env.var("Close"), "=", "tomorrow"))
    with pytest.raises(ValidationError, match="overdue=yes or overdue=no"):
        listed(Condition("overdue", "<", True))
