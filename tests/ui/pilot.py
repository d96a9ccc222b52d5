"""What every Pilot test uses: the app with today fixed, and waiting without a clock.

``make_app`` opens the real app on a database as a user, today fixed at ``TODAY``.
``settle`` lets the workers finish and their answers be handled; ``wait_for`` runs the
app until a condition holds, in rounds of the message loop, never in seconds;
``until_quiet`` until every key typed ahead is handled.
``DRIVEN`` is the timing of tests that drive the app's own delays (the watch for
others' changes, the sign-in retry) by calling what its timers would call.
The fixtures built on these (``admin_app``, ``ana_app``) are in ``tests/ui/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import peewee
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from crm_tui.records import UserInfo
from crm_tui.ui.app import CrmApp
from crm_tui.ui.timing import Timing

TODAY = dt.date(2026, 11, 29)
SIZE = (120, 40)
DRIVEN = Timing(watch_interval=None, retry_timer=False)
"""No timer of the app's own runs: the test calls ``look_for_changes``/``allow_retry``."""


def make_app(database: peewee.Database, user: UserInfo, **options: Any) -> CrmApp:
    """The real app on ``database`` as ``user``, today fixed at ``TODAY``.

    ``options``: the app's other keywords (``watch``, ``query``, ``timing``).
    """
    return CrmApp(database, user, today=TODAY, **options)


async def workers_done(app: App) -> None:
    """Wait for the app's workers (one cancelled by a newer one counts as done)."""
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def settle(pilot: Pilot) -> None:
    """Wait for the workers and the messages they post, then for the screen."""
    for _ in range(4):
        await workers_done(pilot.app)
        await pilot.pause()


async def wait_for(pilot: Pilot, ready: Callable[[], bool], rounds: int = 200) -> None:
    """Let the app run until ``ready()`` (timers included), without sleeping blindly."""
    for _ in range(rounds):
        if ready():
            await settle(pilot)
            return
        await pilot.pause()
        await workers_done(pilot.app)
    raise AssertionError("the app never got ready")


async def until_quiet(pilot: Pilot) -> None:
    """Let the app handle every key and paste sent (workers included)."""
    app = pilot.app
    assert isinstance(app, CrmApp)
    for _ in range(400):
        await settle(pilot)
        if not app.keys_waiting:
            await settle(pilot)
            return
    raise AssertionError(f"{app.keys_waiting} keys never handled")


def screen_text(app: App) -> str:
    """What the current screen shows, as plain text, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
