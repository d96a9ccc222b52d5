"""Settings of the cockpit at 80x24 and 120x40, on fixed data: the status form of a done
status, the action form with its default follow-up, the option form with a zone being
completed, the business-hours form, and the Action tab saying an action's delay."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import peewee
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.domain import settings as domain
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.ui.app import CrmApp
from tests.ui.pilot import make_app, settle
from tests.ui.settings_fixtures import admin_user, seed_settings

SIZES = ((80, 24), (120, 40))


def cockpit_app(database: peewee.Database) -> CrmApp:
    """An admin on the Settings fixtures, with Call's delay (2 days) and EST's zone set."""
    admin = admin_user()
    seed_settings(admin)
    current = domain.load_settings()
    call = next(a for a in current.actions if a.name == "Call")
    domain.update_badge(admin, "action", call.id, follow_up_days=2)
    zone = next(v for v in current.variables if v.name == "Time zone")
    est = next(o for o in zone.options if o.name == "EST")
    domain.update_badge(admin, "option", est.id, time_zone="America/Toronto")
    create_note(admin, NoteInput(customer="Acme", status="Prospect", body="Call back"))
    return make_app(database, admin)


def _zone_typed(pilot: Pilot) -> Awaitable[None]:
    field = pilot.app.screen.query_one("#field-zone", Input)
    field.focus()
    return pilot.press(*"america/los")


Step = str | Callable[[Pilot], Awaitable[None]]
SCENES: dict[str, Sequence[Step]] = {
    "done_status_form": ("f4", "end", "up", "enter"),  # Done (Inactive, archived, is last)
    "action_form_follow_up": ("f4", "2", "enter"),  # Call
    "option_form_zone_completed": ("f4", "3", "tab", "enter", _zone_typed),  # PST
    "business_hours_form": ("f4", "b"),
    "action_tab_follow_up": ("f4", "2"),
}


def _scene(steps: Sequence[Step]) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            else:
                await step(pilot)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def _make_test(name: str, steps: Sequence[Step], size: tuple[int, int]) -> Any:
    def test(snap_compare: Any, database: peewee.Database) -> None:
        app = cockpit_app(database)
        assert snap_compare(app, terminal_size=size, run_before=_scene(steps))

    test.__name__ = f"test_{name}_{size[0]}x{size[1]}"
    test.__doc__ = f"The {name.replace('_', ' ')} at {size[0]}x{size[1]}."
    return test


for _name, _steps in SCENES.items():
    for _size in SIZES:
        _test = _make_test(_name, _steps, _size)
        globals()[_test.__name__] = _test
