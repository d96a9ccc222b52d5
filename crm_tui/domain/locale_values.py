"""Values as people read and type them in their locale: dates, amounts and numbers.

Machine forms (files, ``--where``, stored history) stay in ``crm_tui.domain.values``: ISO
dates, dot decimals. This module is for people: what a field accepts as typed
(``parse_typed_*``, ``machine_text``) and how a value is drawn (``shown_*``), in the
language in force (``crm_tui.i18n.locale_name``) and the database's currency.

Choices, kept in one place:

* dates typed: ISO always; the locale's short numeric date with a 4-digit year (fr:
  ``15/01/2027`` or ``15/1/2027``, day first in every French locale; en_US: ``1/15/2027``);
  2-digit years are refused (``1/2/27`` could be 1927 or 2027); the words of the language
  and the English ones (``demain`` and ``tomorrow``), accent- and case-insensitive; a
  weekday name is the next such day, never today; ``+1m`` keeps the day, clamped to the
  month's end;
* dates shown: the locale's short date with a 4-digit year in French (``15/01/2027``,
  fr_CA: ``2027-01-15`` as Babel gives it); English keeps ISO ``2027-01-15`` (en_US's
  ``1/15/27`` has a 2-digit year, reads differently across English-speaking countries
  and does not line up in a column);
* amounts and numbers typed: the locale's decimal sign and digit grouping (any kind of
  space groups in French), an optional currency sign or code around; in French a dot
  decimal is accepted when it cannot be a grouping (one dot, at most 2 decimals for an
  amount, not 3 digits after it for a number, no comma);
* amounts shown with the currency (``babel.numbers.format_currency``), numbers with the
  locale's separators.

Babel is imported lazily, and not at all to draw values in en_US, fr_FR and fr_CA with
their own currency (``KNOWN_SHAPES``, ``KNOWN_DATES``, ``KNOWN_AMOUNTS``: Babel's forms,
checked against it by the tests), so that the app's start-up (which draws the first page)
does not load it: its import and locale data cost ~40-60 ms.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.text import fold
from crm_tui.domain.values import MAX_CENTS, format_currency, format_number
from crm_tui.i18n import _, language, locale_name

EXAMPLE_DAY = dt.date(2027, 1, 15)
"""The day the accepted forms are shown with (``15/01/2027``)."""
EXAMPLE_CENTS = 123450
"""The amount the accepted forms are shown with (``1 234,50``)."""

DAY_WORDS = {
    "en": {"today": 0, "tomorrow": 1, "yesterday": -1},
    "fr": {"aujourd'hui": 0, "demain": 1, "hier": -1},
}
"""Words for a day relative to today, by language (keys folded, apostrophe ``'``)."""
UNIT_LETTERS = {
    "en": {"d": "day", "w": "week", "m": "month"},
    "fr": {"j": "day", "s": "week", "m": "month"},
}
"""``+3d`` / ``+3j``: the letter of each unit, by language."""
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ENGLISH_WEEKDAYS_SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KNOWN_SHAPES = {
    "en_US": ("MDY", "/", ".", ","),
    "fr_FR": ("DMY", "/", ",", "\u202f"),
    "fr_CA": ("DMY", "-", ",", "\u00a0"),
}
"""Date order and separator, decimal and group symbols of the locales the app is mostly
used in, as Babel gives them (a test checks), so that drawing the first page does not
load Babel (~40-60 ms). Other locales ask Babel."""
KNOWN_DATES = {"fr_FR": "{d:02d}/{m:02d}/{y}", "fr_CA": "{y}-{m:02d}-{d:02d}"}
"""The short date of those locales with a 4-digit year (Babel's ``dd/MM/y``, ``y-MM-dd``)."""
KNOWN_AMOUNTS = {
    ("en_US", "USD"): ("$", ""),
    ("fr_FR", "EUR"): ("", "\u00a0€"),
    ("fr_CA", "CAD"): ("", "\u00a0$"),
}
"""Sign before and after the digits of an amount in a locale's own currency (Babel's)."""
KNOWN_CURRENCIES = {"US": "USD", "FR": "EUR", "CA": "CAD"}
SPACES = " \u00a0\u202f\u2009\u2007"
"""Spaces people (and Babel) put between digit groups: normal, no-break, narrow no-break,
thin, figure."""
APOSTROPHES = "’ʼ`´"

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC_DATE = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})")
_RELATIVE = re.compile(r"\+\s*(\d{1,7})\s*([a-z])")
_EXPONENT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")

_currency_setting: str | None = None


