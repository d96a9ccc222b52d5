"""Fixtures of the notes screen tests: a database with users, settings and fixed notes.

``crm_world`` builds two users (ana, admin; bob, rep), the starter statuses and actions,
three variables (a "Time zone" dropdown whose option order is not alphabetical, an
"Estimated close date" and a "Deal value") and twelve notes created at fixed times.
The database is a SQLite file, or the PostgreSQL test database when
``CRM_TEST_DATABASE_URL`` is set. The fixtures ``ana_app`` (ana on that data, the list
loaded) and ``admin_app`` (an admin on the Settings tests' data) run the app; the helpers
of every Pilot test are in ``tests/ui/pilot.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import peewee
import pytest
from textual.pilot import Pilot

from crm_tui.db.models import database_proxy
from crm_tui.domain.ids import NoteIdAllocator
from crm_tui.domain.notes import PreparedNote, TypedValue, insert_prepared
from crm_tui.domain.settings import create_variable, ensure_starter_settings, load_settings
from crm_tui.domain.text import fold
from crm_tui.domain.users import create_user
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.app import CrmApp
from tests.ui.pilot import SIZE, TODAY, make_app, settle
from tests.ui.settings_fixtures import admin_user, seed_settings

TIME_ZONES = (  # configured order: east to west, not alphabetical
    ("EST", "E", "#000000", "#FFF59D"),
    ("CST", "C", "#FFFFFF", "#6A1B9A"),
    ("MST", "M", "#FFFFFF", "#00695C"),
    ("PST", "P", "#000000", "#80DEEA"),
)


@dataclass(frozen=True)
class CrmWorld:
    """The fixed data set: users, settings and note ids by label."""

    database: peewee.Database
    ana: UserInfo
    bob: UserInfo
    settings: Settings
    notes: dict[str, int]

    def variable_id(self, name: str) -> int:
        """The id of the variable called ``name``."""
        return next(v.id for v in self.settings.variables if v.name == name)

    def status_id(self, name: str) -> int:
        """The id of the status called ``name``."""
        return next(s.id for s in self.settings.statuses if s.name == name)


def build_settings(admin: UserInfo) -> Settings:
    """Starter statuses and actions plus the three test variables."""
    ensure_starter_settings()
    create_variable(
        admin,
        name="Time zone",
        type="dropdown",
        options=[
            {
                "name": name,
                "abbreviation": short,
                "font_color": font,
                "background_color": background,
                "in_sequence": True,
            }
            for name, short, font, background in TIME_ZONES
        ],
    )
    create_variable(admin, name="Estimated close date", type="date")
    create_variable(admin, name="Deal value", type="currency")
    return load_settings()


# label, customer, action, status, assignee, follow-up, time zone, close date, cents, body
FIXED_NOTES = (
    ("acme1", "Acme Corp", "Call", "Prospect", "ana", "2026-11-20", "PST", "2026-12-15",
     150000, "Call Acme about the spring order"),
    ("acme2", "Acme Corp", "E-mail", "Client", "bob", None, "EST", "2027-01-10",
     None, "Sent the price list"),
    ("dubois", "Dubois SARL", "Send sample", "Awaiting approval", "bob", "2026-12-02", "CST",
     None, 42050, "Ship sample to Dubois, awaiting approval"),
    ("emile", "Émile Zola Books", "Call", "No answer", "ana", "2026-11-28", None, "2026-12-01",
     None, "No answer twice; try again Monday"),
    ("emilie", "Emilie Bakery", "Fax", "Active", None, None, "MST", "2026-12-20",
     9900, "Faxed the contract"),
    ("eric", "Eric & Sons", "Ship", "Done", "bob", "2026-11-29", "EST", None,
     250000, "Shipped 40 pallets"),
    ("globex", "Globex", "Order follow-up", "On hold", "ana", "2027-02-01", "PST", "2027-03-01",
     None, "Order follow-up after the budget freeze"),
    ("initech", "Initech", "Call", "Prospect", "bob", "2026-10-01", None, None,
     None, "Cold call, interested in the spring catalogue"),
    ("umbrella", "Umbrella Ltd", "E-mail", "Inactive", None, None, "CST", "2026-12-05",
     500000, "Asked for references"),
    ("zeta", "Zeta Farms", "Call", "Client", "ana", "2026-12-24", "MST", None,
     12345, "Christmas order confirmed"),
    ("acme3", "Acme Corp", "Ship", "Done", "ana", None, None, None,
     None, "Second shipment delivered\nwith a note on the second line"),
    ("hooli", "Hooli", "Send sample", "Prospect", "bob", "2026-11-01", "EST", "2027-01-10",
     77700, "Sample of the blue widget sent"),
)  # fmt: skip


def build_world(database: peewee.Database) -> CrmWorld:
    """Users, settings and the twelve fixed notes (created one hour apart)."""
    ana = create_user(None, "ana")
    bob = create_user(ana, "bob", role="rep")
    settings = build_settings(ana)
    users = {"ana": ana.id, "bob": bob.id}
    statuses = {s.name: s.id for s in settings.statuses}
    actions = {a.name: a.id for a in settings.actions}
    zone = next(v for v in settings.variables if v.name == "Time zone")
    options = {o.name: o.id for o in zone.options}
    close = next(v for v in settings.variables if v.name == "Estimated close date")
    deal = next(v for v in settings.variables if v.name == "Deal value")
    start = dt.datetime(2026, 11, 1, 9, 0)
    prepared: list[tuple[PreparedNote, dt.datetime]] = []
    for number, row in enumerate(FIXED_NOTES):
        _label, customer, action, status, assignee, follow, tz, closing, cents, body = row
        values: dict[int, TypedValue] = {}
        if tz:
            values[zone.id] = TypedValue(zone.id, option_id=options[tz])
        if closing:
            values[close.id] = TypedValue(close.id, date=dt.date.fromisoformat(closing))
        if cents is not None:
            values[deal.id] = TypedValue(deal.id, cents=cents)
        note = PreparedNote(
            customer=customer,
            action_id=actions[action],
            status_id=statuses[status],
            assignee_id=users[assignee] if assignee else None,
            follow_up=dt.date.fromisoformat(follow) if follow else None,
            body=body,
            values=values,
        )
        prepared.append((note, start + dt.timedelta(hours=number)))
    with database_proxy.atomic():
        ids = insert_prepared(prepared, ana.id)
    notes = {row[0]: note_id for row, note_id in zip(FIXED_NOTES, ids, strict=True)}
    return CrmWorld(database, ana, bob, load_settings(), notes)


def build_many(settings: Settings, author: UserInfo, count: int, seed: int = 7) -> None:
    """``count`` generated notes (2,000 customers) in one transaction, fast."""
    rng = random.Random(seed)
    zone = next(v for v in settings.variables if v.name == "Time zone")
    close = next(v for v in settings.variables if v.name == "Estimated close date")
    customers = [f"Customer {number:04d}" for number in range(2000)]
    words = ("order", "call", "sample", "invoice", "budget", "pallets", "visit", "price")
    start = dt.datetime(2020, 1, 1)
    prepared: list[tuple[PreparedNote, dt.datetime]] = []
    for number in range(count):
        values = {zone.id: TypedValue(zone.id, option_id=rng.choice(zone.options).id)}
        if rng.random() < 0.6:
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(700))
            values[close.id] = TypedValue(close.id, date=day)
        note = PreparedNote(
            customer=rng.choice(customers),
            action_id=rng.choice(settings.actions).id,
            status_id=rng.choice(settings.statuses).id,
            assignee_id=author.id if rng.random() < 0.5 else None,
            follow_up=TODAY + dt.timedelta(days=rng.randrange(-60, 60)),
            body=f"Note {number}: {rng.choice(words)} {rng.choice(words)}",
            values=values,
        )
        prepared.append((note, start + dt.timedelta(minutes=5 * number)))
    # The generated notes are years older than any other: no id to look up per second.
    allocator = NoteIdAllocator(lambda first, last: None)
    with database_proxy.atomic():
        insert_prepared(prepared, author.id, allocator)


@pytest.fixture
def crm_world(database: peewee.Database) -> CrmWorld:
    """The fixed data set in a fresh database (PostgreSQL when CRM_TEST_DATABASE_URL is set)."""
    return build_world(database)


@pytest.fixture
async def ana_app(crm_world: CrmWorld) -> AsyncIterator[Pilot]:
    """ana (admin) in the app on the fixed data set, the list loaded."""
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield pilot


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, an admin, with the Settings tests' data (``seed_settings``)."""
    first = admin_user()
    seed_settings(first)
    return first


@pytest.fixture
async def admin_app(database: peewee.Database, admin: UserInfo) -> AsyncIterator[Pilot]:
    """The admin of ``admin`` in the app, on the notes list."""
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        yield pilot


def folded(text: str) -> str:
    """Case- and accent-insensitive form, for assertions on names."""
    return fold(text)


def header_text(app: CrmApp) -> str:
    """The header line of the notes list, as drawn (scrolled sideways if it is)."""
    from crm_tui.ui.widgets.note_list import NoteTable

    return app.screen.query_one(NoteTable).render_line(0).text


def shown_lines(app: CrmApp) -> list[str]:
    """The row lines of the notes list as drawn, top to bottom (blank lines dropped)."""
    from crm_tui.ui.widgets.note_list import NoteTable

    table = app.screen.query_one(NoteTable)
    height = table.scrollable_content_region.height
    lines = [table.render_line(y).text.rstrip() for y in range(1, height)]
    return [line for line in lines if line.strip()]


def shown_ids(app: CrmApp) -> list[int]:
    """Ids of the notes on screen, top to bottom."""
    from crm_tui.ui.widgets.note_list import NoteTable

    table = app.screen.query_one(NoteTable)
    return [row.id for row in table.visible_rows() if row is not None]
