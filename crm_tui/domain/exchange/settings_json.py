"""Settings as JSON: the three tabs (statuses, actions, variables with their options).

Import is idempotent by name (ignoring case and accents): each item of the file is
created or updated to match it, and the file's items take the file's order ahead of the
items it does not name, which are kept. The whole file is checked before any change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from crm_tui.db.models import database_proxy
from crm_tui.domain import settings as tabs
from crm_tui.domain.colors import normalize_color
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.files import display_name, read_error
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.records import Badge, Settings, UserInfo, VariableInfo
from crm_tui.domain.text import clean_name, fold
from crm_tui.domain.values import VARIABLE_TYPES
from crm_tui.i18n import _, ngettext

LISTS = ("statuses", "actions", "variables")
BADGE_KEYS = ("name", "abbreviation", "font_color", "background_color", "in_sequence", "archived")
VARIABLE_KEYS = ("name", "type", "options", "archived")
_KIND_OF_LIST = {"statuses": "status", "actions": "action"}


# --- export ------------------------------------------------------------------------


def _badge_document(badge: Badge) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": badge.name,
        "abbreviation": badge.abbreviation,
        "font_color": badge.font_color,
        "background_color": badge.background_color,
        "in_sequence": badge.in_sequence,
    }
    if badge.archived:
        document["archived"] = True
    return document


def _variable_document(variable: VariableInfo) -> dict[str, Any]:
    document: dict[str, Any] = {"name": variable.name, "type": variable.type}
    if variable.archived:
        document["archived"] = True
    if variable.type == "dropdown":
        document["options"] = [_badge_document(option) for option in variable.options]
    return document


def settings_document(settings: Settings) -> dict[str, Any]:
    """The settings as the JSON file holds them, each list in configured order."""
    return {
        "statuses": [_badge_document(status) for status in settings.statuses],
        "actions": [_badge_document(action) for action in settings.actions],
        "variables": [_variable_document(variable) for variable in settings.variables],
    }


def _line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False)


def _variable_lines(variable: dict[str, Any], end: str) -> list[str]:
    """A variable on one line, or over several when it has options (listed last)."""
    options = variable.get("options")
    if not options:
        return [f"    {_line(variable)}{end}"]
    head = _line({key: value for key, value in variable.items() if key != "options"})
    lines = [f'    {head[:-1]}, "options": [']
    lines.extend(f"      {_line(option)}," for option in options)
    lines[-1] = lines[-1][:-1] + "]}" + end
    return lines


def write_settings_json(settings: Settings, stream: TextIO) -> None:
    """Write the settings as UTF-8 JSON, one item per line as in the worked example."""
    document = settings_document(settings)
    lines = ["{"]
    for position, key in enumerate(LISTS):
        items = document[key]
        last_list = position == len(LISTS) - 1
        lines.append(f'  "{key}": [')
        for index, item in enumerate(items):
            end = "" if index == len(items) - 1 else ","
            if key == "variables":
                lines.extend(_variable_lines(item, end))
            else:
                lines.append(f"    {_line(item)}{end}")
        lines.append("  ]" + ("" if last_list else ","))
    lines.append("}")
    stream.write("\n".join(lines) + "\n")


# --- checking a file ---------------------------------------------------------------


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

    def fields(self) -> dict[str, Any]:
        """The fields the settings service takes."""
        return {
            "name": self.name,
            "abbreviation": self.abbreviation,
            "font_color": self.font_color,
            "background_color": self.background_color,
            "in_sequence": self.in_sequence,
        }


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
        name = clean_name(self.text(item, "name", path))
        if not name:
            raise self.fail(f"{path}.name", _("a name is required"))
        return name

    def badge(self, value: Any, path: str) -> BadgeSpec:
        item = self.object(value, path, BADGE_KEYS)
        name = self.name(item, path)
        abbreviation = self.text(item, "abbreviation", path).strip()
        if not abbreviation:
            raise self.fail(f"{path}.abbreviation", _("an abbreviation is required"))
        if len(abbreviation) > tabs.ABBREVIATION_MAX:
            raise self.fail(
                f"{path}.abbreviation",
                _("{value!r} is longer than {max} characters").format(
                    value=abbreviation, max=tabs.ABBREVIATION_MAX
                ),
            )
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
        )

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
            self.badge(option, f"{path}.options[{index}]")
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
    top = checker.object(document, "", LISTS)
    result = SettingsFile(name=file)
    for key in ("statuses", "actions"):
        if key in top:
            items = checker.list(top[key], key)
            specs = [checker.badge(item, f"{key}[{index}]") for index, item in enumerate(items)]
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
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            _("{file} line {line} column {column}: not valid JSON: {problem}").format(
                file=file, line=error.lineno, column=error.colno, problem=error.msg
            )
        ) from None
    return check_settings_document(document, file)


# --- applying ----------------------------------------------------------------------


@dataclass(slots=True)
class SettingsImported:
    """How many items an import created, changed and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _badge_changes(current: Badge, spec: BadgeSpec) -> dict[str, Any]:
    wanted = spec.fields()
    return {key: value for key, value in wanted.items() if getattr(current, key) != value}


