"""Real time: timestamps are stored in UTC and shown in the viewer's zone.

Every stored timestamp (notes created and updated, history, users, customers) is a
naive ``datetime`` holding UTC, whoever writes it and wherever. The viewer's zone is
the zone of the process showing it (``TZ`` or the system's). Dates (follow-ups,
"today") are days in the viewer's zone, unchanged.
"""

from __future__ import annotations

import datetime as dt

UTC = dt.UTC


def utc_now() -> dt.datetime:
    """The current time in UTC, naive, to the second: what is stored."""
    return dt.datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def to_utc(stamp: dt.datetime) -> dt.datetime:
    """The naive UTC time of ``stamp``: an aware one is converted, a naive one is read as
    the local time of this process. Raises ``OverflowError`` beyond years 1-9999."""
    aware = stamp if stamp.tzinfo is not None else stamp.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(stamp: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as the local time of this process, naive, for showing."""
    try:
        return stamp.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    except (OverflowError, ValueError):  # at the very ends of the calendar
        return stamp


def local_midnight_utc(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) time at which ``day`` begins in the local zone."""
    try:
        return to_utc(dt.datetime.combine(day, dt.time()))
    except (OverflowError, ValueError):  # at the very ends of the calendar
        return dt.datetime.combine(day, dt.time())
