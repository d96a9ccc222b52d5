"""Reverting history lines of settings (statuses, actions, options, variables) for undo.

Edits of a field (name, abbreviation, colours, in sequence, archived, done, default
follow-up, time zone), changes of order and database-wide settings (``app_settings``: the
currency, the business hours) can be reverted;
creating, deleting or retyping an item cannot (its notes and options may depend on it):
such an undo is refused with a message pointing to Settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from crm_tui.db.models import Variable
from crm_tui.domain.app_settings import SETTING, SETTING_ID, stored_text, write_stored_text
from crm_tui.domain.errors import ConflictError, DomainError
from crm_tui.domain.history import history_text
from crm_tui.domain.settings_badges import BADGE_MODELS, kind_label, ordered_ids, write_order
from crm_tui.domain.text import clean_name, fold
from crm_tui.i18n import _

SETTINGS_KINDS = ("status", "action", "option", "variable", SETTING)
_BOOLEAN_FIELDS = ("archived", "in_sequence", "done")
_TEXT_FIELDS = ("name", "abbreviation", "font_color", "background_color")
_BLANKABLE_FIELDS = ("time_zone", "follow_up_days")
"""Fields that may be blank before or after (a blank is not a creation or a deletion)."""

Line = tuple[str, int, str, str | None, str | None]
"""A history line to write: entity, entity id, field, old, new."""


class HistoryLine(NamedTuple):
    """A history line read back (only what an undo needs)."""

    entity: str
    entity_id: int
    field: str
    old: str | None
    new: str | None


class CannotUndo(DomainError):
    """This change cannot be reverted (the message says why)."""


def _model(kind: str):
    return Variable if kind == "variable" else BADGE_MODELS[kind]


def _row(kind: str, item_id: int):
    model = _model(kind)
    row = model.get_or_none(model.id == item_id)
    if row is None:
        raise CannotUndo(
            _("Cannot undo: this {kind} no longer exists.").format(kind=kind_label(kind))
        )
    return row


def revert_settings(rows: Sequence[HistoryLine]) -> list[Line]:
    """Put back the old values of these history lines; returns the lines to record."""
    lines: list[Line] = []
    orders: dict[str, list[HistoryLine]] = {}
    for change in rows:
        if change.entity == SETTING:
            lines.append(_revert_app_setting(change))
        elif change.field == "position":
            orders.setdefault(change.entity, []).append(change)
        elif change.field in _BLANKABLE_FIELDS or (
            change.field in _BOOLEAN_FIELDS + _TEXT_FIELDS and None not in (change.old, change.new)
        ):
            lines.append(_revert_field(change))
        else:
            raise CannotUndo(
                _(
                    "Cannot undo: creating, deleting or retyping a {kind} is not undone;"
                    " change it in Settings."
                ).format(kind=kind_label(change.entity))
            )
    for kind, changes in orders.items():
        lines.extend(_revert_order(kind, changes))
    return lines


def _revert_app_setting(change: HistoryLine) -> Line:
    """A database-wide setting back to its old value (unless changed since)."""
    if history_text(stored_text(change.field)) != change.new:
        raise ConflictError(
            _("Cannot undo: the setting {key!r} was changed since.").format(key=change.field)
        )
    write_stored_text(change.field, change.old)
    return (SETTING, SETTING_ID, change.field, change.new, change.old)


def _revert_field(change: HistoryLine) -> Line:
    kind, field = change.entity, change.field
    row = _row(kind, change.entity_id)
    current = getattr(row, field)
    shown = history_text(bool(current)) if field in _BOOLEAN_FIELDS else history_text(current)
    if shown != change.new:
        raise ConflictError(
            _("Cannot undo: the {kind} {name!r} was changed since.").format(
                kind=kind_label(kind), name=row.name
            )
        )
    if field in _BOOLEAN_FIELDS:
        value: object = change.old == history_text(True)
    elif field == "name":
        value = clean_name(change.old or "")
        _check_free_name(kind, row, str(value))
        row.name_key = fold(str(value))
    elif field == "follow_up_days":
        value = None if change.old is None else int(change.old)
    else:
        value = change.old
    setattr(row, field, value)
    row.save()
    return (kind, row.id, field, change.new, change.old)


def _check_free_name(kind: str, row, name: str) -> None:
    model = _model(kind)
    query = model.select().where((model.name_key == fold(name)) & (model.id != row.id))
    if kind == "option":
        query = query.where(model.variable == row.variable_id)
    if query.exists():
        raise CannotUndo(
            _("Cannot undo: another {kind} is named {name!r} now.").format(
                kind=kind_label(kind), name=name
            )
        )


def _revert_order(kind: str, changes: list[HistoryLine]) -> list[Line]:
    """Put the moved items back at their old places (the others keep their order)."""
    lines: list[Line] = []
    scopes: dict[int | None, list[HistoryLine]] = {}
    for change in changes:
        row = _row(kind, change.entity_id)
        scopes.setdefault(row.variable_id if kind == "option" else None, []).append(change)
    for scope, moved in scopes.items():
        if kind == "variable":
            query = Variable.select(Variable.id).order_by(Variable.position, Variable.id)
            ids = [row.id for row in query]
        else:
            ids = ordered_ids(kind, scope)
        for change in moved:
            if str(ids.index(change.entity_id) + 1) != change.new:
                raise ConflictError(
                    _("Cannot undo: the order of the {kind} list was changed since.").format(
                        kind=kind_label(kind)
                    )
                )
        rest = [item for item in ids if item not in {c.entity_id for c in moved}]
        for change in sorted(moved, key=lambda c: int(c.old or 0)):
            rest.insert(int(change.old or 1) - 1, change.entity_id)
        write_order(_model(kind), rest)
        lines.extend((kind, c.entity_id, "position", c.new, c.old) for c in moved)
    return lines


def describe_settings(rows: Sequence[HistoryLine]) -> str:
    """What these settings lines changed, in a few words."""
    items = {(change.entity, change.entity_id) for change in rows}
    fields = sorted({change.field for change in rows})
    if all(change.entity == SETTING for change in rows):
        return _("the setting {keys}").format(keys=", ".join(fields))
    if len(items) == 1:
        ((kind, item_id),) = items
        model = _model(kind)
        name = model.select(model.name).where(model.id == item_id).scalar()
        if name is None:
            name = next((c.old or c.new for c in rows if c.field == "name"), "")
        return _("{fields} of the {kind} {name!r}").format(
            fields=", ".join(fields), kind=kind_label(kind), name=name
        )
    if fields == ["position"]:
        kind = next(iter(items))[0]
        return _("the order of the {kind} list").format(kind=kind_label(kind))
    return _("changes to settings")
