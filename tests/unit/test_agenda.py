"""The agenda and My day: whose notes, which ones, in what order; logging an outcome."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from cockpit_world import World, make_world

from crm_tui.db.models import Note
from crm_tui.domain import history
from crm_tui.domain.cockpit.agenda import (
    DAY_SECTION,
    OVERDUE_SECTION,
    TODAY_SECTION,
    agenda_pager,
    load_my_day,
    outcome_prefill,
    save_outcome,
)
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.note_input import NoteInput
from crm_tui.domain.notes import get_note
from crm_tui.domain.undo import undo

TODAY = dt.date(2027, 1, 15)  # a Friday
MORNING = dt.datetime(2027, 1, 15, 14, 0)  # 09:00 in Toronto, 06:00 in Vancouver
START = dt.datetime(2027, 1, 4, 9, 0)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def team(database: peewee.Database) -> World:
    return make_world()


@pytest.fixture
def rob_notes(team: World) -> dict[str, int]:
    """Notes named by what they are; Rob's unless the name says otherwise."""
    made: dict[str, int] = {}
    specs = [
        # name, customer, zone, status, assignee, follow-up offset
        ("late_vancouver", "Vancouver Inc", "PST", "Prospect", "Rob", -3),
        ("late_toronto", "Toronto Co", "EST", "Prospect", "Rob", -2),
        ("late_no_status", "Nowhere Inc", "", "", "Rob", -3),
        ("late_done", "Toronto Co", "", "Done", "Rob", -5),
        ("late_ana", "Toronto Co", "", "Prospect", "Ana", -1),
        ("today_vancouver", "Vancouver Inc", "", "Client", "Rob", 0),
        ("today_toronto", "Toronto Co", "", "Client", "Rob", 0),
        ("today_toronto_newer", "Toronto Co", "", "No answer", "Rob", 0),
        ("tomorrow", "Chicago Corp", "CST", "Prospect", "Rob", 1),
        ("in_three_days", "Toronto Co", "", "Prospect", "Rob", 3),
        ("no_follow_up", "Toronto Co", "", "Prospect", "Rob", None),
        ("unassigned", "Toronto Co", "", "Prospect", "", -1),
    ]
    for index, (name, customer, zone, status, assignee, offset) in enumerate(specs):
        made[name] = team.note(
            customer,
            zone=zone,
            status=status,
            action="Call",
            assignee=assignee,
            follow_up=None if offset is None else day(offset),
            at=START + dt.timedelta(hours=index),
            body=name,
        )
    return made


def ids(rows) -> list[int]:
    return [row.id for row in rows]


# --- the agenda -------------------------------------------------------------------------


def test_the_agenda_is_open_follow_ups_due_by_today_earliest_first(team, rob_notes) -> None:
    pager = agenda_pager(team.rob, None, 0, TODAY)
    n = rob_notes
    assert ids(pager.iter_rows()) == [
        n["late_no_status"],  # both 3 days late: the newest first
        n["late_vancouver"],
        n["late_toronto"],
        n["today_toronto_newer"],
        n["today_toronto"],
        n["today_vancouver"],
    ]  # not: Done, Ana's, unassigned, no follow-up, later ones


def test_the_agenda_days_ahead(team, rob_notes) -> None:
    n = rob_notes
    rows = list(agenda_pager(team.rob, None, 3, TODAY).iter_rows())
    assert ids(rows)[-2:] == [n["tomorrow"], n["in_three_days"]]
    assert len(rows) == 8
    assert [row.follow_up for row in rows] == sorted(row.follow_up for row in rows)
    assert len(list(agenda_pager(team.rob, None, 2, TODAY).iter_rows())) == 7


def test_admins_see_anyone_s_agenda_reps_only_their_own(team, rob_notes) -> None:
    assert ids(agenda_pager(team.ana, team.rob, 0, TODAY).iter_rows()) == ids(
        agenda_pager(team.rob, None, 0, TODAY).iter_rows()
    )
    assert ids(agenda_pager(team.ana, None, 0, TODAY).iter_rows()) == [rob_notes["late_ana"]]
    assert ids(agenda_pager(team.rob, team.rob, 0, TODAY).iter_rows())
    with pytest.raises(PermissionDenied, match="Rob is not an admin: only admins can look at"):
        agenda_pager(team.rob, team.ana, 0, TODAY)
    with pytest.raises(ValidationError, match="days"):
        agenda_pager(team.rob, None, -1, TODAY)


def test_a_status_marked_done_later_leaves_the_agenda(team, rob_notes) -> None:
    from crm_tui.db.models import Status
    from crm_tui.domain.settings import load_settings

    Status.update(done=True).where(Status.name == "Client").execute()
    assert load_settings().status(team.settings.statuses[2].id).done
    rows = list(agenda_pager(team.rob, None, 0, TODAY).iter_rows())
    assert rob_notes["today_toronto"] not in ids(rows)
    assert rob_notes["today_toronto_newer"] in ids(rows)


