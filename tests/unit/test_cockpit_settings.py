"""The cockpit's settings: done statuses, default follow-ups, zones on options, business
hours; in forms (the domain), in the settings JSON (round trip, refusals), undo, history."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import peewee
import pytest
from test_db_snapshot import refused

from crm_tui.domain import settings, users
from crm_tui.domain.app_settings import business_hours_setting, set_business_hours
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.settings_json import import_settings_json, write_settings_json
from crm_tui.domain.history import history_of
from crm_tui.domain.undo import undo
from crm_tui.i18n import set_language
from crm_tui.records import BusinessHours, UserInfo

WORKED_EXAMPLE = Path(__file__).parents[2] / "examples" / "settings.json"
WEEKEND = BusinessHours(days=("sat", "sun"), start=dt.time(10), end=dt.time(14, 30))


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    return users.create_user(None, "Ana")


@pytest.fixture
def rep(admin: UserInfo) -> UserInfo:
    return users.create_user(admin, "Rob", role="rep")


def exported() -> dict[str, Any]:
    stream = io.StringIO()
    write_settings_json(settings.load_settings(), stream)
    return json.loads(stream.getvalue())


def badge(name: str, abbreviation: str = "AB", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "abbreviation": abbreviation,
        "font_color": "#000000",
        "background_color": "#FFFFFF",
        **extra,
    }


def save(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def zone_variable(admin: UserInfo, *zones: str | None) -> int:
    options = [badge(f"Z{index}", f"Z{index}", time_zone=zone) for index, zone in enumerate(zones)]
    return settings.create_variable(admin, name="Time zone", type="dropdown", options=options).id


# --- the starter set ---------------------------------------------------------------------


@pytest.mark.parametrize(("language", "done"), [("en", "Done"), ("fr", "Terminé")])
def test_the_starter_set_marks_done(database: peewee.Database, language: str, done: str) -> None:
    set_language(language)
    settings.ensure_starter_settings()
    assert [s.name for s in settings.load_settings().statuses if s.done] == [done]


# --- the fields, as a form gives them ------------------------------------------------------


def test_a_status_is_done_an_action_has_a_delay_an_option_a_zone(admin: UserInfo) -> None:
    status = settings.create_badge(admin, "status", **badge("Won", done=True))
    action = settings.create_badge(admin, "action", **badge("Call", follow_up_days=" 3 "))
    variable_id = zone_variable(admin, " America/Toronto ", None)
    current = settings.load_settings()
    assert current.status(status.id).done is True  # type: ignore[union-attr]
    assert current.action(action.id).follow_up_days == 3  # type: ignore[union-attr]
    zone = current.variable(variable_id)
    assert zone is not None
    assert [o.time_zone for o in zone.options] == ["America/Toronto", None]
    assert current.time_zone_variable() == zone


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("option", {"time_zone": "Mars/Base"}, "time zone: unknown time zone 'Mars/Base'"),
        ("action", {"follow_up_days": "-1"},
         "default follow-up: '-1' is not a number of days (a whole number from 0 to 3650)"),
        ("action", {"follow_up_days": "2.5"},
         "default follow-up: '2.5' is not a number of days (a whole number from 0 to 3650)"),
        ("action", {"follow_up_days": 3651},
         "default follow-up: 3651 is not a number of days (a whole number from 0 to 3650)"),
        ("status", {"done": "yes"}, "done: must be yes or no"),
        ("status", {"time_zone": "Europe/Paris"},
         "time zone: only a dropdown option has a time zone"),
        ("option", {"done": True}, "done: only a status can be done"),
        ("status", {"follow_up_days": 2},
         "default follow-up: only an action has a default follow-up"),
    ],
)  # fmt: skip
def test_a_wrong_field_is_refused_naming_it_and_nothing_changes(
    database: peewee.Database, admin: UserInfo, kind: str, fields: dict[str, Any], message: str
) -> None:
    variable_id = zone_variable(admin, "America/Toronto")
    option_id = settings.load_settings().variable(variable_id).options[0].id  # type: ignore[union-attr]
    item_id = {
        "status": settings.create_badge(admin, "status", **badge("Won")).id,
        "action": settings.create_badge(admin, "action", **badge("Call")).id,
        "option": option_id,
    }[kind]
    error = refused(
        database, ValidationError, lambda: settings.update_badge(admin, kind, item_id, **fields)
    )
    assert str(error) == message


def test_blank_fields_clear_a_zone_and_a_delay(admin: UserInfo) -> None:
    action = settings.create_badge(admin, "action", **badge("Call", follow_up_days=2))
    assert (
        settings.update_badge(admin, "action", action.id, follow_up_days="").follow_up_days is None
    )
    variable_id = zone_variable(admin, "Asia/Kolkata")
    option = settings.load_settings().variable(variable_id).options[0]  # type: ignore[union-attr]
    assert settings.update_badge(admin, "option", option.id, time_zone="  ").time_zone is None
    assert settings.load_settings().time_zone_variable() is None


def test_a_rep_cannot_change_them(admin: UserInfo, rep: UserInfo) -> None:
    status = settings.create_badge(admin, "status", **badge("Won"))
    with pytest.raises(PermissionDenied):
        settings.update_badge(rep, "status", status.id, done=True)
    with pytest.raises(PermissionDenied) as caught:
        set_business_hours(rep, WEEKEND)
    assert str(caught.value) == "Rob is not an admin: only admins can change the business hours"
    assert business_hours_setting() == BusinessHours()


# --- business hours ------------------------------------------------------------------------


def test_business_hours_default_set_and_back_to_default(admin: UserInfo) -> None:
    assert settings.load_settings().business_hours == BusinessHours()
    assert set_business_hours(admin, WEEKEND) is True
    assert settings.load_settings().business_hours == WEEKEND
    assert set_business_hours(admin, WEEKEND) is False  # no change, no history line
    assert set_business_hours(admin, BusinessHours()) is True
    assert settings.load_settings().business_hours == BusinessHours()
    fields = [(c.field, c.old, c.new) for c in history_of("setting", 0)]
    weekend = '{"days": ["sat", "sun"], "end": "14:30", "start": "10:00"}'
    assert fields == [("business_hours", weekend, None), ("business_hours", None, weekend)]


def test_business_hours_changes_are_undone(admin: UserInfo) -> None:
    set_business_hours(admin, WEEKEND)
    result = undo(admin)
    assert result.settings
    assert business_hours_setting() == BusinessHours()


# --- undo of item fields ------------------------------------------------------------------


def test_setting_a_zone_a_delay_and_done_are_undone_one_by_one(admin: UserInfo) -> None:
    status = settings.create_badge(admin, "status", **badge("Won"))
    action = settings.create_badge(admin, "action", **badge("Call"))
    variable_id = zone_variable(admin, None)
    option = settings.load_settings().variable(variable_id).options[0]  # type: ignore[union-attr]
    settings.update_badge(admin, "status", status.id, done=True)
    settings.update_badge(admin, "action", action.id, follow_up_days=4)
    settings.update_badge(admin, "action", action.id, follow_up_days=5)
    settings.update_badge(admin, "option", option.id, time_zone="America/St_Johns")

    def current() -> tuple[bool, int | None, str | None]:
        now = settings.load_settings()
        return (
            now.status(status.id).done,  # type: ignore[union-attr]
            now.action(action.id).follow_up_days,  # type: ignore[union-attr]
            now.option(option.id).time_zone,  # type: ignore[union-attr]
        )

    assert current() == (True, 5, "America/St_Johns")
    undo(admin)
    assert current() == (True, 5, None)
    undo(admin)
    assert current() == (True, 4, None)
    undo(admin)
    assert current() == (True, None, None)
    undo(admin)
    assert current() == (False, None, None)


def test_the_history_names_the_new_fields(admin: UserInfo) -> None:
    action = settings.create_badge(admin, "action", **badge("Call", follow_up_days=2))
    settings.update_badge(admin, "action", action.id, follow_up_days=3)
    lines = [(c.field, c.old, c.new) for c in history_of("action", action.id)]
    assert ("follow_up_days", "2", "3") in lines
    assert ("follow_up_days", None, "2") in lines  # said at creation when not blank


# --- the settings JSON -----------------------------------------------------------------------


def test_the_worked_example_round_trips(admin: UserInfo, tmp_path: Path) -> None:
    counts = import_settings_json(admin, WORKED_EXAMPLE)
    assert (counts.created, counts.updated, counts.unchanged) == (18, 0, 1)  # 1: the hours
    current = settings.load_settings()
    assert [s.name for s in current.statuses if s.done] == ["Done"]
    assert [(a.name, a.follow_up_days) for a in current.actions] == [
        ("Call", 2),
        ("E-mail", 3),
        ("Send sample", 7),
        ("Ship", None),
    ]
    zone = current.time_zone_variable()
    assert zone is not None and zone.name == "Time zone"
    assert [o.time_zone for o in zone.options] == [
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/Toronto",
    ]
    example = json.loads(WORKED_EXAMPLE.read_text(encoding="utf-8"))
    document = exported()
    assert "business_hours" not in document  # the default is not written
    assert document["statuses"] == example["statuses"]
    assert document["variables"] == example["variables"]
    assert document["actions"] == [a | {"in_sequence": False} for a in example["actions"]]
    again = import_settings_json(admin, save(tmp_path, document))
    assert (again.created, again.updated) == (0, 0)


def test_business_hours_and_cleared_keys_round_trip(admin: UserInfo, tmp_path: Path) -> None:
    import_settings_json(admin, WORKED_EXAMPLE)
    set_business_hours(admin, WEEKEND)
    document = exported()
    assert document["business_hours"] == {"days": ["sat", "sun"], "start": "10:00", "end": "14:30"}
    assert next(iter(document)) == "business_hours"
    # Another database gets the same settings from the file.
    changed = json.loads(json.dumps(document))
    changed["actions"][0].pop("follow_up_days")  # a key left out is blank: Call has no delay
    changed["statuses"][-1]["done"] = False
    changed["variables"][0]["options"][0]["time_zone"] = "Asia/Kolkata"
    set_business_hours(admin, None)
    counts = import_settings_json(admin, save(tmp_path, changed))
    assert counts.updated == 4  # Call, Done, PST, the hours
    current = settings.load_settings()
    assert current.business_hours == WEEKEND
    assert current.actions[0].follow_up_days is None
    assert not any(s.done for s in current.statuses)
    assert current.variables[0].options[0].time_zone == "Asia/Kolkata"
    del changed["statuses"][-1]["done"]  # "done": false is the default: not written
    assert exported() == changed


BAD_COCKPIT_DOCUMENTS = [
    ({"variables": [{"name": "Zone", "type": "dropdown", "options": [
        badge("A", "A", time_zone="America/Toronto"), badge("B", "B"),
        badge("C", "C", time_zone="Mars/Base")]}]},
     "variables[0].options[2].time_zone: unknown time zone 'Mars/Base'"),
    ({"variables": [{"name": "Zone", "type": "dropdown", "options": [
        badge("A", "A", time_zone=5)]}]},
     "variables[0].options[0].time_zone: must be text"),
    ({"business_hours": {"days": ["mon"], "start": "9h", "end": "17:00"}},
     "business_hours.start: '9h' is not a time of day (HH:MM, e.g. 09:00)"),
    ({"business_hours": {"start": "18:00"}},
     "business_hours.end: the end (17:00) must come after the start (18:00)"),
    ({"business_hours": {"days": ["mon", "fry"]}},
     "business_hours.days[1]: 'fry' is not a day (mon, tue, wed, thu, fri, sat, sun)"),
    ({"business_hours": {"days": ["mon"], "lunch": "12:00"}},
     "business_hours.lunch: unknown field"),
    ({"business_hours": "9-5"},
     "business_hours: an object with days, start and end is expected"),
    ({"actions": [badge("Call", follow_up_days=-1)]},
     "actions[0].follow_up_days: -1 is not a number of days (a whole number from 0 to 3650)"),
    ({"actions": [badge("Call", follow_up_days="3")]},
     "actions[0].follow_up_days: must be a whole number of days (0 to 3650)"),
    ({"actions": [badge("Call", follow_up_days=True)]},
     "actions[0].follow_up_days: must be a whole number of days (0 to 3650)"),
    ({"statuses": [badge("Won", done="yes")]}, "statuses[0].done: must be true or false"),
    ({"statuses": [badge("Won", time_zone="Europe/Paris")]},
     'statuses[0]: unknown field "time_zone" (fields: name, abbreviation, font_color, '
     "background_color, in_sequence, archived, done)"),
    ({"actions": [badge("Call", done=True)]},
     'actions[0]: unknown field "done" (fields: name, abbreviation, font_color, '
     "background_color, in_sequence, archived, follow_up_days)"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "expected"), BAD_COCKPIT_DOCUMENTS)
def test_a_bad_cockpit_key_is_named_and_nothing_changes(
    database: peewee.Database, admin: UserInfo, tmp_path: Path, document: Any, expected: str
) -> None:
    import_settings_json(admin, WORKED_EXAMPLE)
    # The good parts come first in the file: they must not be saved either.
    path = save(tmp_path, {"statuses": [badge("Lead", "L", done=True)], **document})
    error = refused(database, ExchangeError, lambda: import_settings_json(admin, path))
    assert str(error) == f"{path}: {expected}"


def test_a_rep_cannot_import_business_hours(
    database: peewee.Database, rep: UserInfo, tmp_path: Path
) -> None:
    path = save(tmp_path, {"business_hours": {"days": ["sat"]}})
    refused(database, PermissionDenied, lambda: import_settings_json(rep, path))


# --- the demo ------------------------------------------------------------------------------

DEMO_TODAY = dt.date(2026, 11, 29)


def newest_values(variable_id: int) -> dict[int, Any]:
    """Each customer's newest value of a variable (what the pipeline reads)."""
    from crm_tui.db.models import Note, NoteValue
    from crm_tui.db.rows import tuple_rows

    rows = tuple_rows(
        NoteValue.select(Note.customer, NoteValue.value_date, NoteValue.value_cents)
        .join(Note, on=NoteValue.note == Note.id)
        .where(NoteValue.variable == variable_id)
        .order_by(Note.id.desc())
    )
    newest: dict[int, Any] = {}
    for customer_id, date, cents in rows:
        newest.setdefault(customer_id, date if date is not None else cents)
    return newest


