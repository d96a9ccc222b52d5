"""Parsing and formatting of typed values: dates, timestamps, numbers, currency."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from crm_tui import clock
from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURRENCY = re.compile(r"[+-]?(?:\d+(?:\.\d{0,2})?|\.\d{1,2})")
_CURRENCY_LOOSE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_RELATIVE = re.compile(r"\+(\d+)\s*([dw])")

VARIABLE_TYPES = ("text", "currency", "date", "number", "dropdown")
MAX_CENTS = 2**63 - 1  # the largest amount a 64-bit integer column holds


def parse_date(value: str, field: str, today: dt.date | None = None) -> dt.date | None:
    """Parse an ISO ``YYYY-MM-DD`` date; blank gives ``None``.

    With ``today`` given, also accepts ``today``, ``tomorrow``, ``+3d`` and ``+2w``.
    """
    text = (value or "").strip()
    if not text:
        return None
    if today is not None:
        lowered = text.lower()
        if lowered == _("today") or lowered == "today":
            return today
        if lowered == _("tomorrow") or lowered == "tomorrow":
            return today + dt.timedelta(days=1)
        relative = _RELATIVE.fullmatch(lowered)
        if relative:
            try:
                days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
                return today + dt.timedelta(days=days)
            except (OverflowError, ValueError):  # past year 9999, or too many digits
                raise ValidationError(
                    field, _("{value!r} is too far in the future").format(value=text)
                ) from None
    if not _DATE.fullmatch(text):
        raise ValidationError(field, _("{value!r} is not a date (YYYY-MM-DD)").format(value=text))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, _("{value!r} is not a real date").format(value=text)) from None


def parse_timestamp(value: str, field: str) -> dt.datetime | None:
    """Parse an ISO 8601 timestamp to naive UTC (as stored), whole seconds; blank gives ``None``.

    A timestamp with an offset is converted; one without is the local time of this process.
    Times outside ``FIRST_TIME``…``LAST_TIME`` are refused in one line, never a crash.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        if _DATE.fullmatch(text):
            stamp = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        else:
            stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            field,
            _("{value!r} is not a timestamp (YYYY-MM-DDTHH:MM:SS)").format(value=text),
        ) from None
    try:
        stamp = clock.to_utc(stamp)
    except (OverflowError, ValueError):
        raise _out_of_range(field, text) from None
    if not FIRST_TIME <= stamp <= LAST_TIME:  # shown in any zone without overflowing
        raise _out_of_range(field, text)
    return stamp.replace(microsecond=0)


def parse_currency(value: str, field: str) -> int | None:
    """Parse a plain decimal with at most 2 decimals into integer cents; blank gives ``None``."""
    text = (value or "").strip()
    if not text:
        return None
    if not _CURRENCY.fullmatch(text):
        if _CURRENCY_LOOSE.fullmatch(text):
            problem = _("{value!r} has more than 2 decimals").format(value=text)
        else:
            problem = _("{value!r} is not an amount (digits, a dot, at most 2 decimals)").format(
                value=text
            )
        raise ValidationError(field, problem)
    cents = int(Decimal(text) * 100)
    if abs(cents) > MAX_CENTS:
        raise ValidationError(
            field,
            _("{value!r} is too large (amounts up to ±{max})").format(
                value=text, max=format_currency(MAX_CENTS)
            ),
        )
    return cents


def format_currency(cents: int | None) -> str:
    """Format integer cents as a plain decimal with two places (``1234.50``)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def parse_number(value: str, field: str) -> float | None:
    """Parse a finite number (``12``, ``-3.5``, ``1e3``); blank gives ``None``."""
    text = (value or "").strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise ValidationError(field, _("{value!r} is not a number").format(value=text))
    number = float(text)
    if not math.isfinite(number):
        raise ValidationError(
            field, _("{value!r} is too large (numbers up to ±1.8e308)").format(value=text)
        )
    return number


def format_number(number: float | None) -> str:
    """Format a number without a trailing ``.0`` when it is whole."""
    if number is None:
        return ""
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def format_timestamp(stamp: dt.datetime | None) -> str:
    """A stored (UTC) time as the viewer's local time, ISO 8601: ``2026-11-02T09:30:00``.

    The file format of shared/SPEC.md (no offset), so an export in one zone imports back
    exactly in the same zone; ``parse_timestamp`` also takes a time with an offset.
    """
    if not stamp:
        return ""
    return clock.to_local(stamp.replace(microsecond=0)).isoformat(timespec="seconds")


def format_date(day: dt.date | None) -> str:
    """ISO ``YYYY-MM-DD``."""
    return day.isoformat() if day else ""


# Times a note may carry: a day short of Python's range at both ends, so that the time
# can be shown in any zone and a whole day after it still exists.
FIRST_TIME = dt.datetime(1, 1, 2)
LAST_TIME = dt.datetime(9999, 12, 30, 23, 59, 59)


def _out_of_range(field: str, text: str) -> ValidationError:
    return ValidationError(
        field,
        _("{value!r} is out of range: use a time from {first} to {last}").format(
            value=text, first=FIRST_TIME.date().isoformat(), last=LAST_TIME.date().isoformat()
        ),
    )


def check_day_in_range(day: dt.date, field: str, text: str) -> dt.date:
    """``day`` if a note may be created on it (see ``FIRST_TIME``), else a refusal."""
    if not FIRST_TIME.date() <= day <= LAST_TIME.date():
        raise _out_of_range(field, text)
    return day