class _Refused(Exception):
    """A typed number or amount does not read as one (``decimals``: it has too many)."""

    def __init__(self, decimals: bool = False) -> None:
        super().__init__()
        self.decimals = decimals


# --- the locale's shapes ---------------------------------------------------------------


@lru_cache(maxsize=16)
def _shape(locale: str) -> tuple[str, str, str, str]:
    """Date order (``"DMY"``...), its separator, decimal and group symbols of ``locale``."""
    return KNOWN_SHAPES.get(locale) or babel_shape(locale)


def babel_shape(locale: str) -> tuple[str, str, str, str]:
    """``_shape`` as Babel gives it (``KNOWN_SHAPES`` holds a few, checked against it)."""
    from babel.dates import get_date_format  # lazily: Babel costs start-up time
    from babel.numbers import get_decimal_symbol, get_group_symbol

    pattern = get_date_format("short", locale=locale).pattern
    letters = [c for c in pattern if c in "dMy"]
    order = "".join(dict.fromkeys(c.upper() for c in letters))
    separator = next((c for c in pattern if c in "/.-"), "/")
    if order.startswith("Y"):  # ISO-like (fr_CA): numeric dates typed with the year last
        order = "DMY" if locale.startswith("fr") else "MDY"
    return order, separator, get_decimal_symbol(locale), get_group_symbol(locale)


@lru_cache(maxsize=16)
def _weekdays(locale: str) -> dict[str, int]:
    """Folded weekday names (wide and abbreviated) of ``locale`` and English -> 0 (Monday)..6."""
    names = {name: day for day, name in enumerate(ENGLISH_WEEKDAYS)}
    names.update({name: day for day, name in enumerate(ENGLISH_WEEKDAYS_SHORT)})
    if not locale.startswith("en"):
        from babel.dates import get_day_names  # lazily

        for width in ("wide", "abbreviated"):
            for day, name in get_day_names(width, locale=locale).items():
                names.setdefault(fold(name).rstrip("."), day)
    return names


def _words() -> dict[str, int]:
    words = dict(DAY_WORDS["en"])
    words.update(DAY_WORDS.get(language(), {}))
    return {key.replace("'", ""): days for key, days in words.items()}


def _units() -> dict[str, str]:
    units = dict(UNIT_LETTERS["en"])
    units.update(UNIT_LETTERS.get(language(), {}))
    return units


# --- the currency in force -------------------------------------------------------------


def use_currency(code: str | None) -> None:
    """Draw amounts in ``code`` (the database's setting); ``None``: the locale's currency."""
    global _currency_setting
    _currency_setting = code.upper() if code else None


def currency() -> str:
    """The ISO 4217 code amounts are drawn with: the setting, else the viewer's locale's."""
    return _currency_setting or locale_currency(locale_name())


def locale_currency(locale: str) -> str:
    """The currency of ``locale``'s territory (fr_CA: CAD, fr_FR: EUR, en_US: USD)."""
    territory = locale.partition("_")[2]
    if territory in KNOWN_CURRENCIES:
        return KNOWN_CURRENCIES[territory]
    from babel.numbers import get_territory_currencies  # lazily

    currencies = get_territory_currencies(territory) if territory else []
    return currencies[0] if currencies else "USD"


def known_currencies() -> list[str]:
    """Every ISO 4217 code Babel knows, sorted."""
    from babel.numbers import list_currencies  # lazily

    return sorted(list_currencies())


def currency_label(code: str) -> str:
    """``EUR — euro``: the code and its name in the language in force."""
    from babel.numbers import get_currency_name  # lazily

    return f"{code} — {get_currency_name(code, locale=locale_name())}"


# --- shown -----------------------------------------------------------------------------


def shown_date(day: dt.date | None) -> str:
    """``day`` as people of the locale read it: ``15/01/2027`` (fr), ``2027-01-15`` (en)."""
    if day is None:
        return ""
    if language() == "en":
        return day.isoformat()
    return _locale_date(day, locale_name())


@lru_cache(maxsize=4096)
def _locale_date(day: dt.date, locale: str) -> str:
    known = KNOWN_DATES.get(locale)
    if known:
        return known.format(d=day.day, m=day.month, y=day.year)
    from babel.dates import format_date, get_date_format  # lazily

    pattern = get_date_format("short", locale=locale).pattern
    pattern = re.sub(r"y+", "y", pattern)  # always the 4-digit year
    return format_date(day, pattern, locale=locale)


