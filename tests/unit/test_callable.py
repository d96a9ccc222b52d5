"""``callable=yes|no`` and the ``local_time`` sort in notes queries, and ``NoteRow.zone``.

A customer's zone is the zone of the time-zone option on its newest note that has one;
callable = inside business hours there now. Checked against a plain-Python statement of
that rule at arbitrary hours: business hours' edges (start included, end excluded), a
weekend, a half-hour zone, the days around a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from cockpit_world import ZONES, World, make_world

from crm_tui.domain.cockpit.hours import is_open, local_now
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query import NotePager, NoteQuery, SortKey, parse_condition, parse_sort
from crm_tui.note_query import CALLABLE, LOCAL_TIME, Condition
from crm_tui.records import BusinessHours, NoteRow

TODAY = dt.date(2027, 1, 15)
START = dt.datetime(2027, 1, 4, 9, 0)

# (customer, zone option or "") oldest first: each customer's zone is its newest one.
NOTES = [
    ("Toronto Co", "PST"),
    ("Kolkata Ltd", "IST"),
    ("Toronto Co", "EST"),
    ("Vancouver Inc", "PST"),
    ("Nowhere Inc", ""),
    ("Chicago Corp", "CST"),
    ("Mystery SA", "???"),
    ("Toronto Co", ""),  # newest, without a zone: Toronto Co stays in EST
    ("Edmonton Ltd", "MST"),
    ("Kolkata Ltd", ""),
    ("Chicago Corp", "CST"),
    ("Vancouver Inc", ""),
    ("Nowhere Inc", ""),
]


@pytest.fixture
def world(database: peewee.Database) -> tuple[World, dict[int, str | None]]:
    """The team, and each note's customer's zone (``None``: no zone) by note id."""
    team = make_world()
    zone_of_customer: dict[str, str | None] = {}
    ids: dict[int, str] = {}
    for index, (customer, option) in enumerate(NOTES):
        at = START + dt.timedelta(hours=index)
        ids[team.note(customer, zone=option, at=at)] = customer
        if option:
            zone_of_customer[customer] = ZONES.get(option)
    return team, {note_id: zone_of_customer.get(customer) for note_id, customer in ids.items()}


def listed(team: World, now: dt.datetime, *conditions: Condition, sort=()) -> list[NoteRow]:
    pager = NotePager(
        NoteQuery(sort=tuple(sort), conditions=conditions), team.settings, TODAY, now_utc=now
    )
    return list(pager.iter_rows(batch=3))


def callable_ids(zones: dict[int, str | None], now: dt.datetime) -> set[int]:
    """The rule: notes whose customer has a zone inside business hours at ``now``."""
    hours = BusinessHours()
    return {note_id for note_id, zone in zones.items() if zone and is_open(zone, hours, now)}


HOURS = [
    ("2027-01-15 14:00", {"America/Toronto"}),  # Friday 09:00 in Toronto: start included
    ("2027-01-15 22:00", {"America/Chicago", "America/Edmonton", "America/Los_Angeles"}),
    (
        "2027-01-15 21:59",
        {"America/Toronto", "America/Chicago", "America/Edmonton", "America/Los_Angeles"},
    ),
    ("2027-01-15 03:30", {"Asia/Kolkata"}),  # 09:00 at +05:30
    ("2027-01-15 11:29", {"Asia/Kolkata"}),  # 16:59 at +05:30
    ("2027-01-15 11:30", set()),  # 17:00 at +05:30: end excluded; 06:30 in Toronto
    ("2027-01-16 15:00", set()),  # a Saturday everywhere
    ("2027-01-18 01:00", set()),  # Monday 06:30 in Kolkata, Sunday evening in America
    ("2027-03-12 13:30", set()),  # Friday 08:30 in Toronto (EST, -5)
    ("2027-03-15 13:30", {"America/Toronto"}),  # Monday 09:30 in Toronto (EDT since the 14th)
    ("2027-11-08 13:30", set()),  # Monday 08:30 in Toronto (EST again since the 7th)
    ("2027-06-07 04:00", {"Asia/Kolkata"}),
]


@pytest.mark.parametrize(("at", "open_zones"), HOURS)
def test_callable_yes_and_no_split_the_notes_by_the_customers_hours(
    world, at: str, open_zones: set[str]
) -> None:
    team, zones = world
    now = dt.datetime.fromisoformat(at)
    expected = callable_ids(zones, now)
    assert {zones[i] for i in expected} == open_zones  # the hour is the edge it says
    yes = [row.id for row in listed(team, now, Condition(CALLABLE, "=", True))]
    no = [row.id for row in listed(team, now, Condition(CALLABLE, "=", False))]
    assert set(yes) == expected
    assert set(no) == set(zones) - expected  # no zone known: not callable
    assert yes == sorted(yes, reverse=True) and no == sorted(no, reverse=True)
    negated = [row.id for row in listed(team, now, Condition(CALLABLE, "!=", True))]
    assert negated == no


def test_callable_counts_and_a_customer_without_a_zone(world) -> None:
    team, zones = world
    now = dt.datetime(2027, 1, 15, 14, 0)
    query = NoteQuery(conditions=(Condition(CALLABLE, "=", True),))
    pager = NotePager(query, team.settings, TODAY, now_utc=now)
    assert pager.count() == len(callable_ids(zones, now)) == 3  # Toronto Co's 3 notes
    rows = listed(team, now, Condition(CALLABLE, "=", False))
    customers = {row.customer for row in rows}
    assert {"Nowhere Inc", "Mystery SA"} <= customers  # no zone, a zone option without one


def test_callable_with_other_conditions_and_search(world) -> None:
    team, _zones = world
    now = dt.datetime(2027, 1, 15, 22, 0)
    vancouver = parse_condition("customer=Vancouver Inc", team.settings, TODAY)
    rows = listed(team, now, vancouver, Condition(CALLABLE, "=", True))
    assert {row.customer for row in rows} == {"Vancouver Inc"} and len(rows) == 2
    pager = NotePager(
        NoteQuery(conditions=(Condition(CALLABLE, "=", True),), search="chicago"),
        team.settings,
        TODAY,
        now_utc=now,
    )
    assert {row.customer for row in pager.page().rows} == {"Chicago Corp"}


def test_parse_callable_conditions(world) -> None:
    team, _zones = world
    settings = team.settings
    assert parse_condition("callable=yes", settings, TODAY) == Condition(CALLABLE, "=", True)
    assert parse_condition("Callable = no", settings, TODAY) == Condition(CALLABLE, "=", False)
    assert parse_condition("callable!=yes", settings, TODAY) == Condition(CALLABLE, "=", False)
    with pytest.raises(ValidationError, match="use callable=yes or callable=no"):
        parse_condition("callable<yes", settings, TODAY)
    with pytest.raises(ValidationError, match="'maybe' is not yes or no"):
        parse_condition("callable=maybe", settings, TODAY)
    with pytest.raises(ValidationError, match="callable: unknown column"):
        parse_sort("callable", settings)
    with pytest.raises(ValidationError, match="callable is a filter"):
        NotePager(NoteQuery(sort=(SortKey(CALLABLE),)), settings, TODAY)
    with pytest.raises(ValidationError, match="local time is a sort"):
        parse_condition("local_time=09:00", settings, TODAY)


def test_no_time_zone_variable_means_nobody_is_callable(database) -> None:
    from crm_tui.domain import users
    from crm_tui.domain.note_input import NoteInput
    from crm_tui.domain.notes import create_note
    from crm_tui.domain.settings import load_settings

    ana = users.create_user(None, "Ana")  # the starter set: no zones anywhere
    note_id = create_note(ana, NoteInput(customer="Acme"))
    settings = load_settings()
    now = dt.datetime(2027, 1, 15, 14, 0)
    yes = NotePager(NoteQuery(conditions=(Condition(CALLABLE, "=", True),)), settings, now_utc=now)
    no = NotePager(NoteQuery(conditions=(Condition(CALLABLE, "=", False),)), settings, now_utc=now)
    assert yes.page().rows == [] and [row.id for row in no.page().rows] == [note_id]
    assert [row.zone for row in no.page().rows] == [None]


# --- local time -------------------------------------------------------------------------


def local_order(zones: dict[int, str | None], team: World, now: dt.datetime) -> list[int]:
    """The rule: furthest-along local time first, ties in option order, no zone last; then
    newest first."""
    variable = team.settings.time_zone_variable()
    assert variable is not None
    rank = {o.time_zone: i for i, o in reversed(list(enumerate(variable.options)))}

    def key(note_id: int) -> tuple:
        zone = zones[note_id]
        if zone is None:
            return (1, 0, 0, -note_id)
        local = local_now(zone, now).replace(tzinfo=None)
        return (0, -local.timestamp(), rank[zone], -note_id)

    return sorted(zones, key=key)


@pytest.mark.parametrize("at", ["2027-01-15 14:00", "2027-01-15 23:30", "2027-03-14 07:00"])
def test_local_time_sort_is_furthest_along_first_and_no_zone_last(world, at: str) -> None:
    team, zones = world
    now = dt.datetime.fromisoformat(at)
    rows = listed(team, now, sort=[SortKey(LOCAL_TIME)])
    assert [row.id for row in rows] == local_order(zones, team, now)
    descending = listed(team, now, sort=[SortKey(LOCAL_TIME, True)])
    zoned = [row.id for row in rows if row.zone]
    blank = [row.id for row in rows if not row.zone]
    by_zone: dict[str | None, list[int]] = {}
    for row in rows:
        by_zone.setdefault(row.zone, []).append(row.id)
    reversed_zones = [z for z in reversed(list(by_zone)) if z is not None]
    assert [row.id for row in descending] == [i for z in reversed_zones for i in by_zone[z]] + blank
    assert len(zoned) + len(blank) == len(zones)


def test_local_time_sort_by_name_with_callable_and_paging_back(world) -> None:
    team, zones = world
    now = dt.datetime(2027, 1, 15, 22, 0)
    sort = parse_sort("Local time,-customer", team.settings)
    assert sort == (SortKey(LOCAL_TIME), SortKey("customer", True))
    query = NoteQuery(sort=sort, conditions=(Condition(CALLABLE, "=", True),))
    pager = NotePager(query, team.settings, TODAY, now_utc=now)
    forward = list(pager.iter_rows(batch=2))
    assert {row.id for row in forward} == callable_ids(zones, now)
    assert [row.zone for row in forward] == [
        "America/Chicago", "America/Chicago", "America/Edmonton",
        "America/Los_Angeles", "America/Los_Angeles",
    ]  # fmt: skip
    last = pager.last_page(limit=2)
    before = pager.page_before(last.cursors[0], limit=10)
    assert [row.id for row in (*before.rows, *last.rows)] == [row.id for row in forward]
    marks = pager.checkpoints(every=2)
    assert [pager.page_at(mark, limit=1).rows[0].id for mark in marks] == [
        row.id for row in forward[::2]
    ]
    assert pager.position(forward[3].id) == 3


def test_rows_carry_their_customer_s_zone(world) -> None:
    team, zones = world
    rows = listed(team, dt.datetime(2027, 1, 15, 14, 0))
    assert {row.id: row.zone for row in rows} == zones
    by_customer = {row.customer: row.zone for row in rows}
    assert by_customer["Toronto Co"] == "America/Toronto"  # its newest zoned note's
    assert by_customer["Mystery SA"] is None and by_customer["Nowhere Inc"] is None
