"""Issue 13: dates, amounts and numbers typed and shown in the user's locale (fr_FR, fr_CA,
en_US), the database's currency setting, and machine formats (files, ``--where``) that stay
ISO dates and dot decimals whatever the language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import peewee
import pytest

from crm_tui.db.models import AppSetting, Change
from crm_tui.domain import users
from crm_tui.domain.app_settings import (
    CURRENCY,
    currency_setting,
    get_app_setting,
    set_app_setting,
    set_currency_setting,
)
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.export import build_query, export_notes
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.exchange.settings_json import import_settings_json, write_settings_json
from crm_tui.domain.locale_values import (
    KNOWN_SHAPES,
    add_months,
    amount_forms,
    babel_shape,
    currency,
    date_forms,
    editable_value,
    locale_currency,
    machine_text,
    number_forms,
    parse_typed_amount,
    parse_typed_date,
    parse_typed_number,
    shown_amount,
    shown_date,
    shown_number,
    shown_time,
    shown_value,
    use_currency,
)
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.settings import create_variable, ensure_starter_settings, load_settings
from crm_tui.domain.undo import undo
from crm_tui.domain.values import parse_currency, parse_date
from crm_tui.i18n import _, set_language
from crm_tui.records import UserInfo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MONDAY = dt.date(2027, 1, 11)
NNBSP, NBSP, THIN = "\u202f", "\u00a0", "\u2009"


@pytest.fixture
def speak() -> Iterator[object]:
    """``speak("fr_FR")`` switches the language (and locale); English again afterwards."""
    yield set_language
    set_language("en", "US")
    use_currency(None)


@pytest.fixture
def french(speak) -> None:
    speak("fr", "FR")


def date_refusal(text: str) -> str:
    return _("{value!r} is not a date: {forms}").format(value=text, forms=date_forms())


def amount_refusal(text: str) -> str:
    return _("{value!r} is not an amount: {forms}").format(value=text, forms=amount_forms())


# --- dates typed -------------------------------------------------------------------------

TYPED_DATES = {
    "fr_FR": [
        ("15/01/2027", dt.date(2027, 1, 15)),
        ("15/1/2027", dt.date(2027, 1, 15)),
        ("5.2.2027", dt.date(2027, 2, 5)),
        ("2027-01-15", dt.date(2027, 1, 15)),
        ("aujourd'hui", MONDAY),
        ("Aujourd’hui", MONDAY),
        ("AUJOURDHUI", MONDAY),
        ("demain", MONDAY + dt.timedelta(days=1)),
        ("Hier", MONDAY - dt.timedelta(days=1)),
        ("mardi", dt.date(2027, 1, 12)),
        ("Vendredi", dt.date(2027, 1, 15)),
        ("lundi", dt.date(2027, 1, 18)),  # on a Monday: next week's
        ("+3j", dt.date(2027, 1, 14)),
        ("+2s", dt.date(2027, 1, 25)),
        ("+1m", dt.date(2027, 2, 11)),
        ("+ 3 j", dt.date(2027, 1, 14)),
        ("tomorrow", MONDAY + dt.timedelta(days=1)),  # English words are understood too
        ("+3d", dt.date(2027, 1, 14)),
    ],
    "fr_CA": [
        ("15/01/2027", dt.date(2027, 1, 15)),
        ("2027-01-15", dt.date(2027, 1, 15)),
        ("demain", MONDAY + dt.timedelta(days=1)),
        ("dimanche", dt.date(2027, 1, 17)),
        ("+1m", dt.date(2027, 2, 11)),
    ],
    "en_US": [
        ("1/15/2027", dt.date(2027, 1, 15)),
        ("01/15/2027", dt.date(2027, 1, 15)),
        ("2027-01-15", dt.date(2027, 1, 15)),
        ("2027/1/15", dt.date(2027, 1, 15)),
        ("today", MONDAY),
        ("Tomorrow", MONDAY + dt.timedelta(days=1)),
        ("yesterday", MONDAY - dt.timedelta(days=1)),
        ("monday", dt.date(2027, 1, 18)),
        ("Wednesday", dt.date(2027, 1, 13)),
        ("fri", dt.date(2027, 1, 15)),
        ("+3d", dt.date(2027, 1, 14)),
        ("+2w", dt.date(2027, 1, 25)),
        ("+1m", dt.date(2027, 2, 11)),
    ],
}


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [(locale, typed, day) for locale, cases in TYPED_DATES.items() for typed, day in cases],
)
def test_each_accepted_date_form(speak, locale: str, typed: str, expected: dt.date) -> None:
    speak(locale)
    assert parse_typed_date(typed, "Close date", MONDAY) == expected
    assert machine_text("date", typed, "Close date", MONDAY) == expected.isoformat()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("fr_FR", "32/13/2027"),
        ("fr_FR", "1/15/2027"),  # the US order in French: no 15th month
        ("fr_FR", "15/01/27"),  # a 2-digit year: refused, never guessed
        ("fr_FR", "bientôt"),
        ("fr_FR", "+3x"),
        ("fr_CA", "15-13-2027"),
        ("en_US", "15/01/2027"),  # the French order in English: no 15th month
        ("en_US", "1/15/27"),
        ("en_US", "+3j"),  # French units are for French
        ("en_US", "someday"),
    ],
)
def test_a_wrong_date_is_refused_with_the_accepted_forms(speak, locale: str, typed: str) -> None:
    speak(locale)
    with pytest.raises(ValidationError) as refused:
        parse_typed_date(typed, "Close date", MONDAY)
    assert refused.value.field == "Close date"
    assert refused.value.problem == date_refusal(typed)


def test_the_accepted_forms_are_in_the_users_words(speak) -> None:
    speak("fr_FR")
    assert date_forms() == "15/01/2027, 2027-01-15, aujourd'hui, demain, lundi, +3j…"
    speak("fr_CA")
    assert date_forms() == "15/01/2027, 2027-01-15, aujourd'hui, demain, lundi, +3j…"
    speak("en_US")
    assert date_forms() == "1/15/2027, 2027-01-15, today, tomorrow, monday, +3d…"


def test_an_impossible_iso_date_and_a_date_too_far(speak) -> None:
    speak("fr_FR")
    with pytest.raises(ValidationError, match="n'est pas une date existante"):
        parse_typed_date("2027-02-30", "Close date", MONDAY)
    with pytest.raises(ValidationError, match="trop loin dans le futur"):
        parse_typed_date("+9999999s", "Close date", MONDAY)
    assert parse_typed_date("  ", "Close date", MONDAY) is None


@pytest.mark.parametrize("locale", ["fr_FR", "en_US"])
def test_a_weekday_is_the_next_one_never_today(speak, locale: str) -> None:
    speak(locale)
    names = (
        ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        if locale.startswith("fr")
        else ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
    for offset in range(7):
        today = MONDAY + dt.timedelta(days=offset)
        for weekday, name in enumerate(names):
            day = parse_typed_date(name, "Follow-up", today)
            assert day is not None and day.weekday() == weekday
            assert 1 <= (day - today).days <= 7, (today, name, day)
            if weekday == today.weekday():
                assert (day - today).days == 7


def test_a_month_later_keeps_the_day_or_the_months_last() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 3, 31), 1) == dt.date(2027, 4, 30)
    assert add_months(dt.date(2027, 12, 15), 1) == dt.date(2028, 1, 15)
    assert add_months(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)


def test_plus_one_month_on_january_31st(speak) -> None:
    speak("fr_FR")
    assert parse_typed_date("+1m", "Suivi", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    speak("en_US")
    assert parse_typed_date("+1m", "Follow-up", dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)


# --- amounts and numbers typed -------------------------------------------------------------

TYPED_AMOUNTS = {
    "fr_FR": [
        ("1 234,50", 123450),
        (f"1{NBSP}234,50", 123450),
        (f"1{NNBSP}234,50", 123450),
        (f"1{THIN}234,50", 123450),
        ("1234,50", 123450),
        ("1 234,50 €", 123450),
        (f"1{NNBSP}234,50{NBSP}€", 123450),
        ("1 234,50 $", 123450),
        ("1 234,50 EUR", 123450),
        ("-1 234,50 €", -123450),
        ("1234.50", 123450),  # a dot decimal: one dot, at most 2 decimals, no comma
        ("1 234.5", 123450),
        ("12", 1200),
        (",5", 50),
        ("1 000 000", 100000000),
    ],
    "fr_CA": [
        (f"1{NBSP}234,50{NBSP}$", 123450),
        ("1 234,50 $", 123450),
        ("1234,50", 123450),
    ],
    "en_US": [
        ("1,234.50", 123450),
        ("$1,234.50", 123450),
        ("1234.50", 123450),
        ("-$1,234.50", -123450),
        ("$-1,234.50", -123450),
        ("USD 12", 1200),
        ("1,000,000", 100000000),
        (".5", 50),
    ],
}


@pytest.mark.parametrize(
    ("locale", "typed", "cents"),
    [(locale, typed, cents) for locale, cases in TYPED_AMOUNTS.items() for typed, cents in cases],
)
def test_each_accepted_amount_form(speak, locale: str, typed: str, cents: int) -> None:
    speak(locale)
    assert parse_typed_amount(typed, "Deal value") == cents
    whole, part = divmod(abs(cents), 100)
    expected = f"{'-' if cents < 0 else ''}{whole}.{part:02d}"
    assert machine_text("currency", typed, "Deal value", MONDAY) == expected


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("fr_FR", "12.345"),  # a thousand and more in half of Europe: ambiguous
        ("fr_FR", "1,234.50"),
        ("fr_FR", "1.234,50"),
        ("fr_FR", "12 34"),
        ("fr_FR", "abc"),
        ("fr_FR", "1e3"),
        ("fr_FR", "€€ 12"),
        ("en_US", "1 234,50"),
        ("en_US", "1,23"),
        ("en_US", "12,34.5"),
        ("en_US", "NaN"),
    ],
)
def test_a_wrong_amount_is_refused_with_the_accepted_forms(speak, locale: str, typed: str) -> None:
    speak(locale)
    with pytest.raises(ValidationError) as refused:
        parse_typed_amount(typed, "Deal value")
    assert refused.value.field == "Deal value"
    assert refused.value.problem == amount_refusal(typed)


def test_the_amount_forms_shown(speak) -> None:
    speak("fr_FR")
    assert amount_forms() == f"1{NNBSP}234,50; 1234,50; 1{NNBSP}234,50{NBSP}€"
    speak("fr_CA")
    assert amount_forms() == f"1{NBSP}234,50; 1234,50; 1{NBSP}234,50{NBSP}$"
    speak("en_US")
    assert amount_forms() == "1,234.50; 1234.50; $1,234.50"
    assert number_forms() == "12; -3.5; 1,200"


def test_more_than_two_decimals_and_too_large(speak) -> None:
    speak("fr_FR")
    for typed in ("12,345", "1.5555"):
        with pytest.raises(ValidationError, match="a plus de 2 décimales"):
            parse_typed_amount(typed, "Deal value")
    with pytest.raises(ValidationError, match="trop grand"):
        parse_typed_amount("99 999 999 999 999 999 999", "Deal value")
    speak("en_US")
    with pytest.raises(ValidationError) as refused:
        parse_typed_amount("12.345", "Deal value")
    assert refused.value.problem == "'12.345' has more than 2 decimals"


@pytest.mark.parametrize(
    ("locale", "typed", "number"),
    [
        ("fr_FR", "1 200", 1200.0),
        ("fr_FR", f"1{NNBSP}200,5", 1200.5),
        ("fr_FR", "-3,5", -3.5),
        ("fr_FR", "3.5", 3.5),
        ("fr_FR", "3.14159", 3.14159),
        ("fr_FR", "1,200", 1.2),  # the French decimal comma
        ("fr_FR", "1e3", 1000.0),
        ("fr_CA", f"1{NBSP}200", 1200.0),
        ("en_US", "1,200", 1200.0),
        ("en_US", "1,200.5", 1200.5),
        ("en_US", "-3.5", -3.5),
        ("en_US", "1.234", 1.234),
        ("en_US", "1e3", 1000.0),
    ],
)
def test_each_accepted_number_form(speak, locale: str, typed: str, number: float) -> None:
    speak(locale)
    assert parse_typed_number(typed, "Employees") == number


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("fr_FR", "1.234"), ("fr_FR", "12 €"), ("fr_FR", "abc"), ("en_US", "3,5"), ("en_US", "inf")],
)
def test_a_wrong_number_is_refused_with_the_accepted_forms(speak, locale: str, typed: str) -> None:
    speak(locale)
    with pytest.raises(ValidationError) as refused:
        parse_typed_number(typed, "Employees")
    assert refused.value.problem == _("{value!r} is not a number: {forms}").format(
        value=typed, forms=number_forms()
    )


# --- shown ---------------------------------------------------------------------------------


def test_amounts_are_shown_with_the_locales_currency(speak) -> None:
    speak("fr_CA")
    assert shown_amount(123450) == f"1{NBSP}234,50{NBSP}$"
    assert currency() == "CAD"
    speak("fr_FR")
    assert shown_amount(123450) == f"1{NNBSP}234,50{NBSP}€"
    assert shown_amount(-5) == f"-0,05{NBSP}€"
    assert currency() == "EUR"
    speak("en_US")
    assert shown_amount(123450) == "$1,234.50"
    assert shown_amount(-123450) == "-$1,234.50"
    assert shown_amount(0) == "$0.00"
    assert currency() == "USD"
    assert shown_amount(None) == ""


def test_the_currency_setting_wins_over_the_locale(speak) -> None:
    speak("en_US")
    use_currency("EUR")
    assert shown_amount(123450) == "€1,234.50"
    assert shown_value("currency", "1234.50") == "€1,234.50"
    speak("fr_CA")
    assert shown_amount(123450) == f"1{NBSP}234,50{NBSP}€"
    use_currency(None)
    assert shown_amount(123450) == f"1{NBSP}234,50{NBSP}$"
    assert [locale_currency(name) for name in ("fr_CA", "fr_FR", "en_US")] == [
        "CAD",
        "EUR",
        "USD",
    ]


def test_dates_and_numbers_shown(speak) -> None:
    day = dt.date(2027, 1, 15)
    speak("fr_FR")
    assert shown_date(day) == "15/01/2027"
    assert shown_time(dt.datetime(2027, 1, 15, 9, 30)) == "15/01/2027 09:30"
    assert shown_number(1234.5) == f"1{NNBSP}234,5"
    assert shown_value("date", "2027-01-15") == "15/01/2027"
    assert editable_value("date", "2027-01-15") == "15/01/2027"
    assert editable_value("currency", "1234.50") == "1234,50"
    assert editable_value("number", "-3.5") == "-3,5"
    speak("fr_CA")
    assert shown_date(day) == "2027-01-15"  # Canadian French writes dates as ISO (Babel)
    speak("en_US")  # English keeps ISO: en_US's short date has a 2-digit year
    assert shown_date(day) == "2027-01-15"
    assert shown_time(dt.datetime(2027, 1, 15, 9, 30)) == "2027-01-15 09:30"
    assert shown_number(1234.5) == "1,234.5"
    assert shown_number(42.0) == "42"
    assert shown_value("number", "1e+16") == "1e+16"
    assert editable_value("currency", "1234.50") == "1234.50"
    assert shown_value("currency", "not a number") == "not a number"
    assert shown_value("text", "1234.50") == "1234.50"


@pytest.mark.parametrize(
    ("lang", "amount"),
    [
        ("en_US.UTF-8", "$1,234.50"),
        ("fr_FR.UTF-8", f"1{NNBSP}234,50{NBSP}€"),
        ("fr_CA.UTF-8", f"1{NBSP}234,50{NBSP}$"),
    ],
)
def test_drawing_the_first_page_never_loads_babel(lang: str, amount: str) -> None:
    """The app's start-up path (a page of amounts, numbers, dates and times) in English and
    in French (France, Canada): no Babel, whose import and locale data cost ~40-60 ms."""
    script = (
        "import sys, datetime as dt\n"
        "import crm_tui.ui.app, crm_tui.ui.screens.notes\n"
        "from crm_tui.ui.widgets.note_list import columns\n"
        "from crm_tui.domain import locale_values as lv\n"
        f"assert lv.shown_value('currency', '1234.50') == {amount!r}\n"
        "lv.shown_value('number', '1234.5')\n"
        "lv.shown_value('date', '2027-01-15')\n"
        "lv.shown_time(dt.datetime(2027, 1, 15, 9, 30))\n"
        "lv.machine_text('currency', '1234.50', 'x', dt.date(2027, 1, 11))\n"
        "lv.machine_text('date', 'tomorrow', 'x', dt.date(2027, 1, 11))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environ | {"LANG": lang, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- the currency setting --------------------------------------------------------------------


@pytest.fixture
def ana(database: peewee.Database) -> UserInfo:
    return users.create_user(None, "Ana")


def test_the_currency_is_stored_once_for_the_database(ana: UserInfo) -> None:
    assert currency_setting() is None
    assert set_currency_setting(ana, "eur") is True
    assert currency_setting() == "EUR"
    assert AppSetting.get_by_id(CURRENCY).value == '"EUR"'
    assert set_currency_setting(ana, "EUR") is False  # unchanged: no history line
    assert set_currency_setting(ana, None) is True
    assert currency_setting() is None
    assert AppSetting.select().count() == 0


def test_only_admins_set_it_and_only_known_codes(ana: UserInfo) -> None:
    rob = users.create_user(ana, "Rob", role="rep")
    with pytest.raises(PermissionDenied):
        set_currency_setting(rob, "EUR")
    with pytest.raises(ValidationError, match="'XYZ' is not a currency code"):
        set_currency_setting(ana, "XYZ")
    assert currency_setting() is None


def test_a_setting_holds_any_json_for_later_keys(ana: UserInfo) -> None:
    hours = {"mon": ["09:00", "17:00"]}
    assert set_app_setting(ana, "business_hours", hours)
    assert get_app_setting("business_hours") == hours
    assert get_app_setting("nothing", "default") == "default"


def test_a_currency_change_is_in_the_history_and_undone(ana: UserInfo) -> None:
    set_currency_setting(ana, "CAD")
    set_currency_setting(ana, "EUR")
    line = Change.select().where(Change.entity == "setting").order_by(Change.id.desc()).get()
    assert (line.field, line.old, line.new) == ("currency", '"CAD"', '"EUR"')
    result = undo(ana)
    assert "currency" in result.description
    assert currency_setting() == "CAD"
    undo(ana)
    assert currency_setting() is None


def test_settings_json_exports_and_imports_the_currency(ana: UserInfo, tmp_path: Path) -> None:
    stream = io.StringIO()
    write_settings_json(load_settings(), stream)
    assert "currency" not in json.loads(stream.getvalue())  # not set: not exported
    set_currency_setting(ana, "EUR")
    stream = io.StringIO()
    write_settings_json(load_settings(), stream)
    assert stream.getvalue().startswith('{\n  "currency": "EUR",\n')
    assert json.loads(stream.getvalue())["currency"] == "EUR"

    file = tmp_path / "settings.json"
    file.write_text(json.dumps({"currency": "cad", "statuses": []}), encoding="utf-8")
    counts = import_settings_json(ana, file)
    assert (counts.updated, counts.unchanged) == (1, 0)
    assert currency_setting() == "CAD"


def test_an_unknown_currency_in_a_file_is_refused_and_nothing_changes(
    ana: UserInfo, tmp_path: Path
) -> None:
    status = {
        "name": "Brand new",
        "abbreviation": "BN",
        "font_color": "#000000",
        "background_color": "#FFFFFF",
    }
    file = tmp_path / "settings.json"
    for value, problem in (("ZZZ", "'ZZZ' is not a currency code"), (12, "must be text")):
        file.write_text(json.dumps({"statuses": [status], "currency": value}), encoding="utf-8")
        with pytest.raises(ExchangeError) as refused:
            import_settings_json(ana, file)
        assert "settings.json: currency: " in str(refused.value)
        assert problem in str(refused.value)
    assert currency_setting() is None
    assert "Brand new" not in [s.name for s in load_settings().statuses]


# --- machine formats stay fixed ----------------------------------------------------------------


@pytest.fixture
def notes_world(ana: UserInfo) -> UserInfo:
    ensure_starter_settings()
    create_variable(ana, name="Deal value", type="currency")
    create_variable(ana, name="Close date", type="date")
    create_variable(ana, name="Employees", type="number")
    create_note(
        ana,
        NoteInput(
            "Acme Corp",
            follow_up="2027-01-15",
            values={"Deal value": "1234.50", "Close date": "2027-02-01", "Employees": "1200.5"},
        ),
    )
    create_note(ana, NoteInput("Globex", values={"Deal value": "10.00"}))
    return ana


def test_exports_and_where_keep_iso_dates_and_dot_decimals_in_french(
    notes_world: UserInfo, french: None
) -> None:
    settings = load_settings()
    query = build_query(
        settings,
        where=["Deal value>=1000.50", "Close date>=2027-01-31", "follow_up=2027-01-15"],
        today=MONDAY,
    )
    stream = io.StringIO()
    assert export_notes(stream, settings, query, today=MONDAY) == 1
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert rows[0]["Deal value"] == "1234.50"
    assert rows[0]["Close date"] == "2027-02-01"
    assert rows[0]["Employees"] == "1200.5"
    assert rows[0]["follow_up"] == "2027-01-15"
    stream = io.StringIO()
    export_notes(stream, settings, query, format="json", today=MONDAY)
    (note,) = json.loads(stream.getvalue())
    assert note["Close date"] == "2027-02-01" and note["follow_up"] == "2027-01-15"
    assert str(note["Deal value"]) in ("1234.5", "1234.50")
    # --where takes the machine forms only: a French amount is not a file's amount.
    with pytest.raises(ExchangeError):
        build_query(settings, where=["Deal value>=1 000,50"], today=MONDAY)


def test_csv_import_keeps_machine_forms_in_french(
    notes_world: UserInfo, french: None, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "customer,follow_up,Deal value,Close date\nInitech,2027-03-01,2500.75,2027-04-01\n",
        encoding="utf-8",
    )
    assert import_notes_csv(notes_world, good).notes == 1
    bad = tmp_path / "bad.csv"
    bad.write_text('customer,Deal value\nInitech,"2 500,75"\n', encoding="utf-8")
    with pytest.raises(ExchangeError):
        import_notes_csv(notes_world, bad)
    # the machine parsers themselves do not follow the language
    assert parse_currency("1234.50", "Deal value") == 123450
    with pytest.raises(ValidationError):
        parse_date("15/01/2027", "Close date")


# --- the locales drawn without Babel draw as Babel does ---------------------------------------


@pytest.mark.parametrize("locale", sorted(KNOWN_SHAPES))
def test_the_known_locales_match_babel(speak, locale: str) -> None:
    from babel.dates import format_date, get_date_format
    from babel.numbers import format_currency, format_decimal, get_territory_currencies

    assert KNOWN_SHAPES[locale] == babel_shape(locale)
    language, territory = locale.split("_")
    assert locale_currency(locale) == get_territory_currencies(territory)[0]
    speak(language, territory)
    code = currency()
    for cents in (0, 5, -5, 99, 123450, -123450, 100000000, 922337203685477507):
        expected = format_currency(Decimal(cents).scaleb(-2), code, locale=locale)
        assert shown_amount(cents) == expected, (locale, cents)
    for number in (0.0, 12.0, -3.5, 1234.5, 1200.0, 98765432.125, 0.001):
        expected = format_decimal(Decimal(repr(number)), locale=locale, decimal_quantization=False)
        assert shown_number(number) == expected.removesuffix(".0").removesuffix(",0")
    if language != "en":
        pattern = get_date_format("short", locale=locale).pattern.replace("yy", "y")
        for day in (dt.date(2027, 1, 15), dt.date(2027, 12, 3), dt.date(1999, 7, 4)):
            assert shown_date(day) == format_date(day, pattern, locale=locale)
