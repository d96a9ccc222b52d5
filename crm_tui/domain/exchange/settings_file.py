"""Reading and checking a settings JSON file, item by item, before anything is saved.

Every refusal names the file, the item and the field: ``settings.json:
statuses[2].font_color: 'red' is not a colour…`` (items are counted from 0). Besides the
three lists, an optional top-level ``"currency": "EUR"`` (an ISO 4217 code) sets the
currency amounts are shown in, and an optional ``"business_hours": {"days": [...],
"start": "09:00", "end": "17:00"}`` when customers can be called. The cockpit's optional
keys of items: a status's ``"done": true``, an action's ``"follow_up_days": 3``, an
option's ``"time_zone": "America/Toronto"`` (an IANA zone).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_tui.domain import settings as tabs
from crm_tui.domain.app_settings import BUSINESS_HOURS, CURRENCY, check_currency_code
from crm_tui.domain.cockpit.hours import check_business_hours, check_zone
from crm_tui.domain.colors import normalize_color
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.files import display_name, read_error
from crm_tui.domain.text import check_line, check_name, fold
from crm_tui.domain.values import VARIABLE_TYPES
from crm_tui.i18n import _
from crm_tui.records import BusinessHours

LISTS = ("statuses", "actions", "variables")
TOP_KEYS = (CURRENCY, BUSINESS_HOURS, *LISTS)
"""What a settings file may hold at its top level."""
COMMON_BADGE_KEYS = (
    "name",
    "abbreviation",
    "font_color",
    "background_color",
    "in_sequence",
    "archived",
)
BADGE_KEYS = {
    "status": (*COMMON_BADGE_KEYS, "done"),
    "action": (*COMMON_BADGE_KEYS, "follow_up_days"),
    "option": (*COMMON_BADGE_KEYS, "time_zone"),
}
"""The keys an item may have, by kind."""
VARIABLE_KEYS = ("name", "type", "options", "archived")


@dataclass(slots=True)
class BadgeSpec:
    """A status, action or option as the file describes it."""

    path: str
    name: str
    abbreviation: str
    font_color: str
    background_color: str
    in_sequence: bool = False
    archived: bool = False
    done: bool = False
    follow_up_days: int | None = None
    time_zone: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields the settings service takes."""
        return tabs.badge_fields(self)


@dataclass(slots=True)
class VariableSpec:
    """A variable as the file describes it."""

    path: str
    name: str
    type: str
    options: list[BadgeSpec] = field(default_factory=list)
    archived: bool = False


