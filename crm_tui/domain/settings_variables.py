"""Settings: variables (typed fields of notes), with the options of dropdowns.

Every change is for admins only, runs in one transaction and is written to the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from crm_tui.db.models import NoteValue, Option, Variable, database_proxy
from crm_tui.domain import history
from crm_tui.domain.cockpit.zone_sync import zones_follow_settings
from crm_tui.domain.errors import InUse, NotFound, ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.settings_badges import (
    RESERVED_COLUMN_KEYS,
    badge_of_row,
    column_key,
    create_badge,
    get_variable_row,
    lock_settings_writes,
    record_order,
    write_order,
)
from crm_tui.domain.text import check_name, fold
from crm_tui.domain.values import VARIABLE_TYPES
from crm_tui.i18n import _, ngettext
from crm_tui.records import UserInfo, VariableInfo

# --- variables ---------------------------------------------------------------------


def _clean_variable_name(name: str, exclude_id: int | None) -> str:
    cleaned = check_name(name, _("name"))
    if not cleaned:
        raise ValidationError(_("name"), _("a name is required"))
    if column_key(cleaned) in RESERVED_COLUMN_KEYS:
        raise ValidationError(
            _("name"), _("{name!r} is a built-in column of notes").format(name=cleaned)
        )
    lock_settings_writes()
    query = Variable.select().where(Variable.name_key == fold(cleaned))
    if exclude_id is not None:
        query = query.where(Variable.id != exclude_id)
    if query.exists():
        raise ValidationError(
            _("name"), _("a variable named {name!r} exists already").format(name=cleaned)
        )
    return cleaned


def _check_type(type_: str) -> str:
    if type_ not in VARIABLE_TYPES:
        raise ValidationError(
            _("type"),
            _("{type!r} is not a type; use one of {types}").format(
                type=type_, types=", ".join(VARIABLE_TYPES)
            ),
        )
    return type_


def _variable_info(row: Variable) -> VariableInfo:
    options = tuple(
        badge_of_row(option, "option")
        for option in Option.select()
        .where(Option.variable == row.id)
        .order_by(Option.position, Option.id)
    )
    return VariableInfo(
        id=row.id,
        name=row.name,
        type=row.type,
        position=row.position,
        archived=bool(row.archived),
        options=options,
    )


def create_variable(
    actor: UserInfo | None,
    *,
    name: str,
    type: str,
    options: Sequence[dict[str, Any]] = (),
) -> VariableInfo:
    """Create a variable; a dropdown needs at least one option, given in ``options``."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        cleaned = _clean_variable_name(name, None)
        type_ = _check_type(type)
        if type_ == "dropdown" and not options:
            raise ValidationError(_("options"), _("a dropdown needs at least one option"))
        if type_ != "dropdown" and options:
            raise ValidationError(_("options"), _("only dropdown variables have options"))
        highest = Variable.select(peewee.fn.MAX(Variable.position)).scalar()
        row = Variable.create(
            name=cleaned,
            name_key=fold(cleaned),
            type=type_,
            position=0 if highest is None else highest + 1,
            archived=False,
        )
        history.record(actor, "variable", row.id, [("name", None, cleaned), ("type", None, type_)])
        _create_options(actor, row.id, options)
        return _variable_info(row)


def _create_options(
    actor: UserInfo | None, variable_id: int, options: Sequence[dict[str, Any]]
) -> None:
    """Add ``options`` to a dropdown; a refused one is named by its place in the list."""
    for index, option in enumerate(options):
        try:
            create_badge(actor, "option", variable_id=variable_id, **option)
        except ValidationError as error:
            raise ValidationError(
                _("option {number} {field}").format(number=index + 1, field=error.field),
                error.problem,
            ) from None


def _delete_options(actor: UserInfo | None, variable_id: int) -> None:
    """Remove every option of a variable, writing one history line each."""
    batch = history.new_batch()
    for option in Option.select().where(Option.variable == variable_id):
        history.record(actor, "option", option.id, [("name", option.name, None)], batch)
    Option.delete().where(Option.variable == variable_id).execute()