class _Applier:
    def __init__(self, actor: UserInfo, file: str, counts: SettingsImported) -> None:
        self.actor = actor
        self.file = file
        self.counts = counts

    def badges(
        self,
        kind: str,
        current: Sequence[Badge],
        specs: Sequence[BadgeSpec],
        variable_id: int | None = None,
    ) -> None:
        by_key = {fold(badge.name): badge for badge in current}
        ids = []
        for spec in specs:
            ids.append(self._badge(kind, by_key.get(fold(spec.name)), spec, variable_id))
        tabs.reorder_badges(self.actor, kind, ids, variable_id)

    def _badge(self, kind: str, badge: Badge | None, spec: BadgeSpec, variable_id: int | None):
        try:
            if badge is None:
                badge = tabs.create_badge(
                    self.actor, kind, variable_id=variable_id, **spec.fields()
                )
                self.counts.created += 1
            else:
                changes = _badge_changes(badge, spec)
                if changes:
                    badge = tabs.update_badge(self.actor, kind, badge.id, **changes)
                if changes or badge.archived != spec.archived:
                    self.counts.updated += 1
                else:
                    self.counts.unchanged += 1
            if badge.archived != spec.archived:
                tabs.set_badge_archived(self.actor, kind, badge.id, spec.archived)
        except ValidationError as error:
            raise ExchangeError(f"{self.file}: {spec.path}: {error}") from None
        return badge.id

    def variables(self, current: Sequence[VariableInfo], specs: Sequence[VariableSpec]) -> None:
        by_key = {fold(variable.name): variable for variable in current}
        ids = []
        for spec in specs:
            try:
                ids.append(self._variable(by_key.get(fold(spec.name)), spec))
            except ValidationError as error:
                raise ExchangeError(f"{self.file}: {spec.path}: {error}") from None
        tabs.reorder_variables(self.actor, ids)

    def _variable(self, variable: VariableInfo | None, spec: VariableSpec) -> int:
        new_options = [option.fields() for option in spec.options]
        if variable is None:
            variable = tabs.create_variable(
                self.actor, name=spec.name, type=spec.type, options=new_options
            )
            self.counts.created += 1 + len(new_options)
            self._archive_new_options(variable, spec)
        else:
            changes: dict[str, Any] = {}
            if variable.name != spec.name:
                changes["name"] = spec.name
            if variable.type != spec.type:
                changes["type"] = spec.type
                if spec.type == "dropdown":  # a new dropdown comes with its options
                    changes["options"] = new_options
            if changes:
                variable = tabs.update_variable(self.actor, variable.id, **changes)
            if changes or variable.archived != spec.archived:
                self.counts.updated += 1
            else:
                self.counts.unchanged += 1
            if "options" in changes:
                self.counts.created += len(new_options)
                self._archive_new_options(variable, spec)
            elif spec.type == "dropdown":
                self.badges("option", variable.options, spec.options, variable.id)
        if variable.archived != spec.archived:
            tabs.set_variable_archived(self.actor, variable.id, spec.archived)
        return variable.id

    def _archive_new_options(self, variable: VariableInfo, spec: VariableSpec) -> None:
        for option, option_spec in zip(variable.options, spec.options, strict=True):
            if option_spec.archived:
                tabs.set_badge_archived(self.actor, "option", option.id, True)


def _check_type_changes(file: SettingsFile, current: Settings) -> None:
    by_key = {fold(variable.name): variable for variable in current.variables}
    for spec in file.variables or ():
        variable = by_key.get(fold(spec.name))
        if variable is None or variable.type == spec.type:
            continue
        used = tabs.variable_use_count(variable.id)
        if used:
            problem = ngettext(
                "{name!r} is a {old} variable with a value on {count} note: it cannot become {new}",
                "{name!r} is a {old} variable with values on {count} notes: it cannot become {new}",
                used,
            ).format(name=variable.name, old=variable.type, count=used, new=spec.type)
            raise ExchangeError(f"{file.name}: {spec.path}.type: {problem}")


def apply_settings(actor: UserInfo, file: SettingsFile) -> SettingsImported:
    """Create or update every item of a checked file, in one transaction (admins only)."""
    with database_proxy.atomic():
        require_admin(actor, _("import settings"))
        current = tabs.load_settings()
        _check_type_changes(file, current)
        counts = SettingsImported()
        applier = _Applier(actor, file.name, counts)
        for key in ("statuses", "actions"):
            specs = getattr(file, key)
            if specs is not None:
                applier.badges(_KIND_OF_LIST[key], getattr(current, key), specs)
        if file.variables is not None:
            applier.variables(current.variables, file.variables)
        return counts


def import_settings_json(actor: UserInfo, path: str | Path) -> SettingsImported:
    """Read, check and apply a settings JSON file (admins only); all or nothing."""
    return apply_settings(actor, read_settings_json(path))