@dataclass(slots=True)
class SettingsFile:
    """A checked settings file; a list is ``None`` when the file does not have it."""

    name: str
    statuses: list[BadgeSpec] | None = None
    actions: list[BadgeSpec] | None = None
    variables: list[VariableSpec] | None = None
    currency: str | None = None
    """The ISO 4217 code to show amounts in; ``None``: the file does not say."""
    business_hours: BusinessHours | None = None
    """When customers can be called; ``None``: the file does not say."""


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, problem: str) -> ExchangeError:
        where = f"{self.file}: {path}" if path else self.file
        return ExchangeError(f"{where}: {problem}")

    def object(self, value: Any, path: str, keys: Sequence[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, _("must be an object {...}"))
        for key in value:
            if key not in keys:
                raise self.fail(
                    path,
                    _('unknown field "{key}" (fields: {fields})').format(
                        key=key, fields=", ".join(keys)
                    ),
                )
        return value

    def list(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, _("must be a list [...]"))
        return value

    def text(self, item: dict[str, Any], key: str, path: str) -> str:
        value = item.get(key)
        if value is None:
            raise self.fail(f"{path}.{key}", _("is required"))
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", _("must be text"))
        return value

    def flag(self, item: dict[str, Any], key: str, path: str) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", _("must be true or false"))
        return value

    def name(self, item: dict[str, Any], path: str) -> str:
        try:
            name = check_name(self.text(item, "name", path), "name")
        except ValidationError as error:
            raise self.fail(f"{path}.name", error.problem) from None
        if not name:
            raise self.fail(f"{path}.name", _("a name is required"))
        return name

    def badge(self, value: Any, path: str, kind: str) -> BadgeSpec:
        item = self.object(value, path, BADGE_KEYS[kind])
        name = self.name(item, path)
        try:
            abbreviation = check_line(
                self.text(item, "abbreviation", path), "abbreviation", tabs.ABBREVIATION_MAX
            )
        except ValidationError as error:
            raise self.fail(f"{path}.abbreviation", error.problem) from None
        if not abbreviation:
            raise self.fail(f"{path}.abbreviation", _("an abbreviation is required"))
        colors = []
        for key in ("font_color", "background_color"):
            try:
                colors.append(normalize_color(self.text(item, key, path), key))
            except ValidationError as error:
                raise self.fail(f"{path}.{key}", error.problem) from None
        return BadgeSpec(
            path=path,
            name=name,
            abbreviation=abbreviation,
            font_color=colors[0],
            background_color=colors[1],
            in_sequence=self.flag(item, "in_sequence", path),
            archived=self.flag(item, "archived", path),
            done=self.flag(item, "done", path),
            follow_up_days=self.follow_up_days(item, path),
            time_zone=self.time_zone(item, path),
        )

    def follow_up_days(self, item: dict[str, Any], path: str) -> int | None:
        value = item.get("follow_up_days")
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(
                f"{path}.follow_up_days",
                _("must be a whole number of days (0 to {max})").format(
                    max=tabs.FOLLOW_UP_DAYS_MAX
                ),
            )
        try:
            return tabs.check_follow_up_days(value, "follow_up_days")
        except ValidationError as error:
            raise self.fail(f"{path}.follow_up_days", error.problem) from None

    def time_zone(self, item: dict[str, Any], path: str) -> str | None:
        value = item.get("time_zone")
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.time_zone", _("must be text"))
        if not value.strip():
            return None
        try:
            return check_zone(value, "time_zone")
        except ValidationError as error:
            raise self.fail(f"{path}.time_zone", error.problem) from None

    def business_hours(self, top: dict[str, Any]) -> BusinessHours:
        try:
            return check_business_hours(top[BUSINESS_HOURS], BUSINESS_HOURS)
        except ValidationError as error:
            raise self.fail(error.field, error.problem) from None

    def unique(self, specs: Sequence[BadgeSpec | VariableSpec]) -> None:
        seen: dict[str, str] = {}
        for spec in specs:
            key = fold(spec.name)
            if key in seen:
                raise self.fail(
                    f"{spec.path}.name",
                    _("{name!r} is named twice (also at {other})").format(
                        name=spec.name, other=seen[key]
                    ),
                )
            seen[key] = spec.path

    def currency(self, top: dict[str, Any]) -> str:
        code = top[CURRENCY]
        if not isinstance(code, str):
            raise self.fail(CURRENCY, _("must be text"))
        try:
            return check_currency_code(code, CURRENCY)
        except ValidationError as error:
            raise self.fail(CURRENCY, error.problem) from None

    def variable(self, value: Any, path: str) -> VariableSpec:
        item = self.object(value, path, VARIABLE_KEYS)
        name = self.name(item, path)
        if tabs.column_key(name) in tabs.RESERVED_COLUMN_KEYS:
            raise self.fail(
                f"{path}.name", _("{name!r} is a built-in column of notes").format(name=name)
            )
        type_ = self.text(item, "type", path).strip().lower()
        if type_ not in VARIABLE_TYPES:
            raise self.fail(
                f"{path}.type",
                _("{type!r} is not a type; use one of {types}").format(
                    type=type_, types=", ".join(VARIABLE_TYPES)
                ),
            )
        raw_options = self.list(item.get("options", []), f"{path}.options")
        options = [
            self.badge(option, f"{path}.options[{index}]", "option")
            for index, option in enumerate(raw_options)
        ]
        if type_ == "dropdown" and not options:
            raise self.fail(f"{path}.options", _("a dropdown needs at least one option"))
        if type_ != "dropdown" and options:
            raise self.fail(f"{path}.options", _("only dropdown variables have options"))
        self.unique(options)
        return VariableSpec(
            path=path,
            name=name,
            type=type_,
            options=options,
            archived=self.flag(item, "archived", path),
        )


def check_settings_document(document: Any, file: str) -> SettingsFile:
    """Check a parsed settings document completely; raise an ``ExchangeError`` naming the item."""
    checker = _Checker(file)
    top = checker.object(document, "", TOP_KEYS)
    result = SettingsFile(name=file)
    if CURRENCY in top:
        result.currency = checker.currency(top)
    if BUSINESS_HOURS in top:
        result.business_hours = checker.business_hours(top)
    for key, kind in (("statuses", "status"), ("actions", "action")):
        if key in top:
            items = checker.list(top[key], key)
            specs = [
                checker.badge(item, f"{key}[{index}]", kind) for index, item in enumerate(items)
            ]
            checker.unique(specs)
            setattr(result, key, specs)
    if "variables" in top:
        items = checker.list(top["variables"], "variables")
        variables = [
            checker.variable(item, f"variables[{index}]") for index, item in enumerate(items)
        ]
        checker.unique(variables)
        result.variables = variables
    return result


def read_settings_json(path: str | Path) -> SettingsFile:
    """Read and check a settings JSON file; writes nothing."""
    file = display_name(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise read_error(path, error) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeError(
            _("{file}: not UTF-8 text (save the file as UTF-8)").format(file=file)
        ) from None
    try:
        document = json.loads(text, parse_int=_json_int, parse_constant=_json_constant)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            _("{file} line {line} column {column}: not valid JSON: {problem}").format(
                file=file, line=error.lineno, column=error.colno, problem=error.msg
            )
        ) from None
    except _NumberTooLong as error:
        raise ExchangeError(_number_problem(file, text, error.text)) from None
    except RecursionError:
        raise ExchangeError(
            _(
                "{file}: lists or objects nested too deeply (a settings file has {depth} levels)"
            ).format(file=file, depth=_SETTINGS_DEPTH)
        ) from None
    return check_settings_document(document, file)


# A settings file nests at most: {} > "variables" [] > {} > "options" [] > {}.
_SETTINGS_DEPTH = 5
_NUMBER_DIGITS = 30  # more digits than any setting takes; Python refuses past 4300


class _NumberTooLong(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > _NUMBER_DIGITS:
        raise _NumberTooLong(text)
    return int(text)


def _json_constant(name: str) -> float:
    """``NaN`` and ``Infinity`` are not JSON; refuse them as the parser refuses a typo."""
    raise _NumberTooLong(name)


def _number_problem(file: str, text: str, number: str) -> str:
    position = text.find(number)
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    shown = number if len(number) <= 12 else f"{number[:8]}…"
    if number.lstrip("-").isdigit():
        problem = _("the number {number} has {count} digits (at most {max})").format(
            number=shown, count=len(number.lstrip("-")), max=_NUMBER_DIGITS
        )
    else:
        problem = _("{name} is not a JSON value").format(name=number)
    return _("{file} line {line} column {column}: {problem}").format(
        file=file, line=line, column=column, problem=problem
    )
