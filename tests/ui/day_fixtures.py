"""The data of the cockpit's Local column and My day tests: the fixed notes world with
zones on its time-zone options, a Monday, and a few follow-ups in the coming days.

``DAY`` is Monday 30 November 2026 and ``NOW`` 16:30 UTC that day: Toronto (EST) 11:30
callable ●, Chicago (CST) 10:30 callable ●, Kolkata (MST, a half-hour offset) 22:00
closed ○, Los Angeles (PST) 08:30 opening within the hour ◑. Business hours are the
default (Monday to Friday, 09:00 to 17:00). ``Done`` is a done status; ``Call`` has a
default follow-up of 2 days.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from crm_tui import clock
from crm_tui.db import customer_state
from crm_tui.db.models import Action, Option, Status, database_proxy
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.settings import load_settings
from crm_tui.records import UserInfo
from crm_tui.ui.app import CrmApp
from crm_tui.ui.timing import Timing
from tests.ui.conftest import CrmWorld, build_world

DAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 16, 30)
ZONES = {
    "EST": "America/Toronto",
    "CST": "America/Chicago",
    "MST": "Asia/Kolkata",
    "PST": "America/Los_Angeles",
}
DRIVEN_CLOCK = Timing(watch_interval=None, retry_timer=False, clock_interval=None)
"""No timer of the app's own: the tests call ``tick_clock`` after moving the clock."""

# customer, action, status, assignee, follow-up, time zone, body
DAY_NOTES = (
    ("Northwind", "Call", "Prospect", "ana", "2026-11-30", "EST", "Call about the pilot"),
    ("Kolkata Tea", "E-mail", "Client", "ana", "2026-11-30", "MST", "Send the new prices"),
    ("Pacific Lumber", "Call", "Prospect", "ana", "2026-11-30", "PST", "First call"),
    ("Closed Deal", "Call", "Done", "ana", "2026-11-30", "EST", "Nothing left to do"),
    ("Chicago Steel", "Send sample", "Awaiting approval", "ana", "2026-12-02", "CST",
     "Sample of the red widget"),
    ("Bob's Diner", "Call", "Prospect", "bob", "2026-11-30", "CST", "Bob calls the diner"),
)  # fmt: skip


class FrozenClock:
    """The clock the app reads (``crm_tui.clock.utc_now``), moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """``crm_tui.clock.utc_now`` fixed at ``NOW`` (move it with ``.now = …``)."""
    fake = FrozenClock(NOW)
    monkeypatch.setattr(clock, "utc_now", fake)
    return fake


def build_day_world(database: peewee.Database) -> CrmWorld:
    """The fixed notes world, zones on its options, Done done, Call 2 days, ``DAY_NOTES``."""
    world = build_world(database)
    for name, zone in ZONES.items():
        Option.update(time_zone=zone).where(Option.name == name).execute()
    customer_state.sync_zones(database_proxy)  # the world's notes were written without zones
    Status.update(done=True).where(Status.name == "Done").execute()
    Action.update(follow_up_days=2).where(Action.name == "Call").execute()
    settings = load_settings()
    zone_name = next(v.name for v in settings.variables if v.name == "Time zone")
    users = {"ana": world.ana, "bob": world.bob}
    for number, row in enumerate(DAY_NOTES):
        customer, action, status, assignee, follow_up, zone, body = row
        create_note(
            world.ana,
            _input(customer, action, status, users[assignee], follow_up, zone_name, zone, body),
            created_at=dt.datetime(2026, 11, 30, 8, number),
            today=DAY,
        )
    return CrmWorld(database, world.ana, world.bob, load_settings(), world.notes)


def _input(
    customer: str,
    action: str,
    status: str,
    assignee: UserInfo,
    follow_up: str,
    zone_name: str,
    zone: str,
    body: str,
) -> NoteInput:
    return NoteInput(
        customer=customer,
        action=action,
        status=status,
        assignee=assignee.name,
        follow_up=follow_up,
        body=body,
        values={zone_name: zone},
    )


def day_app(world: CrmWorld, user: UserInfo | None = None) -> CrmApp:
    """The app on ``world`` as ``user`` (ana), today ``DAY``, no timer of its own."""
    return CrmApp(world.database, user or world.ana, today=DAY, timing=DRIVEN_CLOCK)