# --- My day ---------------------------------------------------------------------------


def test_my_day_sections_callable_first(team, rob_notes) -> None:
    n = rob_notes
    my_day = load_my_day(team.rob, None, 3, TODAY, MORNING)
    assert my_day.user == team.rob
    kinds = [(s.kind, s.day, s.count) for s in my_day.sections]
    assert kinds == [
        (OVERDUE_SECTION, None, 3),
        (TODAY_SECTION, TODAY, 3),
        (DAY_SECTION, day(1), 1),
        (DAY_SECTION, day(2), 0),  # empty, kept
        (DAY_SECTION, day(3), 1),
    ]
    overdue, today = my_day.sections[0], my_day.sections[1]
    # 09:00 in Toronto: its customers first; then the others by follow-up, newest first
    assert ids(overdue.rows) == [n["late_toronto"], n["late_no_status"], n["late_vancouver"]]
    assert ids(today.rows) == [n["today_toronto_newer"], n["today_toronto"], n["today_vancouver"]]
    assert [row.zone for row in today.rows] == ["America/Toronto"] * 2 + ["America/Los_Angeles"]


def test_my_day_later_in_the_day_and_a_limit(team, rob_notes) -> None:
    n = rob_notes
    evening = dt.datetime(2027, 1, 15, 22, 30)  # Toronto closed, Vancouver and Chicago open
    my_day = load_my_day(team.rob, None, 1, TODAY, evening, limit=2)
    overdue, today, tomorrow = my_day.sections
    assert ids(overdue.rows) == [n["late_vancouver"], n["late_no_status"]]
    assert (overdue.count, len(overdue.rows)) == (3, 2)
    assert ids(today.rows) == [n["today_vancouver"], n["today_toronto_newer"]]
    assert today.count == 3
    assert ids(tomorrow.rows) == [n["tomorrow"]] and tomorrow.count == 1


def test_my_day_of_someone_else_is_for_admins(team, rob_notes) -> None:
    assert load_my_day(team.ana, team.rob.id, 0, TODAY, MORNING).user.name == "Rob"
    with pytest.raises(PermissionDenied):
        load_my_day(team.rob, team.ana.id, 0, TODAY, MORNING)
    with pytest.raises(NotFound):
        load_my_day(team.ana, 9999, 0, TODAY, MORNING)


# --- logging an outcome ---------------------------------------------------------------


def test_outcome_prefill_takes_the_action_s_delay(team, rob_notes) -> None:
    prefill = outcome_prefill(rob_notes["late_toronto"], TODAY)
    status = team.settings.statuses[0]
    assert (prefill.customer, prefill.status_id) == ("Toronto Co", status.id)
    assert prefill.assignee_id == team.rob.id
    assert prefill.follow_up == day(3)  # Call: three days
    mail = team.note("Acme", action="E-mail", at=START)
    assert outcome_prefill(mail, TODAY).follow_up is None
    with pytest.raises(NotFound):
        outcome_prefill(123456789, TODAY)


def test_saving_an_outcome_clears_the_follow_up_in_one_undo_step(team, rob_notes) -> None:
    handled = rob_notes["late_toronto"]
    before = get_note(handled)
    data = NoteInput(
        customer="Toronto Co",
        action="Call",
        status="Client",
        assignee="Rob",
        follow_up="+3d",
        body="Called: they signed.",
    )
    saved = save_outcome(team.rob, handled, data, TODAY)
    assert (saved.customer, saved.follow_up, saved.body) == ("Toronto Co", day(3), data.body)
    after = get_note(handled)
    assert after.follow_up is None and after.version == before.version + 1
    lines = history.history_of("note", handled)
    assert (lines[0].field, lines[0].old, lines[0].new) == ("follow_up", "2027-01-13", None)
    created = history.history_of("note", saved.id)
    assert [line.field for line in created] == ["created"]
    assert handled not in ids(agenda_pager(team.rob, None, 0, TODAY).iter_rows())
    undo(team.rob, TODAY)
    assert Note.get_or_none(Note.id == saved.id) is None
    assert get_note(handled).follow_up == day(-2)


def test_a_bad_outcome_changes_nothing(team, rob_notes) -> None:
    handled = rob_notes["late_toronto"]
    count = Note.select().count()
    with pytest.raises(ValidationError):
        save_outcome(team.rob, handled, NoteInput(customer="Toronto Co", status="Nope"), TODAY)
    assert get_note(handled).follow_up == day(-2) and Note.select().count() == count
    with pytest.raises(NotFound):
        save_outcome(team.rob, 987654321, NoteInput(customer="Toronto Co"), TODAY)
    assert Note.select().count() == count