def shown_time(local: dt.datetime | None) -> str:
    """A local time to the minute: ``2027-01-15 09:30`` (en), ``15/01/2027 09:30`` (fr)."""
    if local is None:
        return ""
    return f"{shown_date(local.date())} {local:%H:%M}"


def shown_amount(cents: int | None, code: str | None = None) -> str:
    """Cents with the currency: ``$1,234.50`` (en_US), ``1 234,50 €`` (fr_FR)."""
    if cents is None:
        return ""
    return _amount(cents, code or currency(), locale_name())


@lru_cache(maxsize=8192)
def _amount(cents: int, code: str, locale: str) -> str:
    known = KNOWN_AMOUNTS.get((locale, code))
    if known:
        whole, part = divmod(abs(cents), 100)
        digits = _grouped(f"{whole}.{part:02d}", locale)
        return f"{'-' if cents < 0 else ''}{known[0]}{digits}{known[1]}"
    from babel.numbers import format_currency as babel_currency  # lazily

    return babel_currency(Decimal(cents).scaleb(-2), code, locale=locale, currency_digits=False)


def shown_number(number: float | None) -> str:
    """A number with the locale's separators: ``1,234.5`` (en), ``1 234,5`` (fr)."""
    if number is None:
        return ""
    return _number(number, locale_name())


@lru_cache(maxsize=8192)
def _number(number: float, locale: str) -> str:
    machine = format_number(float(number))
    if "e" in machine or "n" in machine:  # 1e+16 and beyond: the short machine form
        return machine if locale.startswith("en") else machine.replace(".", ",")
    if locale in KNOWN_SHAPES:
        return _grouped(machine, locale)
    from babel.numbers import format_decimal  # lazily

    return format_decimal(Decimal(machine), locale=locale, decimal_quantization=False)


def _grouped(machine: str, locale: str) -> str:
    """A plain decimal (``-1234.5``) with ``locale``'s grouping and decimal sign."""
    _order, _separator, decimal, group = _shape(locale)
    plain = format(Decimal(machine), ",f")
    return plain.replace(",", "\0").replace(".", decimal).replace("\0", group)


def shown_value(kind: str, text: str) -> str:
    """A stored value's machine text (``1234.50``, ``2027-01-15``) as people read it.

    ``kind`` is the variable type (``currency``, ``number``, ``date``; anything else is
    drawn as is). Text that does not read as its kind is drawn as is.
    """
    if not text or kind not in ("currency", "number", "date", "follow_up"):
        return text
    return _shown_value(kind, text, locale_name(), currency())


@lru_cache(maxsize=8192)
def _shown_value(kind: str, text: str, locale: str, code: str) -> str:
    try:
        if kind == "currency":
            return _amount(int(Decimal(text).scaleb(2)), code, locale)
        if kind == "number":
            return _number(float(text), locale)
        return shown_date(dt.date.fromisoformat(text))
    except (ValueError, InvalidOperation):
        return text


def editable_value(kind: str, text: str) -> str:
    """A stored value's machine text as put in a field to edit: ``1234,50`` in French.

    No grouping and no currency sign (what people type), dates as ``shown_date``.
    """
    if not text or language() == "en":
        return text
    if kind in ("date", "follow_up"):
        try:
            return shown_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if kind in ("currency", "number") and "e" not in text.lower():
        decimal = _shape(locale_name())[2]
        return text.replace(".", decimal)
    return text


def date_forms() -> str:
    """What a date field accepts, as examples: ``15/01/2027, 2027-01-15, demain, lundi, +3j…``."""
    lang = language()
    words = {days: word for word, days in DAY_WORDS.get(lang, DAY_WORDS["en"]).items()}
    day_letter = next(
        k for k, v in UNIT_LETTERS.get(lang, UNIT_LETTERS["en"]).items() if v == "day"
    )
    monday = ENGLISH_WEEKDAYS[0] if lang == "en" else _monday_name(locale_name())
    examples = [
        _example_short_date(),
        EXAMPLE_DAY.isoformat(),
        words[0],
        words[1],
        monday,
        f"+3{day_letter}",
    ]
    return ", ".join(examples) + "…"


@lru_cache(maxsize=16)
def _monday_name(locale: str) -> str:
    from babel.dates import get_day_names  # lazily

    return str(get_day_names("wide", locale=locale)[0]).lower()


def _example_short_date() -> str:
    order, separator, _decimal, _group = _shape(locale_name())
    separator = "/" if separator == "-" else separator
    parts = {"D": f"{EXAMPLE_DAY.day:02d}", "M": f"{EXAMPLE_DAY.month:02d}", "Y": "2027"}
    if order == "MDY" and language() == "en":
        parts = {"D": str(EXAMPLE_DAY.day), "M": str(EXAMPLE_DAY.month), "Y": "2027"}
    return separator.join(parts[letter] for letter in order)


