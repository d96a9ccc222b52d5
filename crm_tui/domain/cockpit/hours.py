"""Time zones and business hours: whether a customer can be called now.

A dropdown option may carry an IANA time zone (``Badge.time_zone``); the first dropdown
whose options carry zones is the time-zone variable (``Settings.time_zone_variable``).
Business hours (``BusinessHours``) are in the customer's local time: the listed days,
``start`` included, ``end`` excluded. Zones come from ``zoneinfo`` with the ``tzdata``
package, so no system zone database is needed. Times given as naive datetimes are UTC
(as ``crm_tui.clock`` gives them).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.records import BusinessHours, Settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The day names business hours use, Monday first (``date.weekday()`` order)."""
SOON = dt.timedelta(hours=1)
"""How close an opening or a closing makes the light ``OPENING`` or ``CLOSING``."""
_CLOCK_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


class CallLight(StrEnum):
    """Whether a customer can be called now, in four steps."""

    OPEN = "open"
    """Inside business hours, more than an hour before they end."""
    CLOSING = "closing"
    """Inside business hours, which end within the hour."""
    OPENING = "opening"
    """Outside business hours, which begin within the hour."""
    CLOSED = "closed"
    """Outside business hours, and not opening within the hour."""


# --- zones -------------------------------------------------------------------------


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name ``zoneinfo`` knows (from ``tzdata`` or the system)."""
    return frozenset(available_timezones())


@cache
def sorted_zones() -> tuple[str, ...]:
    """``known_zones`` in alphabetical order (what a zone field completes from)."""
    return tuple(sorted(known_zones()))


def check_zone(name: str, field: str) -> str:
    """``name`` stripped, if it is a known IANA zone; else ``ValidationError`` naming
    ``field`` and the zone (``unknown time zone 'Mars/Base'``)."""
    zone = (name or "").strip()
    if zone not in known_zones():
        raise ValidationError(field, _("unknown time zone {name!r}").format(name=zone))
    return zone


def _utc(now_utc: dt.datetime) -> dt.datetime:
    if now_utc.tzinfo is None:
        return now_utc.replace(tzinfo=dt.UTC)
    return now_utc.astimezone(dt.UTC)


def local_now(zone: str, now_utc: dt.datetime) -> dt.datetime:
    """``now_utc`` (naive UTC, or aware) as an aware datetime in ``zone``."""
    return _utc(now_utc).astimezone(ZoneInfo(zone))


# --- business hours ----------------------------------------------------------------


def _is_open_at(local: dt.datetime, hours: BusinessHours) -> bool:
    if WEEKDAYS[local.weekday()] not in hours.days:
        return False
    return hours.start <= local.time().replace(tzinfo=None) < hours.end


def is_open(zone: str, hours: BusinessHours, now_utc: dt.datetime) -> bool:
    """Whether it is inside business hours in ``zone`` now (start included, end excluded)."""
    return _is_open_at(local_now(zone, now_utc), hours)


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The aware moment ``time`` on ``day`` in ``zone`` (a time skipped by a clock change
    counts as the instant the clock jumped over it)."""
    return dt.datetime.combine(day, time, tzinfo=zone)


def call_light(zone: str, hours: BusinessHours, now_utc: dt.datetime) -> CallLight:
    """The light of a customer in ``zone`` now: open, closing, opening or closed.

    "Within the hour" counts real time (an hour of a clock change day is an hour): a
    closing 60 minutes away or less is ``CLOSING``; an opening 60 minutes away or less
    is ``OPENING``.
    """
    now = _utc(now_utc)
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    if _is_open_at(local, hours):
        closing = _at(local.date(), hours.end, tz).astimezone(dt.UTC)
        return CallLight.CLOSING if closing - now <= SOON else CallLight.OPEN
    for day in (local.date(), local.date() + dt.timedelta(days=1)):
        if WEEKDAYS[day.weekday()] not in hours.days:
            continue
        opening = _at(day, hours.start, tz).astimezone(dt.UTC)
        if now < opening:
            return CallLight.OPENING if opening - now <= SOON else CallLight.CLOSED
    return CallLight.CLOSED


