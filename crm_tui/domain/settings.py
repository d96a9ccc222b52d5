"""The three Settings tabs: statuses, actions and variables (with dropdown options).

Every change is for admins only, runs in one transaction and is written to the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from crm_tui.db.models import Action, Note, NoteValue, Option, Status, Variable, database_proxy
from crm_tui.domain import history
from crm_tui.domain.colors import normalize_color
from crm_tui.domain.errors import InUse, NotFound, ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.records import Badge, Settings, UserInfo, VariableInfo
from crm_tui.domain.text import clean_name, fold
from crm_tui.domain.values import VARIABLE_TYPES
from crm_tui.i18n import _, ngettext

ABBREVIATION_MAX = 10
BADGE_MODELS: dict[str, type[peewee.Model]] = {
    "status": Status,
    "action": Action,
    "option": Option,
}
# Names a variable cannot take: they are the built-in columns of the notes list.
RESERVED_COLUMN_KEYS = {
    "customer",
    "action",
    "status",
    "assignee",
    "followup",
    "createdat",
    "created",
    "body",
    "text",
    "author",
    "updatedat",
    "updated",
    "overdue",
}
_BADGE_FIELDS = ("name", "abbreviation", "font_color", "background_color", "in_sequence")


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


def _badge(row: Any, kind: str) -> Badge:
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
    )


def load_settings() -> Settings:
    """A snapshot of all statuses, actions and variables, each in configured order."""
    statuses = tuple(
        _badge(row, "status") for row in Status.select().order_by(Status.position, Status.id)
    )
    actions = tuple(
        _badge(row, "action") for row in Action.select().order_by(Action.position, Action.id)
    )
    options: dict[int, list[Badge]] = {}
    for row in Option.select().order_by(Option.variable, Option.position, Option.id):
        options.setdefault(row.variable_id, []).append(_badge(row, "option"))
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
    return Settings(statuses=statuses, actions=actions, variables=variables)


# --- validation --------------------------------------------------------------------


def _clean_badge_fields(fields: dict[str, Any], partial: bool) -> dict[str, Any]:
    unknown = set(fields) - set(_BADGE_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], _("unknown field"))
    cleaned: dict[str, Any] = {}
    if "name" in fields or not partial:
        name = clean_name(str(fields.get("name") or ""))
        if not name:
            raise ValidationError(_("name"), _("a name is required"))
        cleaned["name"] = name
    if "abbreviation" in fields or not partial:
        abbreviation = str(fields.get("abbreviation") or "").strip()
        if not abbreviation:
            raise ValidationError(_("abbreviation"), _("an abbreviation is required"))
        if len(abbreviation) > ABBREVIATION_MAX:
            raise ValidationError(
                _("abbreviation"),
                _("{value!r} is longer than {max} characters").format(
                    value=abbreviation, max=ABBREVIATION_MAX
                ),
            )
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
    return cleaned


def _badge_scope(kind: str, variable_id: int | None) -> peewee.Expression | bool:
    model = BADGE_MODELS[kind]
    return (model.variable == variable_id) if kind == "option" else True


def _check_unique_name(kind: str, name: str, variable_id: int | None, exclude_id: int | None):
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


# --- statuses, actions, options ----------------------------------------------------


def create_badge(
    actor: UserInfo | None, kind: str, *, variable_id: int | None = None, **fields: Any
) -> Badge:
    """Create a status, an action, or an option of the dropdown ``variable_id``."""
    with database_proxy.atomic():
        require_admin(actor)
        cleaned = _clean_badge_fields(fields, partial=False)
        if kind == "option":
            variable = _get_variable(variable_id)
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
        history.record(actor, kind, row.id, [(k, None, v) for k, v in cleaned.items()])
        return _badge(row, kind)


def update_badge(actor: UserInfo | None, kind: str, badge_id: int, **fields: Any) -> Badge:
    """Change some fields of a status, action or option."""
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        cleaned = _clean_badge_fields(fields, partial=True)
        variable_id = row.variable_id if kind == "option" else None
        if "name" in cleaned:
            _check_unique_name(kind, cleaned["name"], variable_id, badge_id)
            row.name_key = fold(cleaned["name"])
        changes = [(key, getattr(row, key), value) for key, value in cleaned.items()]
        for key, value in cleaned.items():
            setattr(row, key, value)
        row.save()
        history.record(actor, kind, badge_id, changes)
        return _badge(row, kind)


def _ordered_ids(kind: str, variable_id: int | None) -> list[int]:
    model = BADGE_MODELS[kind]
    query = model.select(model.id).where(_badge_scope(kind, variable_id))
    return [row.id for row in query.order_by(model.position, model.id)]


def _write_order(model, ids: Sequence[int]) -> None:
    for position, item_id in enumerate(ids):
        model.update(position=position).where(model.id == item_id).execute()


def _record_order(
    actor: UserInfo | None, entity: str, old_ids: Sequence[int], new_ids: Sequence[int]
) -> None:
    """One history line per item whose place (counted from 1) changed, in one batch."""
    batch = history.new_batch()
    old_places = {item_id: place for place, item_id in enumerate(old_ids, start=1)}
    for place, item_id in enumerate(new_ids, start=1):
        history.record(actor, entity, item_id, [("position", old_places[item_id], place)], batch)


def move_badge(actor: UserInfo | None, kind: str, badge_id: int, offset: int) -> None:
    """Move an item ``offset`` places up (negative) or down in its list."""
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        ids = _ordered_ids(kind, row.variable_id if kind == "option" else None)
        index = ids.index(badge_id)
        target = max(0, min(len(ids) - 1, index + offset))
        if target == index:
            return
        ids.insert(target, ids.pop(index))
        _write_order(BADGE_MODELS[kind], ids)
        history.record(actor, kind, badge_id, [("position", index + 1, target + 1)])


def reorder_badges(
    actor: UserInfo | None, kind: str, ids: Sequence[int], variable_id: int | None = None
) -> None:
    """Put these items first, in this order, ahead of the others (kept in their order)."""
    with database_proxy.atomic():
        require_admin(actor)
        if kind == "option":
            _get_variable(variable_id)
        current = _ordered_ids(kind, variable_id)
        wanted = [item for item in dict.fromkeys(ids) if item in current]
        rest = [item for item in current if item not in set(wanted)]
        new_order = wanted + rest
        if new_order != current:
            _write_order(BADGE_MODELS[kind], new_order)
            _record_order(actor, kind, current, new_order)


def set_badge_archived(actor: UserInfo | None, kind: str, badge_id: int, archived: bool) -> Badge:
    """Archive (hide from pickers, keep on notes) or restore an item."""
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_badge(kind, badge_id)
        history.record(actor, kind, badge_id, [("archived", bool(row.archived), archived)])
        row.archived = archived
        row.save()
        return _badge(row, kind)


def badge_use_count(kind: str, badge_id: int) -> int:
    """How many notes use this status, action or option."""
    if kind == "status":
        return Note.select().where(Note.status == badge_id).count()
    if kind == "action":
        return Note.select().where(Note.action == badge_id).count()
    return NoteValue.select().where(NoteValue.option == badge_id).count()


def delete_badge(actor: UserInfo | None, kind: str, badge_id: int) -> None:
    """Delete an unused item; a used one is refused with a hint to archive it."""
    with database_proxy.atomic():
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


# --- variables ---------------------------------------------------------------------


def _get_variable(variable_id: int | None) -> Variable:
    if variable_id is None:
        raise NotFound(_("no variable given"))
    row = Variable.get_or_none(Variable.id == variable_id)
    if row is None:
        raise NotFound(_("no variable #{id}").format(id=variable_id))
    return row


def _clean_variable_name(name: str, exclude_id: int | None) -> str:
    cleaned = clean_name(name or "")
    if not cleaned:
        raise ValidationError(_("name"), _("a name is required"))
    if column_key(cleaned) in RESERVED_COLUMN_KEYS:
        raise ValidationError(
            _("name"), _("{name!r} is a built-in column of notes").format(name=cleaned)
        )
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
        _badge(option, "option")
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
    with database_proxy.atomic():
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
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_variable(variable_id)
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
    with database_proxy.atomic():
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
        _write_order(Variable, ids)
        history.record(actor, "variable", variable_id, [("position", index + 1, target + 1)])


def reorder_variables(actor: UserInfo | None, ids: Sequence[int]) -> None:
    """Put these variables first, in this order, ahead of the others."""
    with database_proxy.atomic():
        require_admin(actor)
        current = [
            row.id for row in Variable.select(Variable.id).order_by(Variable.position, Variable.id)
        ]
        wanted = [item for item in dict.fromkeys(ids) if item in current]
        new_order = wanted + [item for item in current if item not in set(wanted)]
        if new_order != current:
            _write_order(Variable, new_order)
            _record_order(actor, "variable", current, new_order)


def set_variable_archived(actor: UserInfo | None, variable_id: int, archived: bool) -> VariableInfo:
    """Archive (hide from the list and the editor) or restore a variable."""
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_variable(variable_id)
        history.record(actor, "variable", variable_id, [("archived", bool(row.archived), archived)])
        row.archived = archived
        row.save()
        return _variable_info(row)


def delete_variable(actor: UserInfo | None, variable_id: int) -> None:
    """Delete a variable no note has a value for; else refuse and suggest archiving."""
    with database_proxy.atomic():
        require_admin(actor)
        row = _get_variable(variable_id)
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


# --- first run ---------------------------------------------------------------------

STARTER_STATUSES = (
    ("Prospect", "PRO", "#FFFFFF", "#1E88E5", True),
    ("Active", "ACT", "#FFFFFF", "#2E7D32", True),
    ("Client", "CLT", "#FFFFFF", "#388E3C", True),
    ("Awaiting approval", "AWA", "#000000", "#FFC107", True),
    ("On hold", "HOLD", "#000000", "#BDBDBD", False),
    ("No answer", "NA", "#FFFFFF", "#C62828", False),
    ("Inactive", "INA", "#FFFFFF", "#616161", False),
    ("Done", "DONE", "#000000", "#E0E0E0", False),
)
STARTER_ACTIONS = (
    ("Call", "CALL", "#000000", "#FFEB3B"),
    ("E-mail", "MAIL", "#FFFFFF", "#5E35B1"),
    ("Fax", "FAX", "#FFFFFF", "#546E7A"),
    ("Send sample", "SMPL", "#000000", "#FFCC80"),
    ("Ship", "SHIP", "#FFFFFF", "#00695C"),
    ("Order follow-up", "FLW", "#FFFFFF", "#AD1457"),
)


def ensure_starter_settings() -> bool:
    """On a brand-new database (no status, action or variable yet), add the starter set.

    Returns whether anything was added. Not recorded as a user's change.
    """
    with database_proxy.atomic():
        if Status.select().exists() or Action.select().exists() or Variable.select().exists():
            return False
        for position, (name, abbreviation, font, background, in_sequence) in enumerate(
            STARTER_STATUSES
        ):
            Status.create(
                name=_(name),
                name_key=fold(_(name)),
                abbreviation=abbreviation,
                font_color=font,
                background_color=background,
                in_sequence=in_sequence,
                position=position,
                archived=False,
            )
        for position, (name, abbreviation, font, background) in enumerate(STARTER_ACTIONS):
            Action.create(
                name=_(name),
                name_key=fold(_(name)),
                abbreviation=abbreviation,
                font_color=font,
                background_color=background,
                in_sequence=False,
                position=position,
                archived=False,
            )
        return True