@pytest.mark.parametrize(
    ("language", "zones", "done", "delays", "close", "amount"),
    [
        (
            "en",
            {
                "EST": "America/Toronto",
                "CST": "America/Chicago",
                "MST": "America/Denver",
                "PST": "America/Los_Angeles",
            },
            "Done",
            {"Call": 2, "E-mail": 3, "Send sample": 7, "Order follow-up": 14},
            "Estimated close date",
            "Deal value",
        ),
        (
            "fr",
            {
                "HNE": "America/Toronto",
                "HNC": "America/Winnipeg",
                "HNR": "America/Edmonton",
                "HNP": "America/Vancouver",
                "HNA": "America/Halifax",
            },
            "Terminé",
            {"Appel": 2, "Courriel": 3, "Envoyer un échantillon": 7, "Suivi de commande": 14},
            "Date de clôture estimée",
            "Montant",
        ),
    ],
)
def test_the_demo_shows_the_cockpit(
    database: peewee.Database,
    language: str,
    zones: dict[str, str],
    done: str,
    delays: dict[str, int],
    close: str,
    amount: str,
) -> None:
    from crm_tui.domain.demo import build_demo

    set_language(language)
    settings.ensure_starter_settings()
    admin = users.create_user(None, "Ana")
    build_demo(admin, notes=2000, seed=3, today=DEMO_TODAY)
    current = settings.load_settings()
    zone = current.time_zone_variable()
    assert zone is not None
    assert {o.name: o.time_zone for o in zone.options} == zones
    assert [s.name for s in current.statuses if s.done] == [done]
    assert {a.name: a.follow_up_days for a in current.actions if a.name in delays} == delays
    assert current.business_hours == BusinessHours()
    by_name = {v.name: v for v in current.variables}
    assert by_name[amount].type == "currency"
    closes = newest_values(by_name[close].id)
    coming = [day for day in closes.values() if day >= DEMO_TODAY]
    assert len(coming) >= 0.6 * len(closes)  # most deals close in the coming months
    assert len({(day.year, day.month) for day in coming}) >= 6
    assert max(coming) <= DEMO_TODAY + dt.timedelta(days=200)
    amounts = newest_values(by_name[amount].id)
    assert len(amounts) >= 0.8 * len(closes)


def test_the_demo_completes_the_cockpit_of_an_older_database(
    database: peewee.Database, admin: UserInfo
) -> None:
    from crm_tui.domain.demo import build_demo

    settings.ensure_starter_settings()
    done = next(s for s in settings.load_settings().statuses if s.name == "Done")
    settings.update_badge(admin, "status", done.id, done=False)
    zone = settings.create_variable(
        admin,
        name="Time zone",
        type="dropdown",
        options=[badge("EST", "E"), badge("PST", "P", time_zone="Asia/Tokyo"), badge("UTC", "U")],
    )
    build_demo(admin, notes=0, today=DEMO_TODAY)
    current = settings.load_settings()
    assert current.status(done.id).done  # type: ignore[union-attr]
    assert [o.time_zone for o in current.variable(zone.id).options] == [  # type: ignore[union-attr]
        "America/Toronto",
        "Asia/Tokyo",  # an admin's zone is kept
        None,  # not a demo option
    ]
    assert current.actions[0].follow_up_days == 2
