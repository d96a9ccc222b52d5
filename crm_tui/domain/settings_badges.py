"""Settings: statuses, actions and dropdown options (badges), and reading every setting.

Every change is for admins only, runs in one transaction and is written to the history.
Variables are in ``settings_variables``; ``settings`` brings the three tabs together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from crm_tui.db import locks
from crm_tui.db.models import (
    Action,
    BadgeItem,
    Note,
    NoteValue,
    Option,
    Status,
    Variable,
    database_proxy,
)
from crm_tui.domain import history
from crm_tui.domain.app_settings import business_hours_setting
from crm_tui.domain.cockpit.hours import check_zone
from crm_tui.domain.cockpit.zone_sync import zones_follow_settings
from crm_tui.domain.colors import normalize_color
from crm_tui.domain.errors import InUse, NotFound, ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.text import ABBREVIATION_MAX, check_line, check_name, fold
from crm_tui.i18n import _, ngettext
from crm_tui.note_query import COLUMN_ALIASES
from crm_tui.records import Badge, Settings, UserInfo, VariableInfo

BADGE_MODELS: dict[str, type[BadgeItem]] = {
    "status": Status,
    "action": Action,
    "option": Option,
}
# Names a variable cannot take: they are the built-in columns of the notes list.
RESERVED_COLUMN_KEYS = {
    *COLUMN_ALIASES,
    "body",
    "text",
    "author",
    "updatedat",
    "updated",
    "overdue",
}
BADGE_FIELDS = (
    "name",
    "abbreviation",
    "font_color",
    "background_color",
    "in_sequence",
    "done",
    "follow_up_days",
    "time_zone",
)
"""The fields of a status, action or option that ``create_badge``/``update_badge`` take."""
KIND_ONLY_FIELDS = {"done": "status", "follow_up_days": "action", "time_zone": "option"}
"""Fields only one kind has (the cockpit's): a status is done, an action has a default
follow-up delay, an option a time zone. Given blank for another kind, they are ignored."""
FOLLOW_UP_DAYS_MAX = 3650
"""The longest default follow-up delay, in days (ten years)."""


def badge_fields(item: object) -> dict[str, Any]:
    """``item``'s ``BADGE_FIELDS`` (a form's draft, a file's entry) as keyword arguments of
    ``create_badge``/``update_badge``."""
    return {name: getattr(item, name) for name in BADGE_FIELDS}


def column_key(name: str) -> str:
    """A column name folded and stripped of spaces, ``_`` and ``-`` (for matching)."""
    return "".join(ch for ch in fold(name) if ch not in " _-")


def kind_label(kind: str) -> str:
    """The user's word for a kind of setting."""
    return {
        "status": _("status"),
        "action": _("action"),
        "option": _("option"),
        "variable": _("variable"),
    }[kind]


# --- reading -----------------------------------------------------------------------


def badge_of_row(row: Any, kind: str) -> Badge:
    """The ``Badge`` record of a status, action or option row."""
    return Badge(
        id=row.id,
        kind=kind,
        name=row.name,
        abbreviation=row.abbreviation,
        font_color=row.font_color,
        background_color=row.background_color,
        in_sequence=bool(row.in_sequence),
        position=row.position,
        archived=bool(row.archived),
        variable_id=row.variable_id if kind == "option" else None,
        time_zone=(row.time_zone or None) if kind == "option" else None,
        done=bool(row.done) if kind == "status" else False,
        follow_up_days=row.follow_up_days if kind == "action" else None,
    )


def load_settings() -> Settings:
    """A snapshot of all statuses, actions and variables, each in configured order, and
    the business hours."""
    statuses = tuple(
        badge_of_row(row, "status") for row in Status.select().order_by(Status.position, Status.id)
    )
    actions = tuple(
        badge_of_row(row, "action") for row in Action.select().order_by(Action.position, Action.id)
    )
    options: dict[int, list[Badge]] = {}
    for row in Option.select().order_by(Option.variable, Option.position, Option.id):
        options.setdefault(row.variable_id, []).append(badge_of_row(row, "option"))
    variables = tuple(
        VariableInfo(
            id=row.id,
            name=row.name,
            type=row.type,
            position=row.position,
            archived=bool(row.archived),
            options=tuple(options.get(row.id, ())),
        )
        for row in Variable.select().order_by(Variable.position, Variable.id)
    )
    return Settings(
        statuses=statuses,
        actions=actions,
        variables=variables,
        business_hours=business_hours_setting(),
    )


# --- validation --------------------------------------------------------------------


def field_label(field: str) -> str:
    """The user's word for a field of a status, action or option (as refusals name it)."""
    return {
        "name": _("name"),
        "abbreviation": _("abbreviation"),
        "font_color": _("font colour"),
        "background_color": _("background colour"),
        "in_sequence": _("in sequence"),
        "done": _("done"),
        "follow_up_days": _("default follow-up"),
        "time_zone": _("time zone"),
    }.get(field, field)


def check_follow_up_days(value: Any, field: str) -> int | None:
    """A default follow-up delay: a whole number of days from 0 to ``FOLLOW_UP_DAYS_MAX``
    (typed text too: ``" 3 "``); blank is none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 0 <= number <= FOLLOW_UP_DAYS_MAX:
        raise ValidationError(
            field,
            _("{value!r} is not a number of days (a whole number from 0 to {max})").format(
                value=value, max=FOLLOW_UP_DAYS_MAX
            ),
        )
    return number


def _kind_only_problem(field: str) -> str:
    if field == "done":
        return _("only a status can be done")
    if field == "follow_up_days":
        return _("only an action has a default follow-up")
    return _("only a dropdown option has a time zone")


def _clean_kind_fields(fields: dict[str, Any], partial: bool, kind: str) -> dict[str, Any]:
    """The cockpit's fields of ``kind`` checked; another kind's, when not blank, refused."""
    cleaned: dict[str, Any] = {}
    for field, owner in KIND_ONLY_FIELDS.items():
        value = fields.get(field)
        if owner != kind:
            if value not in (None, False, ""):
                raise ValidationError(field_label(field), _kind_only_problem(field))
            continue
        if field not in fields and partial:
            continue
        if field == "done":
            done = fields.get(field, False)
            if not isinstance(done, bool):
                raise ValidationError(_("done"), _("must be yes or no"))
            cleaned[field] = done
        elif field == "follow_up_days":
            cleaned[field] = check_follow_up_days(value, _("default follow-up"))
        else:
            blank = value is None or (isinstance(value, str) and not value.strip())
            cleaned[field] = None if blank else check_zone(str(value), _("time zone"))
    return cleaned


def _clean_badge_fields(fields: dict[str, Any], partial: bool, kind: str) -> dict[str, Any]:
    unknown = set(fields) - set(BADGE_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], _("unknown field"))
    cleaned: dict[str, Any] = {}
    if "name" in fields or not partial:
        name = check_name(str(fields.get("name") or ""), _("name"))
        if not name:
            raise ValidationError(_("name"), _("a name is required"))
        cleaned["name"] = name
    if "abbreviation" in fields or not partial:
        abbreviation = check_line(
            str(fields.get("abbreviation") or ""), _("abbreviation"), ABBREVIATION_MAX
        )
        if not abbreviation:
            raise ValidationError(_("abbreviation"), _("an abbreviation is required"))
        cleaned["abbreviation"] = abbreviation
    for field, label in (
        ("font_color", _("font colour")),
        ("background_color", _("background colour")),
    ):
        if field in fields or not partial:
            cleaned[field] = normalize_color(str(fields.get(field) or ""), label)
    if "in_sequence" in fields or not partial:
        in_sequence = fields.get("in_sequence", False)
        if not isinstance(in_sequence, bool):
            raise ValidationError(_("in sequence"), _("must be yes or no"))
        cleaned["in_sequence"] = in_sequence
    cleaned.update(_clean_kind_fields(fields, partial, kind))
    return cleaned


def _badge_scope(kind: str, variable_id: int | None) -> peewee.Expression | bool:
    return (Option.variable == variable_id) if kind == "option" else True


def lock_settings_writes() -> None:
    """Wait until no other transaction adds or renames settings, and hold that until commit.

    Two writers would otherwise both find a name free and the second would fail on the
    unique key instead of seeing the first's item (an import then updates it).
    """
    locks.lock_settings_writes(database_proxy.obj)


def _check_unique_name(kind: str, name: str, variable_id: int | None, exclude_id: int | None):
    lock_settings_writes()
    model = BADGE_MODELS[kind]
    query = model.select().where((model.name_key == fold(name)) & _badge_scope(kind, variable_id))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if query.exists():
        raise ValidationError(
            _("name"),
            _("a {kind} named {name!r} exists already").format(kind=kind_label(kind), name=name),
        )


def _next_position(kind: str, variable_id: int | None) -> int:
    model = BADGE_MODELS[kind]
    highest = (
        model.select(peewee.fn.MAX(model.position)).where(_badge_scope(kind, variable_id)).scalar()
    )
    return 0 if highest is None else highest + 1


def _get_badge(kind: str, badge_id: int):
    model = BADGE_MODELS[kind]
    row = model.get_or_none(model.id == badge_id)
    if row is None:
        raise NotFound(_("no {kind} #{id}").format(kind=kind_label(kind), id=badge_id))
    return row


def get_variable_row(variable_id: int | None) -> Variable:
    """The variable's row; ``NotFound`` when it does not exist."""
    if variable_id is None:
        raise NotFound(_("no variable given"))
    row = Variable.get_or_none(Variable.id == variable_id)
    if row is None:
        raise NotFound(_("no variable #{id}").format(id=variable_id))
    return row


# --- statuses, actions, options ----------------------------------------------------


def create_badge(
    actor: UserInfo | None, kind: str, *, variable_id: int | None = None, **fields: Any
) -> Badge:
    """Create a status, an action, or an option of the dropdown ``variable_id``."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        cleaned = _clean_badge_fields(fields, partial=False, kind=kind)
        if kind == "option":
            variable = get_variable_row(variable_id)
            if variable.type != "dropdown":
                raise ValidationError(_("variable"), _("only dropdown variables have options"))
        _check_unique_name(kind, cleaned["name"], variable_id, None)
        model = BADGE_MODELS[kind]
        extra = {"variable": variable_id} if kind == "option" else {}
        row = model.create(
            name_key=fold(cleaned["name"]),
            position=_next_position(kind, variable_id),
            archived=False,
            **cleaned,
            **extra,
        )
        recorded = [
            (key, None, value)
            for key, value in cleaned.items()
            if key not in KIND_ONLY_FIELDS or value not in (None, False)  # blank: not said
        ]
        history.record(actor, kind, row.id, recorded)
        return badge_of_row(row, kind)


def update_badge(actor: UserInfo | None, kind: str, badge_id: int, **fields: Any) -> Badge:
    """Change some fields of a status, action or option."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        cleaned = _clean_badge_fields(fields, partial=True, kind=kind)
        variable_id = row.variable_id if kind == "option" else None
        if "name" in cleaned:
            _check_unique_name(kind, cleaned["name"], variable_id, badge_id)
            row.name_key = fold(cleaned["name"])
        changes = [(key, getattr(row, key), value) for key, value in cleaned.items()]
        for key, value in cleaned.items():
            setattr(row, key, value)
        row.save()
        history.record(actor, kind, badge_id, changes)
        return badge_of_row(row, kind)


def ordered_ids(kind: str, variable_id: int | None) -> list[int]:
    """The ids of the badges of ``kind`` (of one variable, for options), in list order."""
    model = BADGE_MODELS[kind]
    query = model.select(model.id).where(_badge_scope(kind, variable_id))
    return [row.id for row in query.order_by(model.position, model.id)]


def write_order(model: type[BadgeItem] | type[Variable], ids: Sequence[int]) -> None:
    """Store ``ids`` as the list order of ``model``'s rows (position 0, 1, …)."""
    for position, item_id in enumerate(ids):
        model.update(position=position).where(model.id == item_id).execute()


def record_order(
    actor: UserInfo | None, entity: str, old_ids: Sequence[int], new_ids: Sequence[int]
) -> None:
    """One history line per item whose place (counted from 1) changed, in one batch."""
    batch = history.new_batch()
    old_places = {item_id: place for place, item_id in enumerate(old_ids, start=1)}
    for place, item_id in enumerate(new_ids, start=1):
        history.record(actor, entity, item_id, [("position", old_places[item_id], place)], batch)


def move_badge(actor: UserInfo | None, kind: str, badge_id: int, offset: int) -> None:
    """Move an item ``offset`` places up (negative) or down in its list."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        ids = ordered_ids(kind, row.variable_id if kind == "option" else None)
        index = ids.index(badge_id)
        target = max(0, min(len(ids) - 1, index + offset))
        if target == index:
            return
        ids.insert(target, ids.pop(index))
        write_order(BADGE_MODELS[kind], ids)
        history.record(actor, kind, badge_id, [("position", index + 1, target + 1)])


def reorder_badges(
    actor: UserInfo | None, kind: str, ids: Sequence[int], variable_id: int | None = None
) -> None:
    """Put these items first, in this order, ahead of the others (kept in their order)."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        if kind == "option":
            get_variable_row(variable_id)
        current = ordered_ids(kind, variable_id)
        wanted = [item for item in dict.fromkeys(ids) if item in current]
        rest = [item for item in current if item not in set(wanted)]
        new_order = wanted + rest
        if new_order != current:
            write_order(BADGE_MODELS[kind], new_order)
            record_order(actor, kind, current, new_order)


def set_badge_archived(actor: UserInfo | None, kind: str, badge_id: int, archived: bool) -> Badge:
    """Archive (hide from pickers, keep on notes) or restore an item."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        history.record(actor, kind, badge_id, [("archived", bool(row.archived), archived)])
        row.archived = archived
        row.save()
        return badge_of_row(row, kind)


def badge_use_count(kind: str, badge_id: int) -> int:
    """How many notes use this status, action or option."""
    if kind == "status":
        return Note.select().where(Note.status == badge_id).count()
    if kind == "action":
        return Note.select().where(Note.action == badge_id).count()
    return NoteValue.select().where(NoteValue.option == badge_id).count()


def delete_badge(actor: UserInfo | None, kind: str, badge_id: int) -> None:
    """Delete an unused item; a used one is refused with a hint to archive it."""
    with database_proxy.atomic(), zones_follow_settings():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        used = badge_use_count(kind, badge_id)
        if used:
            raise InUse(
                ngettext(
                    "{name!r} is used by {count} note: archive it instead",
                    "{name!r} is used by {count} notes: archive it instead",
                    used,
                ).format(name=row.name, count=used)
            )
        if kind == "option":
            remaining = Option.select().where(
                (Option.variable == row.variable_id) & (Option.id != badge_id)
            )
            if not remaining.exists():
                raise ValidationError(_("options"), _("a dropdown needs at least one option"))
        history.record(actor, kind, badge_id, [("name", row.name, None)])
        row.delete_instance()
