"""Issue 15: a browser session's sign-in (the name, the password, a refusal) at 80x24 and
120x40, on the fixed data (none of which may show)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import peewee
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui import clock
from crm_tui.domain.users import hash_password, set_password
from tests.ui.conftest import build_world
from tests.ui.pilot import DRIVEN, make_app, settle

SIZES = ((80, 24), (120, 40))
NOW = dt.datetime(2026, 11, 29, 9, 30)


async def _name_step(pilot: Pilot) -> None:
    """Nothing typed yet: the name field has the focus."""


async def _password_step(pilot: Pilot) -> None:
    await pilot.press(*"ana", "enter", *"s3c")


async def _refused(pilot: Pilot) -> None:
    await pilot.press(*"ana", "enter", *"wrong", "enter")


SCENES: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "name": _name_step,
    "password": _password_step,
    "refused": _refused,
}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("scene", list(SCENES))
def test_browser_sign_in(
    snap_compare: Any, database: peewee.Database, scene: str, size: tuple[int, int]
) -> None:
    world = build_world(database)
    set_password(world.ana, world.ana.id, hash_password("s3cret"))
    app = make_app(database, None, watch=False, timing=DRIVEN)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await SCENES[scene](pilot)
        await settle(pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture vary
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
