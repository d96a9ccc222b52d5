"""Time zones and business hours at their edges: start included, end excluded, weekends,
half-hour zones, daylight-saving change days, opening and closing within the hour."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain.cockpit.hours import (
    CallLight,
    business_hours_data,
    call_light,
    check_business_hours,
    check_zone,
    is_open,
    local_now,
    local_time_order,
    open_zone_options,
)
from crm_tui.domain.errors import ValidationError
from crm_tui.records import Badge, BusinessHours, Settings, VariableInfo

OFFICE = BusinessHours()  # mon-fri, 09:00-17:00
EVERY_DAY = BusinessHours(days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def utc(text: str) -> dt.datetime:
    """A naive UTC time, as ``crm_tui.clock`` gives."""
    return dt.datetime.fromisoformat(text)


# --- local time ----------------------------------------------------------------------


def test_local_now_is_the_zone_s_wall_clock() -> None:
    local = local_now("America/Toronto", utc("2027-01-15 14:00"))
    assert (local.hour, local.minute, local.utcoffset()) == (9, 0, dt.timedelta(hours=-5))


def test_an_aware_time_is_taken_as_the_instant_it_is() -> None:
    paris = dt.datetime(2027, 1, 15, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert local_now("America/Toronto", paris).time() == dt.time(9, 0)


@pytest.mark.parametrize(
    ("zone", "at_utc", "wall"),
    [
        ("Asia/Kolkata", "2027-01-15 03:30", "09:00"),  # +05:30
        ("America/St_Johns", "2027-01-15 12:30", "09:00"),  # -03:30 in winter
        ("America/St_Johns", "2027-07-15 11:30", "09:00"),  # -02:30 in summer
        ("Asia/Kathmandu", "2027-01-15 03:15", "09:00"),  # +05:45
    ],
)
def test_odd_offsets_give_the_right_wall_clock(zone: str, at_utc: str, wall: str) -> None:
    assert local_now(zone, utc(at_utc)).strftime("%H:%M") == wall


# --- inside business hours: start included, end excluded --------------------------------


@pytest.mark.parametrize(
    ("at_utc", "expected"),
    [
        ("2027-01-15 13:59", False),  # Friday 08:59 in Toronto
        ("2027-01-15 14:00", True),  # 09:00: the start is inside
        ("2027-01-15 21:59", True),  # 16:59
        ("2027-01-15 22:00", False),  # 17:00: the end is outside
        ("2027-01-16 15:00", False),  # Saturday 10:00
        ("2027-01-17 15:00", False),  # Sunday 10:00
        ("2027-01-18 14:00", True),  # Monday 09:00
    ],
)
def test_toronto_office_hours(at_utc: str, expected: bool) -> None:
    assert is_open("America/Toronto", OFFICE, utc(at_utc)) is expected


def test_the_day_is_the_customer_s_day_not_utc_s() -> None:
    # Friday 23:00 UTC is Saturday 08:00 in Tokyo: closed there, although a weekday in UTC.
    saturday_hours = BusinessHours(days=("sat",), start=dt.time(8), end=dt.time(12))
    assert is_open("Asia/Tokyo", saturday_hours, utc("2027-01-15 23:00"))
    assert not is_open("Asia/Tokyo", OFFICE, utc("2027-01-15 23:00"))


@pytest.mark.parametrize(
    ("zone", "at_utc", "expected"),
    [
        ("Asia/Kolkata", "2027-01-15 03:29", False),  # 08:59 IST
        ("Asia/Kolkata", "2027-01-15 03:30", True),  # 09:00 IST
        ("Asia/Kolkata", "2027-01-15 11:29", True),  # 16:59 IST
        ("Asia/Kolkata", "2027-01-15 11:30", False),  # 17:00 IST
        ("America/St_Johns", "2027-01-15 12:29", False),  # 08:59 NST
        ("America/St_Johns", "2027-01-15 12:30", True),  # 09:00 NST
        ("America/St_Johns", "2027-01-15 20:30", False),  # 17:00 NST
    ],
)
def test_half_hour_zones(zone: str, at_utc: str, expected: bool) -> None:
    assert is_open(zone, OFFICE, utc(at_utc)) is expected


def test_toronto_opens_an_hour_earlier_in_utc_after_the_clocks_go_forward() -> None:
    # 2027-03-14: 02:00 EST becomes 03:00 EDT. 13:00 UTC is 08:00 on Saturday, 09:00 on Sunday.
    assert not is_open("America/Toronto", EVERY_DAY, utc("2027-03-13 13:00"))
    assert is_open("America/Toronto", EVERY_DAY, utc("2027-03-13 14:00"))
    assert not is_open("America/Toronto", EVERY_DAY, utc("2027-03-14 12:59"))
    assert is_open("America/Toronto", EVERY_DAY, utc("2027-03-14 13:00"))
    assert is_open("America/Toronto", EVERY_DAY, utc("2027-03-14 20:59"))
    assert not is_open("America/Toronto", EVERY_DAY, utc("2027-03-14 21:00"))


def test_paris_on_its_clock_change_day() -> None:
    # 2027-03-28: 02:00 CET becomes 03:00 CEST; 09:00 is 07:00 UTC from that day on.
    assert not is_open("Europe/Paris", EVERY_DAY, utc("2027-03-28 06:59"))
    assert is_open("Europe/Paris", EVERY_DAY, utc("2027-03-28 07:00"))
    assert is_open("Europe/Paris", EVERY_DAY, utc("2027-03-27 08:00"))  # 09:00 CET
    assert not is_open("Europe/Paris", EVERY_DAY, utc("2027-03-27 07:59"))


# --- the light -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at_utc", "light"),
    [
        ("2027-01-15 12:59", CallLight.CLOSED),  # 07:59: opens in 61 minutes
        ("2027-01-15 13:00", CallLight.OPENING),  # 08:00: opens in an hour
        ("2027-01-15 13:59", CallLight.OPENING),  # 08:59
        ("2027-01-15 14:00", CallLight.OPEN),  # 09:00
        ("2027-01-15 20:59", CallLight.OPEN),  # 15:59: closes in 61 minutes
        ("2027-01-15 21:00", CallLight.CLOSING),  # 16:00: closes in an hour
        ("2027-01-15 21:59", CallLight.CLOSING),  # 16:59
        ("2027-01-15 22:00", CallLight.CLOSED),  # 17:00 on Friday
        ("2027-01-16 15:00", CallLight.CLOSED),  # Saturday 10:00
        ("2027-01-18 04:30", CallLight.CLOSED),  # Sunday 23:30: Monday is 9½ hours away
        ("2027-01-18 13:30", CallLight.OPENING),  # Monday 08:30 after a weekend
    ],
)
def test_the_light_in_toronto(at_utc: str, light: CallLight) -> None:
    assert call_light("America/Toronto", OFFICE, utc(at_utc)) is light


def test_the_light_in_a_half_hour_zone() -> None:
    assert call_light("Asia/Kolkata", OFFICE, utc("2027-01-15 02:30")) is CallLight.OPENING
    assert call_light("Asia/Kolkata", OFFICE, utc("2027-01-15 02:29")) is CallLight.CLOSED
    assert call_light("Asia/Kolkata", OFFICE, utc("2027-01-15 10:30")) is CallLight.CLOSING
    assert call_light("Asia/Kolkata", OFFICE, utc("2027-01-15 10:29")) is CallLight.OPEN


def test_an_opening_just_after_midnight_is_seen_from_the_day_before() -> None:
    night_shift = BusinessHours(days=("sat",), start=dt.time(0, 15), end=dt.time(6))
    # Friday 23:30 in Toronto (04:30 UTC Saturday): opens in 45 minutes, on Saturday.
    assert call_light("America/Toronto", night_shift, utc("2027-01-16 04:30")) is CallLight.OPENING


def test_within_the_hour_counts_real_time_on_a_clock_change_day() -> None:
    early = BusinessHours(days=EVERY_DAY.days, start=dt.time(3), end=dt.time(12))
    # Toronto 01:30 EST; the clock jumps from 02:00 to 03:00: 03:00 is 30 minutes away.
    assert call_light("America/Toronto", early, utc("2027-03-14 06:30")) is CallLight.OPENING
    late = BusinessHours(days=EVERY_DAY.days, start=dt.time(0), end=dt.time(3))
    # Paris 01:30 CET; 03:00 CEST (the end) is 30 minutes away, though 90 on the wall clock.
    assert call_light("Europe/Paris", late, utc("2027-03-28 00:30")) is CallLight.CLOSING
    assert call_light("Europe/Paris", late, utc("2027-03-27 23:30")) is CallLight.OPEN


# --- the time-zone variable --------------------------------------------------------------


def _option(option_id: int, name: str, zone: str | None) -> Badge:
    return Badge(option_id, "option", name, name[:3], "#000000", "#FFFFFF", time_zone=zone)


def _zone_settings(hours: BusinessHours = OFFICE) -> Settings:
    segment = VariableInfo(1, "Segment", "dropdown", 0, options=(_option(1, "Retail", None),))
    archived = VariableInfo(
        2, "Old zone", "dropdown", 1, archived=True, options=(_option(2, "Old", "Asia/Tokyo"),)
    )
    zone = VariableInfo(
        3,
        "Time zone",
        "dropdown",
        2,
        options=(
            _option(10, "PST", "America/Los_Angeles"),
            _option(11, "EST", "America/Toronto"),
            _option(12, "Other", None),
            _option(13, "IST", "Asia/Kolkata"),
            _option(14, "EST too", "America/New_York"),
        ),
    )
    later = VariableInfo(4, "Region", "dropdown", 3, options=(_option(20, "EU", "Europe/Paris"),))
    return Settings(variables=(segment, archived, zone, later), business_hours=hours)


def test_the_time_zone_variable_is_the_first_active_dropdown_with_zones() -> None:
    settings = _zone_settings()
    variable = settings.time_zone_variable()
    assert variable is not None and variable.name == "Time zone"
    assert Settings().time_zone_variable() is None


def test_open_zone_options_are_those_inside_business_hours() -> None:
    settings = _zone_settings()
    # Friday 16:00 UTC: 11:00 in Toronto and New York, 08:00 in Los Angeles, 21:30 in India.
    assert open_zone_options(settings, utc("2027-01-15 16:00")) == {11, 14}
    # 18:00 UTC: 10:00 in Los Angeles too.
    assert open_zone_options(settings, utc("2027-01-15 18:00")) == {10, 11, 14}
    assert open_zone_options(settings, utc("2027-01-16 18:00")) == frozenset()  # Saturday


def test_local_time_order_puts_the_furthest_along_first_ties_in_option_order() -> None:
    order = local_time_order(_zone_settings(), utc("2027-01-15 16:00"))
    assert order == (13, 11, 14, 10)  # India, then Toronto and New York (tie), then LA


def test_local_time_order_crosses_midnight() -> None:
    # 20:00 UTC: 01:30 on Saturday in India is further along than Friday 15:00 in Toronto.
    assert local_time_order(_zone_settings(), utc("2027-01-15 20:00"))[0] == 13


# --- checking what people type and what files hold ---------------------------------------


def test_a_known_zone_passes_stripped() -> None:
    assert check_zone("  America/Toronto ", "time zone") == "America/Toronto"


@pytest.mark.parametrize("name", ["Mars/Base", "", "america/toronto", "/etc/passwd"])
def test_an_unknown_zone_is_refused_naming_field_and_zone(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_zone(name, "variables[0].options[2].time_zone")
    assert str(caught.value) == (
        f"variables[0].options[2].time_zone: unknown time zone {name.strip()!r}"
    )


def test_business_hours_read_from_json_and_back() -> None:
    data = {"days": ["sat", "MON", "mon"], "start": "8:30", "end": "12:00"}
    hours = check_business_hours(data, "business_hours")
    assert hours == BusinessHours(days=("mon", "sat"), start=dt.time(8, 30), end=dt.time(12))
    assert business_hours_data(hours) == {"days": ["mon", "sat"], "start": "08:30", "end": "12:00"}
    assert check_business_hours({}, "business_hours") == BusinessHours()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "business_hours: an object with days, start and end is expected"),
        ({"start": "9h"}, "business_hours.start: '9h' is not a time of day (HH:MM, e.g. 09:00)"),
        ({"end": "24:00"}, "business_hours.end: '24:00' is not a time of day (HH:MM, e.g. 09:00)"),
        ({"start": 9}, "business_hours.start: 9 is not a time of day (HH:MM, e.g. 09:00)"),
        (
            {"start": "17:00", "end": "09:00"},
            "business_hours.end: the end (09:00) must come after the start (17:00)",
        ),
        (
            {"start": "09:00", "end": "09:00"},
            "business_hours.end: the end (09:00) must come after the start (09:00)",
        ),
        (
            {"days": ["mon", "monday"]},
            "business_hours.days[1]: 'monday' is not a day (mon, tue, wed, thu, fri, sat, sun)",
        ),
        (
            {"days": []},
            "business_hours.days: a list of one or more days is expected"
            " (mon, tue, wed, thu, fri, sat, sun)",
        ),
        (
            {"days": "mon"},
            "business_hours.days: a list of one or more days is expected"
            " (mon, tue, wed, thu, fri, sat, sun)",
        ),
        ({"hours": 8}, "business_hours.hours: unknown field"),
    ],
)
def test_malformed_business_hours_are_refused_naming_the_path(data: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_business_hours(data, "business_hours")
    assert str(caught.value) == message
