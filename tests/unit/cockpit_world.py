"""A small team with zoned customers, for the agenda, My day and ``callable`` tests.

Ana (admin) and Rob (rep), the example settings with a zone on each time-zone option
(plus a half-hour zone and an option without a zone), status Done marked done and the
action Call with a three-day default follow-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from test_exchange_support import EXAMPLE_SETTINGS

from crm_tui.db.models import Action, Option, Status
from crm_tui.domain import users
from crm_tui.domain.exchange.settings_json import import_settings_json
from crm_tui.domain.note_input import NoteInput
from crm_tui.domain.notes import create_note
from crm_tui.domain.settings import load_settings
from crm_tui.domain.settings_badges import create_badge
from crm_tui.records import Settings, UserInfo

ZONES = {
    "PST": "America/Los_Angeles",
    "MST": "America/Edmonton",
    "CST": "America/Chicago",
    "EST": "America/Toronto",
    "IST": "Asia/Kolkata",  # +05:30
}
"""The zone of each time-zone option; option ``???`` has none."""
COLORS = {"font_color": "#000000", "background_color": "#FFFFFF"}


@dataclass
class World:
    """The team and the settings of a cockpit test."""

    ana: UserInfo
    rob: UserInfo
    settings: Settings

    def note(
        self,
        customer: str,
        *,
        zone: str = "",
        status: str = "",
        action: str = "",
        assignee: str = "",
        follow_up: dt.date | None = None,
        at: dt.datetime,
        body: str = "",
    ) -> int:
        """Create a note as Ana, created ``at`` (naive UTC); returns its id."""
        values = {"Time zone": zone} if zone else {}
        data = NoteInput(
            customer=customer,
            action=action,
            status=status,
            assignee=assignee,
            follow_up=follow_up.isoformat() if follow_up else "",
            body=body or f"{customer} {at:%H:%M}",
            values=values,
        )
        return create_note(self.ana, data, created_at=at)


def make_world() -> World:
    """Ana, Rob and the zoned example settings in the current (empty) database."""
    ana = users.create_user(None, "Ana")
    import_settings_json(ana, EXAMPLE_SETTINGS)
    rob = users.create_user(ana, "Rob", role="rep")
    settings = load_settings()
    zone_variable = next(v for v in settings.variables if v.name == "Time zone")
    create_badge(
        ana, "option", name="IST", abbreviation="I", variable_id=zone_variable.id, **COLORS
    )
    create_badge(
        ana, "option", name="???", abbreviation="Q", variable_id=zone_variable.id, **COLORS
    )
    for name, zone in ZONES.items():
        Option.update(time_zone=zone).where(
            (Option.variable == zone_variable.id) & (Option.name == name)
        ).execute()
    Status.update(done=True).where(Status.name == "Done").execute()
    Action.update(follow_up_days=3).where(Action.name == "Call").execute()
    return World(ana, rob, load_settings())