def amount_forms() -> str:
    """What an amount field accepts: ``1 234,50; 1234,50; 1 234,50 €`` (fr_FR)."""
    grouped = shown_number(EXAMPLE_CENTS / 100)
    plain = editable_value("currency", format_currency(EXAMPLE_CENTS))
    if not grouped.endswith("0") and _shape(locale_name())[2] in grouped:
        grouped += "0"  # 1 234,5 -> 1 234,50
    return "; ".join(_unique([grouped, plain, shown_amount(EXAMPLE_CENTS)]))


def number_forms() -> str:
    """What a number field accepts: ``12; -3,5; 1 200`` (fr)."""
    return "; ".join([shown_number(12), shown_number(-3.5), shown_number(1200)])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- typed -----------------------------------------------------------------------------


def parse_typed_date(text: str, field: str, today: dt.date) -> dt.date | None:
    """A date as typed by a person (see the module's choices); blank gives ``None``.

    Raises ``ValidationError`` naming ``field`` with the accepted forms.
    """
    typed = (text or "").strip()
    if not typed:
        return None
    if _ISO.fullmatch(typed):
        return _real_date(typed, field, lambda: dt.date.fromisoformat(typed))
    key = fold(typed)
    for apostrophe in APOSTROPHES:
        key = key.replace(apostrophe, "'")
    key = key.replace("'", "").rstrip(".")
    try:
        words = _words()
        if key in words:
            return today + dt.timedelta(days=words[key])
        weekdays = _weekdays(locale_name())
        if key in weekdays:
            ahead = (weekdays[key] - today.weekday() - 1) % 7 + 1  # the next one, never today
            return today + dt.timedelta(days=ahead)
        relative = _RELATIVE.fullmatch(key)
        if relative:
            unit = _units().get(relative.group(2))
            if unit is not None:
                count = int(relative.group(1))
                if unit == "month":
                    return add_months(today, count)
                return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
    except (OverflowError, ValueError):  # past year 9999
        raise ValidationError(
            field, _("{value!r} is too far in the future").format(value=typed)
        ) from None
    numeric = _NUMERIC_DATE.fullmatch(typed)
    if numeric:
        day = _numeric_date(numeric)
        if day is not None:
            return day
    raise ValidationError(
        field, _("{value!r} is not a date: {forms}").format(value=typed, forms=date_forms())
    )


def _numeric_date(match: re.Match[str]) -> dt.date | None:
    """The day of a numeric date (``15/01/2027``); ``None``: no such day, or a 2-digit year."""
    first, _separator, second, third = match.groups()
    if len(first) == 4:  # 2027/01/15: the year first is never ambiguous
        year, month, day = first, second, third
    elif len(third) == 4 and len(first) <= 2:
        order = _shape(locale_name())[0]
        if order.startswith("M"):
            month, day, year = first, second, third
        else:
            day, month, year = first, second, third
    else:
        return None  # a 2-digit year: refused with the accepted forms
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 32/13/2027: refused with the accepted forms
        return None


def _real_date(typed: str, field: str, make: Callable[[], dt.date]) -> dt.date:
    try:
        return make()
    except ValueError:
        raise ValidationError(
            field, _("{value!r} is not a real date").format(value=typed)
        ) from None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later, the same day of the month or the month's last (Jan 31 + 1m:
    Feb 28 or 29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_typed_amount(text: str, field: str) -> int | None:
    """An amount as typed by a person, in integer cents; blank gives ``None``."""
    typed = (text or "").strip()
    if not typed:
        return None
    try:
        value = _parse_decimal(typed, currency_sign=True, dot_decimals=2)
    except _Refused as refused:
        if refused.decimals:
            problem = _("{value!r} has more than 2 decimals").format(value=typed)
        else:
            problem = _("{value!r} is not an amount: {forms}").format(
                value=typed, forms=amount_forms()
            )
        raise ValidationError(field, problem) from None
    if value.scaleb(2) != value.scaleb(2).to_integral_value():
        raise ValidationError(field, _("{value!r} has more than 2 decimals").format(value=typed))
    cents = int(value.scaleb(2))
    if abs(cents) > MAX_CENTS:
        raise ValidationError(
            field,
            _("{value!r} is too large (amounts up to ±{max})").format(
                value=typed, max=shown_amount(MAX_CENTS)
            ),
        )
    return cents