def variable_use_count(variable_id: int) -> int:
    """How many notes have a value for this variable."""
    return NoteValue.select().where(NoteValue.variable == variable_id).count()


def update_variable(
    actor: UserInfo | None,
    variable_id: int,
    *,
    name: str | None = None,
    type: str | None = None,
    options: Sequence[dict[str, Any]] = (),
) -> VariableInfo:
    """Rename a variable or change its type (only while no note has a value for it).

    A variable that becomes a dropdown needs its first ``options``; a dropdown that
    becomes another type loses its options. ``options`` are added to a dropdown.
    """
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = get_variable_row(variable_id)
        changes: list[tuple[str, object, object]] = []
        if name is not None:
            cleaned = _clean_variable_name(name, variable_id)
            changes.append(("name", row.name, cleaned))
            row.name, row.name_key = cleaned, fold(cleaned)
        if type is not None and type != row.type:
            type_ = _check_type(type)
            used = variable_use_count(variable_id)
            if used:
                raise ValidationError(
                    _("type"),
                    ngettext(
                        "{count} note has a value for {name!r}: its type cannot change",
                        "{count} notes have a value for {name!r}: its type cannot change",
                        used,
                    ).format(count=used, name=row.name),
                )
            if type_ == "dropdown" and not options:
                raise ValidationError(_("options"), _("a dropdown needs at least one option"))
            if row.type == "dropdown":
                _delete_options(actor, variable_id)
            changes.append(("type", row.type, type_))
            row.type = type_
        if options and row.type != "dropdown":
            raise ValidationError(_("options"), _("only dropdown variables have options"))
        row.save()
        history.record(actor, "variable", variable_id, changes)
        _create_options(actor, variable_id, options)
        return _variable_info(row)


def move_variable(actor: UserInfo | None, variable_id: int, offset: int) -> None:
    """Move a variable ``offset`` places up (negative) or down."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        ids = [
            row.id for row in Variable.select(Variable.id).order_by(Variable.position, Variable.id)
        ]
        if variable_id not in ids:
            raise NotFound(_("no variable #{id}").format(id=variable_id))
        index = ids.index(variable_id)
        target = max(0, min(len(ids) - 1, index + offset))
        if target == index:
            return
        ids.insert(target, ids.pop(index))
        write_order(Variable, ids)
        history.record(actor, "variable", variable_id, [("position", index + 1, target + 1)])


def reorder_variables(actor: UserInfo | None, ids: Sequence[int]) -> None:
    """Put these variables first, in this order, ahead of the others."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        current = [
            row.id for row in Variable.select(Variable.id).order_by(Variable.position, Variable.id)
        ]
        wanted = [item for item in dict.fromkeys(ids) if item in current]
        new_order = wanted + [item for item in current if item not in set(wanted)]
        if new_order != current:
            write_order(Variable, new_order)
            record_order(actor, "variable", current, new_order)


def set_variable_archived(actor: UserInfo | None, variable_id: int, archived: bool) -> VariableInfo:
    """Archive (hide from the list and the editor) or restore a variable."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = get_variable_row(variable_id)
        history.record(actor, "variable", variable_id, [("archived", bool(row.archived), archived)])
        row.archived = archived
        row.save()
        return _variable_info(row)


def delete_variable(actor: UserInfo | None, variable_id: int) -> None:
    """Delete a variable no note has a value for; else refuse and suggest archiving."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = get_variable_row(variable_id)
        used = variable_use_count(variable_id)
        if used:
            raise InUse(
                ngettext(
                    "{name!r} has a value on {count} note: archive it instead",
                    "{name!r} has values on {count} notes: archive it instead",
                    used,
                ).format(name=row.name, count=used)
            )
        history.record(actor, "variable", variable_id, [("name", row.name, None)])
        _delete_options(actor, variable_id)
        row.delete_instance()
