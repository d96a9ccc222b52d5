"""The pipeline: stages, exact sums, filters, cards, stage moves, and the charts' data.

On the fixed data set (tests/ui/conftest.py), with the starter set's in-sequence statuses
Prospect, Active, Client and Awaiting approval; each customer is counted once, at the
status of its newest note that has one, with its newest deal value.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import peewee
import pytest
from test_customer_state import assert_state_matches_notes, give_zones

from crm_tui.db.models import Note
from crm_tui.domain.cockpit.pipeline import (
    Card,
    MonthAmount,
    PipelineFilter,
    WeekCount,
    amount_by_close_month,
    default_close_variable,
    load_pipeline,
    move_customer,
    notes_per_week,
    stage_cards,
    sum_variable,
)
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.exchange.export import build_query
from crm_tui.domain.history import history_of
from crm_tui.domain.notes import NoteInput, create_note, get_note
from crm_tui.domain.undo import undo
from crm_tui.records import Settings, VariableInfo
from tests.ui.conftest import CrmWorld, build_world


@pytest.fixture
def world(database: peewee.Database) -> CrmWorld:
    built = build_world(database)
    give_zones(built.settings)
    return built


def variable(settings: Settings, name: str) -> int:
    return next(v.id for v in settings.variables if v.name == name)


def status(settings: Settings, name: str) -> int:
    return next(s.id for s in settings.statuses if s.name == name)


def board(flt: PipelineFilter) -> list[tuple[str, int, str]]:
    """What the board's headers say: each stage's name, count and exact sum."""
    return [
        (stage.status.name, stage.customers, str(stage.total))
        for stage in load_pipeline(flt).stages
    ]


def deal(world: CrmWorld, **changes: object) -> PipelineFilter:
    return PipelineFilter(sum_variable_id=variable(world.settings, "Deal value"), **changes)  # type: ignore[arg-type]


def test_each_customer_once_at_its_current_status_with_its_newest_amount(
    world: CrmWorld,
) -> None:
    pipeline = load_pipeline(deal(world))
    assert board(deal(world)) == [
        ("Prospect", 2, "777.00"),  # Initech (no amount), Hooli $777.00
        ("Active", 1, "99.00"),
        ("Client", 1, "123.45"),  # Zeta; Acme's newest note is Done
        ("Awaiting approval", 1, "420.50"),
    ]
    # Acme (Done), Émile (No answer), Eric (Done), Globex (On hold), Umbrella (Inactive).
    assert pipeline.outside == 5


def test_without_a_sum_variable_every_sum_is_zero(world: CrmWorld) -> None:
    assert [row[2] for row in board(PipelineFilter())] == ["0.00"] * 4


def test_a_newer_note_without_status_or_amount_keeps_the_older_ones(world: CrmWorld) -> None:
    create_note(world.ana, NoteInput(customer="Zeta Farms", action="Call", body="no status"))
    assert board(deal(world))[2] == ("Client", 1, "123.45")
    create_note(
        world.ana,
        NoteInput(customer="Zeta Farms", status="Prospect", values={"Deal value": "1000.10"}),
    )
    assert board(deal(world))[:3] == [
        ("Prospect", 3, "1777.10"),
        ("Active", 1, "99.00"),
        ("Client", 0, "0.00"),
    ]


def test_sums_are_exact(world: CrmWorld) -> None:
    """Ten customers at $0.10 and one at $9,999,999,999.99 sum to the cent."""
    for number in range(10):
        create_note(
            world.ana,
            NoteInput(customer=f"Dime {number}", status="Active", values={"Deal value": "0.10"}),
        )
    create_note(
        world.ana,
        NoteInput(customer="Big", status="Active", values={"Deal value": "9999999999.99"}),
    )
    active = load_pipeline(deal(world)).stages[1]
    assert (active.customers, active.total_cents) == (12, 999_999_999_999 + 100 + 9900)
    assert active.total == Decimal("10000000099.99")


def test_filters_by_current_values(world: CrmWorld) -> None:
    settings = world.settings
    today = dt.date(2026, 11, 15)
    at_least = build_query(settings, where=["Deal value>=100"], today=today).conditions
    assert board(deal(world, conditions=at_least)) == [
        ("Prospect", 1, "777.00"),
        ("Active", 0, "0.00"),
        ("Client", 1, "123.45"),
        ("Awaiting approval", 1, "420.50"),
    ]
    blank = build_query(settings, where=["Deal value="], today=today).conditions
    assert board(deal(world, conditions=blank))[0] == ("Prospect", 1, "0.00")  # Initech
    not_bob = build_query(settings, where=["assignee!=bob"], today=today).conditions
    assert [row[1] for row in board(deal(world, conditions=not_bob))] == [0, 1, 1, 0]
    by_zone = build_query(settings, where=["Time zone=EST"], today=today).conditions
    assert board(deal(world, conditions=by_zone))[0] == ("Prospect", 1, "777.00")  # Hooli
    not_client = build_query(settings, where=["status!=Client"], today=today).conditions
    assert board(deal(world, conditions=not_client))[2] == ("Client", 0, "0.00")
    named = build_query(settings, where=["customer=initech"], today=today).conditions
    assert board(deal(world, conditions=named))[0] == ("Prospect", 1, "0.00")


def test_filter_by_assignee_and_close_date(world: CrmWorld) -> None:
    bob = deal(world, assignee_id=world.bob.id)
    assert [row[1] for row in board(bob)] == [2, 0, 0, 1]  # Initech, Hooli; Dubois
    close = default_close_variable(world.settings)
    december = deal(
        world,
        close_variable_id=close,
        close_from=dt.date(2026, 12, 1),
        close_to=dt.date(2026, 12, 31),
    )
    # Emilie (Dec 20) is the only staged customer closing in December; Acme's newest
    # close date is January's.
    assert board(december) == [
        ("Prospect", 0, "0.00"),
        ("Active", 1, "99.00"),
        ("Client", 0, "0.00"),
        ("Awaiting approval", 0, "0.00"),
    ]
    assert load_pipeline(december).outside == 2  # Émile (Dec 1), Umbrella (Dec 5)
    from_january = deal(world, close_variable_id=close, close_from=dt.date(2027, 1, 1))
    assert [row[1] for row in board(from_january)] == [1, 0, 0, 0]  # Hooli


def test_a_sum_of_a_variable_that_is_not_currency_is_refused(world: CrmWorld) -> None:
    with pytest.raises(ValidationError, match="not a currency variable"):
        load_pipeline(PipelineFilter(sum_variable_id=variable(world.settings, "Time zone")))
    with pytest.raises(ValidationError, match="'Time zone' is not a currency variable"):
        sum_variable("time zone", world.settings)
    with pytest.raises(ValidationError, match="'Nope' is not a variable"):
        sum_variable("Nope", world.settings)
    assert sum_variable("deal value", world.settings) == variable(world.settings, "Deal value")


def test_stage_cards_amount_descending_then_name(world: CrmWorld) -> None:
    close = default_close_variable(world.settings)
    flt = deal(world, close_variable_id=close)
    prospect = status(world.settings, "Prospect")
    create_note(world.ana, NoteInput(customer="Aardvark", status="Prospect"))
    cards = stage_cards(flt, prospect, 0, 10)
    assert cards == (
        Card(
            customer_id=cards[0].customer_id,
            customer="Hooli",
            amount_cents=77700,
            close_date=dt.date(2027, 1, 10),
            assignee="bob",
            zone="America/Toronto",
        ),
        Card(cards[1].customer_id, "Aardvark", None, None, "", None),
        Card(cards[2].customer_id, "Initech", None, None, "bob", None),
    )
    assert [card.customer for card in stage_cards(flt, prospect, 1, 1)] == ["Aardvark"]
    assert [card.customer for card in stage_cards(flt, prospect, 0, 2)] == ["Hooli", "Aardvark"]
    assert [card.customer for card in stage_cards(flt, prospect, 2, 5)] == ["Initech"]
    assert stage_cards(flt, prospect, 3, 5) == ()
    by_name = stage_cards(PipelineFilter(), prospect, 0, 10)
    assert [(card.customer, card.amount_cents) for card in by_name] == [
        ("Aardvark", None),
        ("Hooli", None),
        ("Initech", None),
    ]
    filtered = stage_cards(deal(world, assignee_id=world.bob.id), prospect, 0, 10)
    assert [card.customer for card in filtered] == ["Hooli", "Initech"]


def test_moving_a_customer_writes_a_note_with_history_and_undo(world: CrmWorld) -> None:
    settings = world.settings
    initech = Note.get_by_id(world.notes["initech"]).customer_id
    active = status(settings, "Active")
    note_id = move_customer(world.ana, initech, active)
    note = get_note(note_id)
    assert (note.customer, note.status_id, note.body) == (
        "Initech",
        active,
        "Status: Prospect → Active",
    )
    assert note.action_id == next(a.id for a in settings.actions if a.name == "Call")
    assert (note.assignee, note.author, note.follow_up) == ("bob", "ana", None)
    assert [change.field for change in history_of("note", note_id)] == ["created"]
    assert board(deal(world))[:2] == [("Prospect", 1, "777.00"), ("Active", 2, "99.00")]
    assert_state_matches_notes(world.database)
    undo(world.ana)
    assert board(deal(world))[:2] == [("Prospect", 2, "777.00"), ("Active", 1, "99.00")]
    assert Note.get_or_none(Note.id == note_id) is None
    assert_state_matches_notes(world.database)


def test_a_move_to_the_same_status_or_of_an_unknown_customer_is_refused(
    world: CrmWorld,
) -> None:
    initech = Note.get_by_id(world.notes["initech"]).customer_id
    prospect = status(world.settings, "Prospect")
    count = Note.select().count()
    with pytest.raises(ValidationError, match="Initech is at Prospect already"):
        move_customer(world.ana, initech, prospect)
    with pytest.raises(NotFound):
        move_customer(world.ana, 999_999, prospect)
    with pytest.raises(ValidationError):
        move_customer(world.ana, initech, 999_999)
    assert Note.select().count() == count


def test_amount_by_close_month_stacked_by_stage(world: CrmWorld) -> None:
    close = default_close_variable(world.settings)
    create_note(
        world.ana,
        NoteInput(
            customer="Initech",
            status="Prospect",
            values={"Estimated close date": "2027-01-31", "Deal value": "0.01"},
        ),
    )
    assert amount_by_close_month(deal(world, close_variable_id=close)) == (
        MonthAmount(dt.date(2026, 12, 1), status(world.settings, "Active"), 9900),
        MonthAmount(dt.date(2027, 1, 1), status(world.settings, "Prospect"), 77701),
    )
    assert amount_by_close_month(deal(world)) == ()


def test_notes_per_week_by_action(world: CrmWorld) -> None:
    """The twelve notes were written on Sunday 1 November 2026, 09:00 to 20:00 UTC."""
    actions = {a.name: a.id for a in world.settings.actions}
    week = dt.date(2026, 10, 26)
    assert notes_per_week(dt.date(2026, 11, 12)) == (
        WeekCount(week, actions["Call"], 4),
        WeekCount(week, actions["E-mail"], 2),
        WeekCount(week, actions["Fax"], 1),
        WeekCount(week, actions["Send sample"], 2),
        WeekCount(week, actions["Ship"], 2),
        WeekCount(week, actions["Order follow-up"], 1),
    )
    assert notes_per_week(dt.date(2027, 3, 1)) == ()  # more than 12 weeks later
    assert notes_per_week(dt.date(2026, 10, 25)) == ()  # the week before


def test_notes_per_week_in_the_viewers_zone(
    world: CrmWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At UTC+14 the notes from 10:00 UTC on are Monday's: the next week's."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    counts = notes_per_week(dt.date(2026, 11, 12))
    by_week: dict[dt.date, int] = {}
    for item in counts:
        by_week[item.week] = by_week.get(item.week, 0) + item.count
    assert by_week == {dt.date(2026, 10, 26): 1, dt.date(2026, 11, 2): 11}


def _date_variable(variable_id: int, name: str) -> VariableInfo:
    return VariableInfo(variable_id, name, "date", variable_id)


def test_default_close_variable() -> None:
    follow = _date_variable(1, "Next visit")
    close = _date_variable(2, "Estimated close date")
    french = _date_variable(3, "Date de clôture prévue")
    assert default_close_variable(Settings(variables=(follow, close))) == 2
    assert default_close_variable(Settings(variables=(follow, french))) == 3
    assert default_close_variable(Settings(variables=(follow,))) == 1
    assert default_close_variable(Settings()) is None


def test_amount_by_close_month_is_the_same_from_the_kept_months_as_from_the_values(
    world: CrmWorld,
) -> None:
    """The close month and amount kept beside each customer's status (the pipeline's
    default variables) give the charts the same figures as the per-customer lookups that
    any other pair of variables takes, filtered or not."""
    from crm_tui.db import customer_state
    from crm_tui.db.models import database_proxy

    close = default_close_variable(world.settings)
    create_note(
        world.ana,
        NoteInput(
            customer="Initech",
            status="Prospect",
            values={"Estimated close date": "2027-01-31", "Deal value": "0.01"},
        ),
    )
    filters = [
        deal(world, close_variable_id=close),
        deal(world, close_variable_id=close, close_from=dt.date(2027, 1, 1)),
        deal(world, close_variable_id=close, assignee_id=world.ana.id),
        PipelineFilter(sum_variable_id=None, close_variable_id=close),
    ]
    database = database_proxy.obj
    assert customer_state.pipeline_variables(database) == (
        close,
        variable(world.settings, "Deal value"),
    )
    kept = [amount_by_close_month(flt) for flt in filters]
    assert kept[0]  # something to compare
    customer_state.keep_pipeline_variables(database, None, None)  # the lookups, then
    assert [amount_by_close_month(flt) for flt in filters] == kept


def test_the_kept_months_follow_the_settings(world: CrmWorld) -> None:
    """A settings write that changes the pipeline's default variables (a new currency
    variable first) sets every customer's kept close month and amount again, in the
    same write; the charts' figures stay those of the variables asked for."""
    from crm_tui.db import customer_state
    from crm_tui.db.models import database_proxy
    from crm_tui.domain.cockpit.pipeline import default_variables
    from crm_tui.domain.settings_variables import create_variable, reorder_variables

    database = database_proxy.obj
    close = default_close_variable(world.settings)
    before = amount_by_close_month(deal(world, close_variable_id=close))
    new = create_variable(world.ana, name="Budget", type="currency")
    others = [v.id for v in world.settings.variables if v.id != new.id]
    reorder_variables(world.ana, [new.id, *others])
    assert customer_state.pipeline_variables(database) == (close, new.id) == default_variables()
    assert_state_matches_notes(database)
    assert amount_by_close_month(deal(world, close_variable_id=close)) == before
