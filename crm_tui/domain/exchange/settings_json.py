"""Settings as JSON: the three tabs (statuses, actions, variables with their options),
the database's currency (top-level ``"currency"``, exported when set) and business hours
(top-level ``"business_hours"``, exported when set: not the default Monday to Friday,
09:00 to 17:00). An item's optional keys are written when not blank: ``"archived": true``,
a status's ``"done": true``, an action's ``"follow_up_days"``, an option's ``"time_zone"``.

Import is idempotent by name (ignoring case and accents): each item of the file is
created or updated to match it, and the file's items take the file's order ahead of the
items it does not name, which are kept. The whole file is checked before any change.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from crm_tui.db.models import database_proxy
from crm_tui.domain import settings as tabs
from crm_tui.domain.app_settings import (
    BUSINESS_HOURS,
    CURRENCY,
    business_hours_value,
    currency_setting,
    set_business_hours,
    set_currency_setting,
)
from crm_tui.domain.cockpit.zone_sync import zones_follow_settings
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.settings_file import (
    LISTS,
    BadgeSpec,
    SettingsFile,
    VariableSpec,
    check_settings_document,
    read_settings_json,
)
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.settings_badges import lock_settings_writes
from crm_tui.domain.text import fold
from crm_tui.i18n import _, ngettext
from crm_tui.records import Badge, Settings, UserInfo, VariableInfo

__all__ = [
    "SettingsImported",
    "apply_settings",
    "check_settings_document",
    "import_settings_json",
    "read_settings_json",
    "settings_document",
    "write_settings_json",
]
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
    if badge.done:
        document["done"] = True
    if badge.follow_up_days is not None:
        document["follow_up_days"] = badge.follow_up_days
    if badge.time_zone:
        document["time_zone"] = badge.time_zone
    return document


def _variable_document(variable: VariableInfo) -> dict[str, Any]:
    document: dict[str, Any] = {"name": variable.name, "type": variable.type}
    if variable.archived:
        document["archived"] = True
    if variable.type == "dropdown":
        document["options"] = [_badge_document(option) for option in variable.options]
    return document


def settings_document(settings: Settings, currency: str | None = None) -> dict[str, Any]:
    """The settings as the JSON file holds them, each list in configured order (and the
    currency first, when one is set, then the business hours, when not the default)."""
    document: dict[str, Any] = {CURRENCY: currency} if currency else {}
    hours = business_hours_value(settings.business_hours)
    if hours is not None:
        document[BUSINESS_HOURS] = hours
    document.update(
        {
            "statuses": [_badge_document(status) for status in settings.statuses],
            "actions": [_badge_document(action) for action in settings.actions],
            "variables": [_variable_document(variable) for variable in settings.variables],
        }
    )
    return document


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
    """Write the settings as UTF-8 JSON, one item per line as in the worked example, with
    the database's currency when it is set."""
    document = settings_document(settings, currency_setting())
    lines = ["{"]
    for key in (CURRENCY, BUSINESS_HOURS):
        if key in document:
            lines.append(f"  {json.dumps(key)}: {_line(document[key])},")
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


def _moved(before: list[int], after: list[int]) -> set[int]:
    """The items of ``before`` that move to give ``after``'s order (fewest such items).

    The others form a longest run kept in order (found by patience sorting), so a new
    item put first moves nothing, and one item taken to the top moves only itself.
    """
    place = {item: index for index, item in enumerate(before)}
    sequence = [item for item in after if item in place]
    tails: list[int] = []  # index in ``sequence`` ending the best run of each length
    tail_places: list[int] = []
    previous = [-1] * len(sequence)
    for index, item in enumerate(sequence):
        length = bisect_left(tail_places, place[item])
        previous[index] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(index)
            tail_places.append(place[item])
        else:
            tails[length] = index
            tail_places[length] = place[item]
    kept: set[int] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        kept.add(sequence[index])
        index = previous[index]
    return set(sequence) - kept


