"""Typed values as users type them: currency, numbers, dates, timestamps."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.values import (
    format_currency,
    format_date,
    format_number,
    format_timestamp,
    parse_currency,
    parse_date,
    parse_number,
    parse_timestamp,
)

TODAY = dt.date(2026, 1, 30)


# --- currency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.5", 1250),
        ("1234.50", 123450),
        ("-3", -300),
        ("0.1", 10),
        ("0.29", 29),
        ("1.00", 100),
        (".5", 50),
        ("+7.01", 701),
        (" 42 ", 4200),
        ("9999999999999.99", 999999999999999),
        ("-0.01", -1),
        ("92233720368547758.07", 2**63 - 1),
        ("-92233720368547758.07", -(2**63 - 1)),
    ],
)
def test_currency_is_exact_integer_cents(typed: str, cents: int) -> None:
    parsed = parse_currency(typed, "Budget")
    assert parsed == cents
    assert isinstance(parsed, int)


AMOUNTS_UP_TO = " (amounts up to ±92233720368547758.07)"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("12.345", "'12.345' has more than 2 decimals"),
        ("1,5", "'1,5' is not an amount (digits, a dot, at most 2 decimals)"),
        ("abc", "'abc' is not an amount (digits, a dot, at most 2 decimals)"),
        ("1e3", "'1e3' is not an amount (digits, a dot, at most 2 decimals)"),
        ("NaN", "'NaN' is not an amount (digits, a dot, at most 2 decimals)"),
        ("Infinity", "'Infinity' is not an amount (digits, a dot, at most 2 decimals)"),
        ("1_000", "'1_000' is not an amount (digits, a dot, at most 2 decimals)"),
        ("$12", "'$12' is not an amount (digits, a dot, at most 2 decimals)"),
        ("1 000", "'1 000' is not an amount (digits, a dot, at most 2 decimals)"),
        ("--1", "'--1' is not an amount (digits, a dot, at most 2 decimals)"),
        (
            "92233720368547758.08",
            "'92233720368547758.08' is too large" + AMOUNTS_UP_TO,
        ),
        (
            "99999999999999999999",
            "'99999999999999999999' is too large" + AMOUNTS_UP_TO,
        ),
        (
            "-99999999999999999999.99",
            "'-99999999999999999999.99' is too large" + AMOUNTS_UP_TO,
        ),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(typed: str, problem: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_currency(typed, "Budget")
    assert (error.value.field, error.value.problem) == ("Budget", problem)


@pytest.mark.parametrize("blank", ["", "  ", None])
def test_a_blank_amount_is_no_value(blank: str | None) -> None:
    assert parse_currency(blank, "Budget") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cents", "text"),
    [(123450, "1234.50"), (-300, "-3.00"), (5, "0.05"), (-5, "-0.05"), (0, "0.00"), (None, "")],
)
def test_currency_is_shown_as_a_plain_decimal(cents: int | None, text: str) -> None:
    assert format_currency(cents) == text
    if cents is not None:
        assert parse_currency(text, "Budget") == cents


# --- numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("12", 12.0),
        ("-3.5", -3.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        (".5", 0.5),
        ("1e308", 1e308),
    ],
)
def test_numbers(typed: str, number: float) -> None:
    assert parse_number(typed, "Score") == number


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("NaN", "'NaN' is not a number"),
        ("nan", "'nan' is not a number"),
        ("inf", "'inf' is not a number"),
        ("-Infinity", "'-Infinity' is not a number"),
        ("1e999", "'1e999' is too large (numbers up to ±1.8e308)"),
        ("-1e999", "'-1e999' is too large (numbers up to ±1.8e308)"),
        ("1_000", "'1_000' is not a number"),
        ("1,5", "'1,5' is not a number"),
        ("0x10", "'0x10' is not a number"),
        ("twelve", "'twelve' is not a number"),
    ],
)
def test_numbers_must_be_finite(typed: str, problem: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_number(typed, "Score")
    assert (error.value.field, error.value.problem) == ("Score", problem)


@pytest.mark.parametrize(
    ("number", "text"),
    [(1000.0, "1000"), (-3.5, "-3.5"), (0.1, "0.1"), (1e20, "1e+20"), (None, "")],
)
def test_numbers_are_shown_without_a_useless_fraction(number: float | None, text: str) -> None:
    assert format_number(number) == text


# --- dates -------------------------------------------------------------------------


def test_iso_dates() -> None:
    assert parse_date("2026-02-28", "Close date") == dt.date(2026, 2, 28)
    assert parse_date(" 2024-02-29 ", "Close date") == dt.date(2024, 2, 29)
    assert parse_date("", "Close date") is None
    assert format_date(dt.date(2026, 3, 1)) == "2026-03-01"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("2025-02-29", "'2025-02-29' is not a real date"),
        ("2026-13-01", "'2026-13-01' is not a real date"),
        ("2026-00-10", "'2026-00-10' is not a real date"),
        ("26-01-01", "'26-01-01' is not a date (YYYY-MM-DD)"),
        ("20260101", "'20260101' is not a date (YYYY-MM-DD)"),
        ("2026-1-5", "'2026-1-5' is not a date (YYYY-MM-DD)"),
        ("01/02/2026", "'01/02/2026' is not a date (YYYY-MM-DD)"),
        ("2026-W01-1", "'2026-W01-1' is not a date (YYYY-MM-DD)"),
        ("tomorrow", "'tomorrow' is not a date (YYYY-MM-DD)"),
    ],
)
def test_dates_must_be_real_iso_dates(typed: str, problem: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_date(typed, "Close date")
    assert (error.value.field, error.value.problem) == ("Close date", problem)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", dt.date(2026, 1, 30)),
        ("TODAY", dt.date(2026, 1, 30)),
        ("tomorrow", dt.date(2026, 1, 31)),
        ("+3d", dt.date(2026, 2, 2)),
        ("+2w", dt.date(2026, 2, 13)),
        ("+0d", dt.date(2026, 1, 30)),
        ("2026-05-01", dt.date(2026, 5, 1)),
    ],
)
def test_follow_up_shortcuts(typed: str, expected: dt.date) -> None:
    assert parse_date(typed, "follow-up", today=TODAY) == expected


@pytest.mark.parametrize(
    "typed", ["+99999999d", "+999999999999w", "+3000000d", "+" + "9" * 5000 + "d"]
)
def test_shortcuts_past_the_calendar_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_date(typed, "follow-up", today=TODAY)
    assert error.value.field == "follow-up"
    assert error.value.problem == f"{typed!r} is too far in the future"


@pytest.mark.parametrize("typed", ["-3d", "+3m", "+d", "3d", "yesterday"])
def test_other_shortcuts_are_not_dates(typed: str) -> None:
    with pytest.raises(ValidationError, match="is not a date"):
        parse_date(typed, "follow-up", today=TODAY)


# --- timestamps --------------------------------------------------------------------


def test_timestamps() -> None:
    stamp = dt.datetime(2026, 1, 2, 3, 4, 5)
    assert parse_timestamp("2026-01-02T03:04:05", "created_at") == stamp
    assert parse_timestamp("2026-01-02T03:04:05.999", "created_at") == stamp
    assert parse_timestamp("2026-01-02", "created_at") == dt.datetime(2026, 1, 2)
    assert parse_timestamp("", "created_at") is None
    assert format_timestamp(stamp.replace(microsecond=5)) == "2026-01-02T03:04:05"
    with pytest.raises(ValidationError) as error:
        parse_timestamp("yesterday noon", "created_at")
    assert error.value.field == "created_at"