def parse_typed_number(text: str, field: str) -> float | None:
    """A number as typed by a person; blank gives ``None``."""
    typed = (text or "").strip()
    if not typed:
        return None
    try:
        if _EXPONENT.fullmatch(typed):
            value = Decimal(typed)
        else:
            value = _parse_decimal(typed, currency_sign=False, dot_decimals=None)
    except (_Refused, InvalidOperation):
        raise ValidationError(
            field, _("{value!r} is not a number: {forms}").format(value=typed, forms=number_forms())
        ) from None
    number = float(value)
    if abs(number) == float("inf"):
        raise ValidationError(
            field, _("{value!r} is too large (numbers up to ±1.8e308)").format(value=typed)
        )
    return number


def _parse_decimal(typed: str, *, currency_sign: bool, dot_decimals: int | None) -> Decimal:
    """The decimal in ``typed`` (the locale's separators, optional sign and currency)."""
    _order, _separator, decimal, group = _shape(locale_name())
    text = typed.replace("\u2212", "-")
    sign, text = _take_sign(text)
    text, removed = _strip_currency(text)
    if removed and not currency_sign:
        raise _Refused()
    if not sign:
        sign, text = _take_sign(text)
    groups = SPACES if group in SPACES else group
    core = re.fullmatch(
        r"(\d{1,3}(?:["
        + re.escape(groups)
        + r"]\d{3})+|\d+)?(?:"
        + re.escape(decimal)
        + r"(\d+))?",
        text,
    )
    if core and (core.group(1) or core.group(2)):
        whole = re.sub("[" + re.escape(groups) + "]", "", core.group(1) or "0")
        return _decimal(sign, whole, core.group(2) or "")
    if decimal == "," and "," not in text and text.count(".") == 1:
        # A dot decimal in a comma locale: only when it cannot be a grouping dot.
        spaced = re.fullmatch(r"(\d{1,3}(?:[" + re.escape(SPACES) + r"]\d{3})+|\d+)?\.(\d+)", text)
        if spaced:
            digits = spaced.group(2)
            if dot_decimals is not None and len(digits) > dot_decimals:
                raise _Refused(decimals=len(digits) != 3)
            if len(digits) == 3:
                raise _Refused()  # 1.234: a thousand in half of Europe
            whole = re.sub("[" + re.escape(SPACES) + "]", "", spaced.group(1) or "0")
            return _decimal(sign, whole, digits)
    raise _Refused()


def _decimal(sign: str, whole: str, fraction: str) -> Decimal:
    return Decimal(f"{sign}{whole}.{fraction or '0'}" if fraction else f"{sign}{whole}")


def _take_sign(text: str) -> tuple[str, str]:
    text = text.strip(SPACES)
    if text and text[0] in "+-":
        return ("-" if text[0] == "-" else ""), text[1:].strip(SPACES)
    return "", text


def _strip_currency(text: str) -> tuple[str, bool]:
    """``text`` without a currency sign or code before or after the digits."""
    match = re.fullmatch(r"([^\d.,+-]*)(.*?)([^\d.,]*)", text)
    if match is None:  # pragma: no cover - the pattern matches any text
        return text, False
    before, middle, after = match.groups()
    removed = False
    for part in (before, after):
        squeezed = "".join(c for c in part if c not in SPACES)
        if not squeezed:
            continue
        symbols = [c for c in squeezed if unicodedata.category(c) == "Sc"]
        letters = "".join(c for c in squeezed if c.isalpha())
        if len(symbols) + len(letters) != len(squeezed) or len(symbols) > 1 or len(letters) > 3:
            raise _Refused()
        if not symbols and len(letters) != 3:  # letters alone: a code (EUR, CAD)
            raise _Refused()
        removed = True
    return middle.strip(SPACES), removed


def machine_text(kind: str, text: str, field: str, today: dt.date) -> str:
    """What a person typed in a field of ``kind``, in the machine form the domain stores.

    ``15/01/2027`` -> ``2027-01-15``, ``1 234,50 €`` -> ``1234.50``, ``1 200`` -> ``1200``;
    other kinds: the text stripped. Raises ``ValidationError`` naming ``field``.
    """
    match kind:
        case "number":
            number = parse_typed_number(text, field)
            return "" if number is None else format_number(number)
        case "currency":
            return format_currency(parse_typed_amount(text, field))
        case "date" | "follow_up":
            day = parse_typed_date(text, field, today)
            return day.isoformat() if day else ""
    return text.strip()