class _Applier:
    """Creates or updates the items of a checked file, counting what it did."""

    def __init__(self, actor: UserInfo, file: str, counts: SettingsImported) -> None:
        self.actor = actor
        self.file = file
        self.counts = counts

    def _tally(self, outcomes: list[tuple[int, str]], before: list[int]) -> None:
        """Count each item; an item otherwise unchanged that had to move counts as updated."""
        wanted = [item_id for item_id, _outcome in outcomes]
        after = wanted + [item_id for item_id in before if item_id not in set(wanted)]
        moved = _moved(before, after)
        for item_id, outcome in outcomes:
            if outcome == "unchanged" and item_id in moved:
                outcome = "updated"
            setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)

    def badges(
        self,
        kind: str,
        current: Sequence[Badge],
        specs: Sequence[BadgeSpec],
        variable_id: int | None = None,
    ) -> None:
        by_key = {fold(badge.name): badge for badge in current}
        outcomes = [
            self._badge(kind, by_key.get(fold(spec.name)), spec, variable_id) for spec in specs
        ]
        tabs.reorder_badges(self.actor, kind, [item_id for item_id, _ in outcomes], variable_id)
        self._tally(outcomes, [badge.id for badge in current])

    def _badge(
        self, kind: str, badge: Badge | None, spec: BadgeSpec, variable_id: int | None
    ) -> tuple[int, str]:
        try:
            if badge is None:
                badge = tabs.create_badge(
                    self.actor, kind, variable_id=variable_id, **spec.fields()
                )
                outcome = "created"
            else:
                changes = _badge_changes(badge, spec)
                if changes:
                    badge = tabs.update_badge(self.actor, kind, badge.id, **changes)
                changed = changes or badge.archived != spec.archived
                outcome = "updated" if changed else "unchanged"
            if badge.archived != spec.archived:
                tabs.set_badge_archived(self.actor, kind, badge.id, spec.archived)
        except ValidationError as error:
            raise ExchangeError(f"{self.file}: {spec.path}: {error}") from None
        return badge.id, outcome

    def variables(self, current: Sequence[VariableInfo], specs: Sequence[VariableSpec]) -> None:
        by_key = {fold(variable.name): variable for variable in current}
        outcomes = []
        for spec in specs:
            try:
                outcomes.append(self._variable(by_key.get(fold(spec.name)), spec))
            except ValidationError as error:
                raise ExchangeError(f"{self.file}: {spec.path}: {error}") from None
        tabs.reorder_variables(self.actor, [item_id for item_id, _ in outcomes])
        self._tally(outcomes, [variable.id for variable in current])

    def _variable(self, variable: VariableInfo | None, spec: VariableSpec) -> tuple[int, str]:
        new_options = [option.fields() for option in spec.options]
        if variable is None:
            variable = tabs.create_variable(
                self.actor, name=spec.name, type=spec.type, options=new_options
            )
            self.counts.created += len(new_options)
            self._archive_new_options(variable, spec)
            outcome = "created"
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
            changed = changes or variable.archived != spec.archived
            outcome = "updated" if changed else "unchanged"
            if "options" in changes:
                self.counts.created += len(new_options)
                self._archive_new_options(variable, spec)
            elif spec.type == "dropdown":
                self.badges("option", variable.options, spec.options, variable.id)
        if variable.archived != spec.archived:
            tabs.set_variable_archived(self.actor, variable.id, spec.archived)
        return variable.id, outcome

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
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor, _("import settings"))
        lock_settings_writes()  # another import's new items are seen, then updated
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
        if file.currency is not None:
            changed = set_currency_setting(actor, file.currency)
            counts.updated += changed
            counts.unchanged += not changed
        if file.business_hours is not None:
            changed = set_business_hours(actor, file.business_hours)
            counts.updated += changed
            counts.unchanged += not changed
        return counts


def import_settings_json(actor: UserInfo, path: str | Path) -> SettingsImported:
    """Read, check and apply a settings JSON file (admins only); all or nothing."""
    return apply_settings(actor, read_settings_json(path))
