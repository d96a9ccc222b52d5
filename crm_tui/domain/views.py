"""Saved views of the notes list and per-user preferences.

A saved view is a user's named sort, conditions and search. Columns are stored by id
(``customer``, ``var:7``…) and condition values in a typed JSON form, so renaming a
variable or a status keeps the view working. Preferences are small JSON values stored
under a key per user (e.g. the hidden columns of the notes list).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from crm_tui.db.models import Preference, SavedView, database_proxy
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.text import check_name, clean_name, fold
from crm_tui.i18n import _
from crm_tui.note_query import Condition, NoteQuery, SortKey
from crm_tui.records import UserInfo

HIDDEN_COLUMNS = "notes.hidden_columns"
"""Preference key: the column ids hidden in the notes list."""

VIEW_NAME_MAX = 60


@dataclass(frozen=True, slots=True)
class SavedViewInfo:
    """A saved view: its name and the query it reopens."""

    id: int
    name: str
    query: NoteQuery


# --- JSON form of a query ------------------------------------------------------------


def _encode_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a view")


def _decode_value(value: object) -> object:
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(str(value["datetime"]))
        if "date" in value:
            return dt.date.fromisoformat(str(value["date"]))
        raise ValueError(f"unknown value {value!r}")
    return value


def query_to_json(query: NoteQuery) -> str:
    """The stored form of ``query``."""
    return json.dumps(
        {
            "sort": [{"column": key.column, "descending": key.descending} for key in query.sort],
            "conditions": [
                {"column": c.column, "op": c.op, "value": _encode_value(c.value)}
                for c in query.conditions
            ],
            "search": query.search,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def query_from_json(text: str) -> NoteQuery:
    """The query stored as ``text`` (see ``query_to_json``)."""
    data = json.loads(text or "{}")
    return NoteQuery(
        sort=tuple(
            SortKey(str(key["column"]), bool(key.get("descending", False)))
            for key in data.get("sort", ())
        ),
        conditions=tuple(
            Condition(str(c["column"]), str(c["op"]), _decode_value(c.get("value")))
            for c in data.get("conditions", ())
        ),
        search=str(data.get("search", "")),
    )


# --- saved views -------------------------------------------------------------------


def _clean_view_name(name: str) -> str:
    cleaned = check_name(name, _("name"))
    if not cleaned:
        raise ValidationError(_("name"), _("a view needs a name"))
    if len(cleaned) > VIEW_NAME_MAX:
        raise ValidationError(
            _("name"), _("a view name is at most {max} characters").format(max=VIEW_NAME_MAX)
        )
    return cleaned


def _info(row: SavedView) -> SavedViewInfo:
    return SavedViewInfo(id=row.id, name=row.name, query=query_from_json(row.definition))


def list_views(user: UserInfo) -> list[SavedViewInfo]:
    """The user's saved views, by name."""
    query = SavedView.select().where(SavedView.user == user.id).order_by(SavedView.name_key)
    return [_info(row) for row in query]


def view_exists(user: UserInfo, name: str) -> bool:
    """Whether the user has a view with this name (ignoring case and accents)."""
    key = fold(clean_name(name or ""))
    return (
        SavedView.select().where((SavedView.user == user.id) & (SavedView.name_key == key)).exists()
    )


def save_view(
    user: UserInfo, name: str, query: NoteQuery, *, replace: bool = False
) -> SavedViewInfo:
    """Save ``query`` as the user's view ``name``.

    A view with the same name is refused (``ValidationError``) unless ``replace``.
    """
    cleaned = _clean_view_name(name)
    key = fold(cleaned)
    definition = query_to_json(query)
    with database_proxy.atomic():
        row = SavedView.get_or_none((SavedView.user == user.id) & (SavedView.name_key == key))
        if row is not None and not replace:
            raise ValidationError(
                _("name"), _("you have a view named {name!r} already").format(name=row.name)
            )
        if row is None:
            row = SavedView.create(user=user.id, name=cleaned, name_key=key, definition=definition)
        else:
            row.name, row.definition = cleaned, definition
            row.save()
        return _info(row)


def get_view(user: UserInfo, name: str) -> SavedViewInfo:
    """The user's view called ``name``; ``NotFound`` if there is none."""
    key = fold(clean_name(name or ""))
    row = SavedView.get_or_none((SavedView.user == user.id) & (SavedView.name_key == key))
    if row is None:
        raise NotFound(_("you have no view named {name!r}").format(name=name))
    return _info(row)


def delete_view(user: UserInfo, name: str) -> None:
    """Delete the user's view called ``name``; ``NotFound`` if there is none."""
    key = fold(clean_name(name or ""))
    deleted = (
        SavedView.delete()
        .where((SavedView.user == user.id) & (SavedView.name_key == key))
        .execute()
    )
    if not deleted:
        raise NotFound(_("you have no view named {name!r}").format(name=name))


# --- preferences -------------------------------------------------------------------


def get_preference(user: UserInfo, key: str, default: Any = None) -> Any:
    """The user's stored value for ``key`` (decoded JSON), or ``default``."""
    text = (
        Preference.select(Preference.value)
        .where((Preference.user == user.id) & (Preference.key == key))
        .scalar()
    )
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def set_preference(user: UserInfo, key: str, value: Any) -> None:
    """Remember ``value`` (anything JSON can hold) as the user's ``key``."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    with database_proxy.atomic():
        updated = (
            Preference.update(value=text)
            .where((Preference.user == user.id) & (Preference.key == key))
            .execute()
        )
        if not updated:
            Preference.insert(user=user.id, key=key, value=text).execute()


def hidden_columns(user: UserInfo) -> frozenset[str]:
    """The column ids the user hid in the notes list."""
    stored = get_preference(user, HIDDEN_COLUMNS, [])
    if not isinstance(stored, list):
        return frozenset()
    return frozenset(str(column) for column in stored)


def set_hidden_columns(user: UserInfo, columns: frozenset[str] | set[str]) -> None:
    """Remember the column ids the user hid in the notes list."""
    set_preference(user, HIDDEN_COLUMNS, sorted(columns))
