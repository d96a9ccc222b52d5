"""The "Local" column: a customer's local time and a call-now light, cheap to paint.

A customer's zone (``NoteRow.zone``, ``CustomerRow.zone``) gives its local time (HH:MM)
and a light: callable now (``●``, green), opening or closing within the hour (``◑`` /
``◐``, amber), closed (``○``, dim). The symbol says it without colour; the colours are
the theme's (the list's ``*--light-*`` component classes).

``LocalClock`` answers per zone for the current minute: the first row of a zone in a
minute computes it, every other row is a dictionary lookup, so the column costs nothing
measurable on key to frame. Lists ask ``LocalClock.moved`` on a minute tick (the app's
``Timing.clock_interval``) and repaint when the minute changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.style import Style

from crm_tui import clock
from crm_tui.domain.cockpit.hours import CallLight, call_light, local_now
from crm_tui.i18n import N_, _
from crm_tui.records import BusinessHours, Settings
from crm_tui.ui.timing import CLOCK_INTERVAL, Timing

LOCAL_COLUMN = "local_time"
"""Column id of the Local column (the same id sorts by local time)."""
LOCAL_WIDTH = 7
"""``● 14:05``: the light, a blank, HH:MM."""

SYMBOLS = {
    CallLight.OPEN: "●",
    CallLight.CLOSING: "◐",
    CallLight.OPENING: "◑",
    CallLight.CLOSED: "○",
}
"""The light without colour: full (open), half (within the hour), empty (closed)."""

MEANINGS = {
    CallLight.OPEN: N_("callable now"),
    CallLight.CLOSING: N_("closes within the hour"),
    CallLight.OPENING: N_("opens within the hour"),
    CallLight.CLOSED: N_("closed"),
}
"""What each light means, in words (legends and help)."""


@dataclass(frozen=True, slots=True)
class LocalCell:
    """What the Local column shows for one zone this minute."""

    time: str
    """The local time, ``HH:MM``."""
    light: CallLight

    @property
    def symbol(self) -> str:
        """The light's symbol (``●`` ``◐`` ``◑`` ``○``)."""
        return SYMBOLS[self.light]

    @property
    def text(self) -> str:
        """``● 14:05``."""
        return f"{self.symbol} {self.time}"


def has_local_column(settings: Settings) -> bool:
    """Whether lists show a Local column: some dropdown's options carry zones."""
    return settings.time_zone_variable() is not None


def local_label() -> str:
    """The Local column's header (translated when drawn)."""
    return _("Local")


def light_meaning(light: CallLight) -> str:
    """What ``light`` means, in the language in force."""
    return _(MEANINGS[light])


def minute_of(now_utc: dt.datetime) -> dt.datetime:
    """``now_utc`` to the minute (what the column's cache is keyed by)."""
    return now_utc.replace(second=0, microsecond=0)


class LocalClock:
    """Local time and light per zone for the current minute (see the module docstring)."""

    def __init__(self, hours: BusinessHours) -> None:
        self.hours = hours
        self.minute = minute_of(clock.utc_now())
        self._cells: dict[str, LocalCell | None] = {}

    def set_hours(self, hours: BusinessHours) -> None:
        """Other business hours (the settings changed): every light again."""
        if hours != self.hours:
            self.hours = hours
            self._cells.clear()

    def moved(self) -> bool:
        """Read the clock: whether the minute changed since the cells were computed (then
        they are dropped and the list repaints)."""
        minute = minute_of(clock.utc_now())
        if minute == self.minute:
            return False
        self.minute = minute
        self._cells.clear()
        return True

    def cell(self, zone: str | None) -> LocalCell | None:
        """``zone``'s local time and light this minute (``None``: no zone, or unknown)."""
        if zone is None:
            return None
        try:
            return self._cells[zone]
        except KeyError:
            pass
        try:
            local = local_now(zone, self.minute)
            cell: LocalCell | None = LocalCell(
                local.strftime("%H:%M"), call_light(zone, self.hours, self.minute)
            )
        except Exception:  # an unknown zone (refused on input, but stored data is data)
            cell = None
        self._cells[zone] = cell
        return cell


@dataclass(frozen=True, slots=True)
class LightStyles:
    """The Rich styles of the lights (from a list's ``{prefix}--light-*`` classes)."""

    open: Style
    soon: Style
    closed: Style

    def of(self, light: CallLight) -> Style:
        """The style of ``light``."""
        if light is CallLight.OPEN:
            return self.open
        if light is CallLight.CLOSED:
            return self.closed
        return self.soon


def clock_interval(context: object) -> float | None:
    """Seconds between two looks at the clock for a list shown with ``context`` (the
    session: its ``Timing``); ``None``: only when the test calls the tick."""
    timing = getattr(context, "timing", None)
    if isinstance(timing, Timing):
        return timing.clock_interval
    return CLOCK_INTERVAL