def open_zone_options(settings: Settings, now_utc: dt.datetime) -> frozenset[int]:
    """The option ids of the time-zone variable whose zone is inside business hours now
    (archived options included: notes keep them)."""
    variable = settings.time_zone_variable()
    if variable is None:
        return frozenset()
    hours = settings.business_hours
    return frozenset(
        option.id
        for option in variable.options
        if option.time_zone and is_open(option.time_zone, hours, now_utc)
    )


def local_time_order(settings: Settings, now_utc: dt.datetime) -> tuple[int, ...]:
    """The option ids of the time-zone variable that carry a zone, the furthest-along
    local time first (the latest local date and time; ties in option order). Options
    without a zone are left out: they sort after these."""
    variable = settings.time_zone_variable()
    if variable is None:
        return ()
    now = _utc(now_utc)
    zoned = [
        (index, option.id, local_now(option.time_zone, now).replace(tzinfo=None))
        for index, option in enumerate(variable.options)
        if option.time_zone
    ]
    zoned.sort(key=lambda item: item[2], reverse=True)  # stable: ties keep option order
    return tuple(option_id for _index, option_id, _local in zoned)


# --- business hours as stored and in files -----------------------------------------


def format_clock(time: dt.time) -> str:
    """``time`` as ``HH:MM`` (as files and the settings store hold it)."""
    return f"{time.hour:02d}:{time.minute:02d}"


def parse_clock(text: Any, field: str) -> dt.time:
    """``HH:MM`` (``9:00`` too) as a time; ``ValidationError`` naming ``field`` else."""
    match = _CLOCK_TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(
            field, _("{value!r} is not a time of day (HH:MM, e.g. 09:00)").format(value=text)
        )
    return dt.time(int(match[1]), int(match[2]))


def check_days(days: Any, field: str) -> tuple[str, ...]:
    """Day names (``mon`` … ``sun``, any case) as ``BusinessHours.days``: lowercase,
    each once, Monday first; at least one."""
    if not isinstance(days, list | tuple) or not days:
        raise ValidationError(
            field, _("a list of one or more days is expected (mon, tue, wed, thu, fri, sat, sun)")
        )
    picked: set[str] = set()
    for index, day in enumerate(days):
        name = day.strip().lower() if isinstance(day, str) else None
        if name not in WEEKDAYS:
            raise ValidationError(
                f"{field}[{index}]",
                _("{value!r} is not a day (mon, tue, wed, thu, fri, sat, sun)").format(value=day),
            )
        picked.add(name)
    return tuple(day for day in WEEKDAYS if day in picked)


def check_business_hours(data: Any, field: str) -> BusinessHours:
    """Business hours from their JSON form (``{"days": [...], "start": "09:00", "end":
    "17:00"}``); a missing key takes its default. Refuses, naming ``field`` and the key,
    anything else, and a start not before the end."""
    if not isinstance(data, dict):
        raise ValidationError(field, _("an object with days, start and end is expected"))
    unknown = sorted(set(data) - {"days", "start", "end"})
    if unknown:
        raise ValidationError(f"{field}.{unknown[0]}", _("unknown field"))
    default = BusinessHours()
    days = check_days(data["days"], f"{field}.days") if "days" in data else default.days
    start = parse_clock(data["start"], f"{field}.start") if "start" in data else default.start
    end = parse_clock(data["end"], f"{field}.end") if "end" in data else default.end
    if not start < end:
        raise ValidationError(
            f"{field}.end",
            _("the end ({end}) must come after the start ({start})").format(
                end=format_clock(end), start=format_clock(start)
            ),
        )
    return BusinessHours(days=days, start=start, end=end)


def business_hours_data(hours: BusinessHours) -> dict[str, Any]:
    """``hours`` in their JSON form (what ``check_business_hours`` reads back)."""
    return {
        "days": list(hours.days),
        "start": format_clock(hours.start),
        "end": format_clock(hours.end),
    }
