"""A small CRM world for the query tests: settings whose order is not the id order, users
and customers with accented and case-varied names, and notes written through the notes
service; plus the same notes as plain dicts for ``query_reference``.

The tests at the bottom check the world itself (so the other tests mean something).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import Customer, User
from crm_tui.domain import notes, users
from crm_tui.domain import settings as settings_service
from crm_tui.domain.notes import PreparedNote, TypedValue
from crm_tui.domain.text import fold
from crm_tui.records import Settings, UserInfo, VariableInfo

try:
    from tests.unit import query_reference as ref
except ImportError:  # tests/unit is not a package: pytest puts it on sys.path
    import query_reference as ref  # type: ignore[no-redef]

TODAY = dt.date(2026, 3, 10)
COLOURS = {"font_color": "#000000", "background_color": "#FFFFFF"}
USER_NAMES = ("ana", "Émile", "bob", "Zoé", "eric")
VARIABLES = (
    ("Time zone", "dropdown"),
    ("Priority", "dropdown"),
    ("Deal value", "currency"),
    ("Score", "number"),
    ("Close", "date"),
    ("Segment", "text"),
)


@dataclass
class Env:
    """Settings and users of a test database, and the reference's view of them."""

    admin: UserInfo
    settings: Settings
    world: ref.World
    user_ids: dict[str, int]
    variables: dict[str, VariableInfo]
    user_names: dict[int, str] = field(default_factory=dict)

    def var(self, name: str) -> str:
        """The column id of a variable."""
        return f"var:{self.variables[name].id}"

    def status(self, name: str) -> int:
        """The id of a status."""
        return next(s.id for s in self.settings.statuses if s.name == name)

    def action(self, name: str) -> int:
        """The id of an action."""
        return next(a.id for a in self.settings.actions if a.name == name)

    def option(self, variable: str, name: str) -> int:
        """The id of an option of a dropdown."""
        return next(o.id for o in self.variables[variable].options if o.name == name)


def _badges(admin: UserInfo, kind: str, names: Iterable[str], variable_id=None) -> list[int]:
    return [
        settings_service.create_badge(
            admin, kind, name=name, abbreviation=name[:3].upper(), variable_id=variable_id,
            **COLOURS,
        ).id
        for name in names
    ]  # fmt: skip


def build_env() -> Env:
    """Create the settings and users (configured orders differ from creation order)."""
    admin = users.create_user(None, USER_NAMES[0])
    user_ids = {admin.name: admin.id}
    for name in USER_NAMES[1:]:
        user_ids[name] = users.create_user(admin, name).id
    statuses = _badges(admin, "status", ["Prospect", "Client", "Done", "On hold", "Lost"])
    settings_service.reorder_badges(admin, "status", [statuses[2], statuses[0], statuses[4]])
    settings_service.set_badge_archived(admin, "status", statuses[4], True)
    actions = _badges(admin, "action", ["Call", "Fax", "Ship", "E-mail"])
    settings_service.reorder_badges(admin, "action", [actions[2], actions[0], actions[3]])
    options = {
        "Time zone": ["PST", "EST", "CST", "MST"],
        "Priority": ["Low", "High"],
    }
    for name, kind in VARIABLES:
        choices = [
            {"name": option, "abbreviation": option[:1], **COLOURS}
            for option in options.get(name, [])
        ]
        settings_service.create_variable(admin, name=name, type=kind, options=choices)
    loaded = settings_service.load_settings()
    zone = next(v for v in loaded.variables if v.name == "Time zone")
    pst, est, cst, mst = (o.id for o in zone.options)
    settings_service.reorder_badges(admin, "option", [cst, pst, est], variable_id=zone.id)
    settings_service.set_badge_archived(admin, "option", mst, True)
    loaded = settings_service.load_settings()
    world = ref.World(
        statuses=[s.id for s in loaded.statuses],
        actions=[a.id for a in loaded.actions],
        options={v.id: [o.id for o in v.options] for v in loaded.variables},
        types={v.id: v.type for v in loaded.variables},
    )
    return Env(
        admin=admin,
        settings=loaded,
        world=world,
        user_ids=user_ids,
        variables={v.name: v for v in loaded.variables},
        user_names={uid: name for name, uid in user_ids.items()},
    )


