"""Fixed data for the note editor, note view and customers tests.

Two users (ana, admin; bob, rep), the starter statuses and actions, one variable of each
type, three customers and a few notes created at fixed times, on a fresh database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crm_tui.domain.customers import create_customer
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.settings import create_variable, ensure_starter_settings
from crm_tui.domain.users import create_user
from crm_tui.records import UserInfo

TIME_ZONES = (
    ("PST", "P", "#000000", "#E3F2FD"),
    ("MST", "M", "#000000", "#BBDEFB"),
    ("CST", "C", "#000000", "#90CAF9"),
    ("EST", "E", "#000000", "#64B5F6"),
)


@dataclass(frozen=True)
class World:
    """What the fixed data set holds, by name."""

    ana: UserInfo
    bob: UserInfo
    customers: dict[str, int]
    notes: dict[str, int]


def build_world(database: peewee.Database) -> World:
    """Users, settings with one variable of each type, customers and notes, in ``database``."""
    ana = create_user(None, "ana")
    bob = create_user(ana, "bob", role="rep")
    ensure_starter_settings()
    create_variable(
        ana,
        name="Time zone",
        type="dropdown",
        options=[
            {
                "name": name,
                "abbreviation": abbreviation,
                "font_color": font,
                "background_color": background,
                "in_sequence": True,
            }
            for name, abbreviation, font, background in TIME_ZONES
        ],
    )
    create_variable(ana, name="Close date", type="date")
    create_variable(ana, name="Deal value", type="currency")
    create_variable(ana, name="Employees", type="number")
    create_variable(ana, name="Segment", type="text")
    customers = {
        name: create_customer(ana, name, email, phone).id
        for name, email, phone in (
            ("Acme Corp", "buy@acme.example", "+1 555 0100"),
            ("Globex", "info@globex.example", "+1 555 0199"),
            ("Émile Dubois", "emile@dubois.example", "+33 1 23 45 67 89"),
        )
    }
    at = dt.datetime(2026, 11, 20, 9, 30)
    notes = {
        "acme-old": create_note(
            ana,
            NoteInput(
                "Acme Corp",
                action="Call",
                status="Prospect",
                assignee="ana",
                body="First call: interested in samples.",
                values={"Time zone": "EST", "Deal value": "1000.00", "Segment": "Retail"},
            ),
            created_at=at,
        ),
        "acme-new": create_note(
            bob,
            NoteInput(
                "Acme Corp",
                action="Send sample",
                status="Awaiting approval",
                assignee="bob",
                follow_up="2026-12-02",
                body="Samples sent, waiting for their approval.",
                values={
                    "Time zone": "PST",
                    "Close date": "2027-01-15",
                    "Deal value": "2500.50",
                    "Employees": "120",
                    "Segment": "Wholesale",
                },
            ),
            created_at=at + dt.timedelta(days=2),
        ),
        "globex": create_note(
            ana,
            NoteInput("Globex", action="E-mail", status="Client", body="Sent the price list."),
            created_at=at + dt.timedelta(days=3),
        ),
    }
    return World(ana=ana, bob=bob, customers=customers, notes=notes)