def clear_notes(database: peewee.Database) -> None:
    """Delete every note, value, customer and search entry (between examples)."""
    database.execute_sql("DELETE FROM note_value")
    if is_sqlite(database):
        database.execute_sql("INSERT INTO note_fts (note_fts) VALUES ('delete-all')")
    else:
        database.execute_sql("DELETE FROM note_search")
    database.execute_sql("DELETE FROM note")
    database.execute_sql("DELETE FROM customer_value")  # each customer's kept state
    database.execute_sql("DELETE FROM customer_state")
    database.execute_sql("DELETE FROM customer")


def _typed(env: Env, variable_id: int, value: object) -> TypedValue:
    kind = env.world.types[variable_id]
    match kind:
        case "dropdown":
            return TypedValue(variable_id, option_id=value)  # type: ignore[arg-type]
        case "currency":
            return TypedValue(variable_id, cents=value)  # type: ignore[arg-type]
        case "number":
            return TypedValue(variable_id, number=value)  # type: ignore[arg-type]
        case "date":
            return TypedValue(variable_id, date=value)  # type: ignore[arg-type]
        case _:
            return TypedValue(variable_id, text=value, key=fold(value))  # type: ignore[arg-type]


def insert_notes(env: Env, database: peewee.Database, specs: list[dict]) -> list[dict]:
    """Save notes given as dicts (see ``query_reference``; ``customer`` as typed) and
    return them as the reference sees them (with ids and stored customer names)."""
    prepared = [
        (
            PreparedNote(
                customer=spec["customer"],
                action_id=spec.get("action_id"),
                status_id=spec.get("status_id"),
                assignee_id=spec.get("assignee_id"),
                follow_up=spec.get("follow_up"),
                body=spec.get("body", ""),
                values={
                    vid: _typed(env, vid, value)
                    for vid, value in spec.get("values", {}).items()
                    if value is not None
                },
            ),
            spec["created_at"],
        )
        for spec in specs
    ]
    with database.atomic():
        ids = notes.insert_prepared(prepared, env.admin.id)
    stored = {row.name_key: (row.id, row.name) for row in Customer.select()}
    names = {row.id: row.name for row in User.select()}
    listed = []
    for note_id, spec in zip(ids, specs, strict=True):
        customer_id, customer = stored[fold(" ".join(spec["customer"].split()))]
        assignee_id = spec.get("assignee_id")
        listed.append(
            {
                "id": note_id,
                "customer": customer,
                "customer_id": customer_id,
                "action_id": spec.get("action_id"),
                "status_id": spec.get("status_id"),
                "assignee_id": assignee_id,
                "assignee": names[assignee_id] if assignee_id else None,
                "follow_up": spec.get("follow_up"),
                "created_at": spec["created_at"],
                "body": spec.get("body", ""),
                "values": {k: v for k, v in spec.get("values", {}).items() if v is not None},
            }
        )
    return listed


# --- the world itself --------------------------------------------------------------


def test_configured_orders_differ_from_creation_order(database):
    env = build_env()
    status_names = [s.name for s in env.settings.statuses]
    assert status_names == ["Done", "Prospect", "Lost", "Client", "On hold"]
    assert [s.id for s in env.settings.statuses] != sorted(s.id for s in env.settings.statuses)
    zone = [o.name for o in env.variables["Time zone"].options]
    assert zone == ["CST", "PST", "EST", "MST"]
    assert env.variables["Time zone"].options[-1].archived


def test_inserted_notes_keep_time_order_and_stored_customer_names(database):
    env = build_env()
    at = dt.datetime(2026, 1, 1, 9)
    listed = insert_notes(
        env,
        database,
        [
            {"customer": "Acme", "created_at": at},
            {"customer": "ACME", "created_at": at},
            {"customer": "Émile", "created_at": at - dt.timedelta(seconds=1)},
        ],
    )
    assert [n["customer"] for n in listed] == ["Acme", "Acme", "Émile"]
    assert listed[0]["id"] < listed[1]["id"]
    assert listed[2]["id"] < listed[0]["id"]
