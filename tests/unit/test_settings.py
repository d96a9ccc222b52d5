"""Settings: statuses, actions, variables and dropdown options, as an admin edits them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee
import pytest
from test_db_snapshot import dump_tables, refused

from crm_tui.db.models import Action, Change, Option, Status, Variable
from crm_tui.domain import history, settings, users
from crm_tui.domain.colors import normalize_color
from crm_tui.domain.errors import InUse, NotFound, PermissionDenied, ValidationError
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.records import UserInfo

# --- helpers ----------------------------------------------------------------------


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, hence an admin."""
    return users.create_user(None, "Ana")


@pytest.fixture
def rep(admin: UserInfo) -> UserInfo:
    """A sales rep."""
    return users.create_user(admin, "Rob", role="rep")


def badge_fields(name: str, abbreviation: str | None = None, **extra: Any) -> dict[str, Any]:
    """Valid fields of a status, action or option."""
    fields: dict[str, Any] = {
        "name": name,
        "abbreviation": abbreviation or name[:3].upper(),
        "font_color": "#000000",
        "background_color": "#FFFFFF",
    }
    fields.update(extra)
    return fields


def lines(entity: str, entity_id: int) -> list[tuple[str, str, str | None, str | None]]:
    """The history of one record, oldest first, as (user, field, old, new)."""
    return [
        (c.user, c.field, c.old, c.new) for c in reversed(history.history_of(entity, entity_id))
    ]


def names(kind: str, variable_id: int | None = None) -> list[str]:
    """The names of a list of settings, in configured order."""
    loaded = settings.load_settings()
    if kind == "status":
        return [b.name for b in loaded.statuses]
    if kind == "action":
        return [b.name for b in loaded.actions]
    if kind == "variable":
        return [v.name for v in loaded.variables]
    variable = loaded.variable(variable_id)
    assert variable is not None
    return [o.name for o in variable.options]


@dataclass
class Setup:
    """Ids of a small set of settings (none used by a note)."""

    statuses: list[int]
    actions: list[int]
    zone: int
    zone_options: list[int]
    budget: int
    region: int


@pytest.fixture
def setup(admin: UserInfo) -> Setup:
    """Three statuses, two actions, a dropdown ``Time zone`` and a currency ``Budget``."""
    statuses = [
        settings.create_badge(admin, "status", **badge_fields(name)).id
        for name in ("Prospect", "Client", "Done")
    ]
    actions = [
        settings.create_badge(admin, "action", **badge_fields(name)).id for name in ("Call", "Fax")
    ]
    zone = settings.create_variable(
        admin,
        name="Time zone",
        type="dropdown",
        options=[badge_fields(n, n[0]) for n in ("EST", "CST", "PST")],
    )
    budget = settings.create_variable(admin, name="Budget", type="currency")
    region = settings.create_variable(
        admin, name="Region", type="dropdown", options=[badge_fields("North", "N")]
    )
    return Setup(
        statuses=statuses,
        actions=actions,
        zone=zone.id,
        zone_options=[o.id for o in zone.options],
        budget=budget.id,
        region=region.id,
    )


# --- create ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["status", "action"])
def test_create_trims_names_and_normalises_colours(admin: UserInfo, kind: str) -> None:
    badge = settings.create_badge(
        admin,
        kind,
        name="  Hot \t lead  ",
        abbreviation="  HOT ",
        font_color="#abc",
        background_color=" #1e88e5 ",
        in_sequence=True,
    )
    assert (badge.name, badge.abbreviation) == ("Hot lead", "HOT")
    assert (badge.font_color, badge.background_color) == ("#AABBCC", "#1E88E5")
    model = settings.BADGE_MODELS[kind]
    row = model.get_by_id(badge.id)
    assert (row.name, row.name_key, row.abbreviation) == ("Hot lead", "hot lead", "HOT")
    assert (row.font_color, row.background_color, row.in_sequence) == ("#AABBCC", "#1E88E5", True)
    assert lines(kind, badge.id) == [
        ("Ana", "name", None, "Hot lead"),
        ("Ana", "abbreviation", None, "HOT"),
        ("Ana", "font_color", None, "#AABBCC"),
        ("Ana", "background_color", None, "#1E88E5"),
        ("Ana", "in_sequence", None, "yes"),
    ]


def test_new_items_go_to_the_end_of_their_list(admin: UserInfo) -> None:
    for name in ("Prospect", "Client", "Done"):
        settings.create_badge(admin, "status", **badge_fields(name))
    assert names("status") == ["Prospect", "Client", "Done"]
    assert [b.position for b in settings.load_settings().statuses] == [0, 1, 2]


@pytest.mark.parametrize("kind", ["status", "action"])
@pytest.mark.parametrize("clash", ["prospect", "  PROSPECT ", "Prospéct", "PROSPÉCT"])
def test_names_are_unique_ignoring_case_and_accents(
    database: peewee.Database, admin: UserInfo, kind: str, clash: str
) -> None:
    settings.create_badge(admin, kind, **badge_fields("Prospect"))
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(admin, kind, **badge_fields(clash)),
    )
    assert error.field == "name"
    assert error.problem == f"a {kind} named {clash.strip()!r} exists already"


def test_names_are_unique_per_kind(admin: UserInfo) -> None:
    settings.create_badge(admin, "status", **badge_fields("Call"))
    action = settings.create_badge(admin, "action", **badge_fields("Call"))
    assert action.name == "Call"


def test_option_names_are_unique_within_their_variable_only(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    north = settings.create_badge(admin, "option", variable_id=setup.zone, **badge_fields("North"))
    assert north.variable_id == setup.zone
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(
            admin, "option", variable_id=setup.zone, **badge_fields("est")
        ),
    )
    assert (error.field, error.problem) == ("name", "a option named 'est' exists already")
    pst = setup.zone_options[2]
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_badge(admin, "option", pst, name="CST"),
    )
    assert error.field == "name"


def test_a_dropdown_cannot_be_created_with_two_options_of_the_same_name(
    database: peewee.Database, admin: UserInfo
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(
            admin,
            name="Size",
            type="dropdown",
            options=[badge_fields("Small"), badge_fields("SMALL")],
        ),
    )
    assert error.field == "option 2 name"


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_name_is_required(database: peewee.Database, admin: UserInfo, blank: str | None) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(admin, "status", **{**badge_fields("X"), "name": blank}),
    )
    assert (error.field, error.problem) == ("name", "a name is required")


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_an_abbreviation_is_required(
    database: peewee.Database, admin: UserInfo, blank: str | None
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(
            admin, "status", **{**badge_fields("X"), "abbreviation": blank}
        ),
    )
    assert (error.field, error.problem) == ("abbreviation", "an abbreviation is required")


def test_an_abbreviation_has_at_most_12_characters(
    database: peewee.Database, admin: UserInfo
) -> None:
    ok = settings.create_badge(admin, "status", **badge_fields("Twelve", " ABCDEFGHIJKL "))
    assert ok.abbreviation == "ABCDEFGHIJKL"
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(admin, "status", **badge_fields("Thirteen", "ABCDEFGHIJKLM")),
    )
    assert error.field == "abbreviation"
    assert error.problem == "is 13 characters long; at most 12 are allowed"
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_badge(admin, "status", ok.id, abbreviation="ABCDEFGHIJKLM"),
    )
    assert error.field == "abbreviation"


# --- colours -----------------------------------------------------------------------

BAD_COLOURS = ["red", "#12345", "#GGGGGG", "", "FFFFFF", "#1234567", "#12 345"]
COLOUR_FIELDS = [("font_color", "font colour"), ("background_color", "background colour")]


@pytest.mark.parametrize(("field", "label"), COLOUR_FIELDS)
@pytest.mark.parametrize("bad", BAD_COLOURS)
def test_a_bad_colour_is_refused_naming_the_field(
    database: peewee.Database, admin: UserInfo, field: str, label: str, bad: str
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(admin, "action", **badge_fields("Call", **{field: bad})),
    )
    assert error.field == label
    assert error.problem == f"{bad.strip()!r} is not a colour; use #RGB or #RRGGBB"
    assert str(error).startswith(f"{label}: ")


@pytest.mark.parametrize(("field", "label"), COLOUR_FIELDS)
def test_a_bad_colour_is_refused_on_edit(
    database: peewee.Database, admin: UserInfo, setup: Setup, field: str, label: str
) -> None:
    status = setup.statuses[0]
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_badge(admin, "status", status, **{field: "#GGGGGG"}),
    )
    assert error.field == label


def test_a_bad_option_colour_names_the_option(database: peewee.Database, admin: UserInfo) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(
            admin,
            name="Size",
            type="dropdown",
            options=[badge_fields("Small"), badge_fields("Large", background_color="big")],
        ),
    )
    assert error.field == "option 2 background colour"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("#abc", "#AABBCC"), ("#ABC", "#AABBCC"), ("#a1b2c3", "#A1B2C3"), ("#A1b2C3", "#A1B2C3")],
)
def test_colours_are_stored_as_upper_case_rrggbb(admin: UserInfo, typed: str, stored: str) -> None:
    badge = settings.create_badge(
        admin, "status", **badge_fields("X", font_color=typed, background_color=typed)
    )
    row = Status.get_by_id(badge.id)
    assert (row.font_color, row.background_color) == (stored, stored)


# --- edit --------------------------------------------------------------------------


def test_edit_changes_the_fields_and_writes_history(admin: UserInfo, setup: Setup) -> None:
    status = setup.statuses[0]
    updated = settings.update_badge(
        admin, "status", status, name=" Hot  prospect ", background_color="#f00"
    )
    assert (updated.name, updated.background_color) == ("Hot prospect", "#FF0000")
    row = Status.get_by_id(status)
    assert (row.name, row.name_key, row.background_color) == (
        "Hot prospect",
        "hot prospect",
        "#FF0000",
    )
    assert lines("status", status)[-2:] == [
        ("Ana", "name", "Prospect", "Hot prospect"),
        ("Ana", "background_color", "#FFFFFF", "#FF0000"),
    ]


def test_renaming_to_another_items_name_is_refused(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_badge(admin, "status", setup.statuses[0], name="CLIENT"),
    )
    assert (error.field, error.problem) == ("name", "a status named 'CLIENT' exists already")


def test_an_item_can_change_the_case_of_its_own_name(admin: UserInfo, setup: Setup) -> None:
    settings.update_badge(admin, "status", setup.statuses[0], name="PROSPECT")
    assert names("status")[0] == "PROSPECT"


def test_an_edit_that_changes_nothing_writes_no_history(admin: UserInfo, setup: Setup) -> None:
    before = Change.select().count()
    settings.update_badge(admin, "status", setup.statuses[0], name="Prospect")
    assert Change.select().count() == before


def test_editing_an_unknown_item_is_not_found(admin: UserInfo) -> None:
    with pytest.raises(NotFound, match="no status #999"):
        settings.update_badge(admin, "status", 999, name="X")


# --- order -------------------------------------------------------------------------


def test_move_badge_moves_within_the_list(admin: UserInfo, setup: Setup) -> None:
    prospect, _client, done = setup.statuses
    settings.move_badge(admin, "status", done, -1)
    assert names("status") == ["Prospect", "Done", "Client"]
    settings.move_badge(admin, "status", done, -5)
    assert names("status") == ["Done", "Prospect", "Client"]
    settings.move_badge(admin, "status", prospect, 1)
    assert names("status") == ["Done", "Client", "Prospect"]
    assert lines("status", done)[-2:] == [
        ("Ana", "position", "3", "2"),
        ("Ana", "position", "2", "1"),
    ]


def test_moving_past_the_end_changes_nothing(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    before = dump_tables(database)
    settings.move_badge(admin, "status", setup.statuses[0], -1)
    settings.move_badge(admin, "status", setup.statuses[2], 3)
    assert dump_tables(database) == before


def test_reorder_badges_puts_the_given_items_first(admin: UserInfo, setup: Setup) -> None:
    prospect, client, done = setup.statuses
    settings.reorder_badges(admin, "status", [done, prospect])
    assert names("status") == ["Done", "Prospect", "Client"]
    assert lines("status", done)[-1] == ("Ana", "position", "3", "1")
    assert lines("status", prospect)[-1] == ("Ana", "position", "1", "2")
    assert lines("status", client)[-1] == ("Ana", "position", "2", "3")


def test_options_are_reordered_within_their_variable(admin: UserInfo, setup: Setup) -> None:
    est, cst, pst = setup.zone_options
    settings.reorder_badges(admin, "option", [pst, est], variable_id=setup.zone)
    assert names("option", setup.zone) == ["PST", "EST", "CST"]
    settings.move_badge(admin, "option", cst, -1)
    assert names("option", setup.zone) == ["PST", "CST", "EST"]
    assert names("option", setup.region) == ["North"]


def test_variables_are_reordered(admin: UserInfo, setup: Setup) -> None:
    assert names("variable") == ["Time zone", "Budget", "Region"]
    settings.move_variable(admin, setup.region, -2)
    assert names("variable") == ["Region", "Time zone", "Budget"]
    assert lines("variable", setup.region)[-1] == ("Ana", "position", "3", "1")
    settings.reorder_variables(admin, [setup.budget])
    assert names("variable") == ["Budget", "Region", "Time zone"]
    assert lines("variable", setup.budget)[-1] == ("Ana", "position", "3", "1")


def test_reordering_to_the_same_order_writes_nothing(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    before = dump_tables(database)
    settings.reorder_badges(admin, "status", setup.statuses)
    settings.reorder_variables(admin, [setup.zone])
    assert dump_tables(database) == before


# --- archive, restore, delete ----------------------------------------------------


@pytest.mark.parametrize("kind", ["status", "action", "option"])
def test_archive_and_restore(admin: UserInfo, setup: Setup, kind: str) -> None:
    item = {"status": setup.statuses[0], "action": setup.actions[0]}.get(
        kind, setup.zone_options[0]
    )
    assert settings.set_badge_archived(admin, kind, item, True).archived is True
    assert settings.BADGE_MODELS[kind].get_by_id(item).archived is True
    assert settings.set_badge_archived(admin, kind, item, False).archived is False
    assert settings.BADGE_MODELS[kind].get_by_id(item).archived is False
    assert lines(kind, item)[-2:] == [
        ("Ana", "archived", "no", "yes"),
        ("Ana", "archived", "yes", "no"),
    ]


def test_archive_and_restore_a_variable(admin: UserInfo, setup: Setup) -> None:
    settings.set_variable_archived(admin, setup.budget, True)
    loaded = settings.load_settings()
    assert [v.name for v in loaded.active_variables] == ["Time zone", "Region"]
    assert loaded.variable(setup.budget).archived is True
    settings.set_variable_archived(admin, setup.budget, False)
    assert Variable.get_by_id(setup.budget).archived is False
    assert lines("variable", setup.budget)[-2:] == [
        ("Ana", "archived", "no", "yes"),
        ("Ana", "archived", "yes", "no"),
    ]


@pytest.mark.parametrize("kind", ["status", "action"])
def test_an_unused_item_can_be_deleted(admin: UserInfo, setup: Setup, kind: str) -> None:
    item = {"status": setup.statuses[1], "action": setup.actions[1]}[kind]
    settings.delete_badge(admin, kind, item)
    assert settings.BADGE_MODELS[kind].get_or_none(settings.BADGE_MODELS[kind].id == item) is None
    assert lines(kind, item)[-1][:3] == ("Ana", "name", "Client" if kind == "status" else "Fax")
    assert lines(kind, item)[-1][3] is None


def test_an_unused_option_and_variable_can_be_deleted(admin: UserInfo, setup: Setup) -> None:
    settings.delete_badge(admin, "option", setup.zone_options[1])
    assert names("option", setup.zone) == ["EST", "PST"]
    settings.delete_variable(admin, setup.zone)
    assert names("variable") == ["Budget", "Region"]
    assert Option.select().where(Option.variable == setup.zone).count() == 0
    assert lines("variable", setup.zone)[-1] == ("Ana", "name", "Time zone", None)


def _note_using_everything(admin: UserInfo) -> int:
    return create_note(
        admin,
        NoteInput(
            customer="Acme",
            status="Prospect",
            action="Call",
            values={"Time zone": "EST", "Budget": "10"},
        ),
    )


@pytest.mark.parametrize(
    ("kind", "pick", "name"),
    [
        ("status", lambda s: s.statuses[0], "Prospect"),
        ("action", lambda s: s.actions[0], "Call"),
        ("option", lambda s: s.zone_options[0], "EST"),
    ],
)
def test_deleting_a_used_item_is_refused_suggesting_archiving(
    database: peewee.Database,
    admin: UserInfo,
    setup: Setup,
    kind: str,
    pick: Callable[[Setup], int],
    name: str,
) -> None:
    _note_using_everything(admin)
    error = refused(database, InUse, lambda: settings.delete_badge(admin, kind, pick(setup)))
    assert str(error) == f"{name!r} is used by 1 note: archive it instead"


def test_deleting_a_used_variable_is_refused_suggesting_archiving(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    _note_using_everything(admin)
    create_note(admin, NoteInput(customer="Globex", values={"Budget": "3"}))
    error = refused(database, InUse, lambda: settings.delete_variable(admin, setup.budget))
    assert str(error) == "'Budget' has values on 2 notes: archive it instead"


# --- variables ---------------------------------------------------------------------


def test_create_variable(admin: UserInfo) -> None:
    variable = settings.create_variable(admin, name="  Estimated   close date ", type="date")
    assert (variable.name, variable.type, variable.options) == ("Estimated close date", "date", ())
    row = Variable.get_by_id(variable.id)
    assert (row.name, row.name_key, row.type) == (
        "Estimated close date",
        "estimated close date",
        "date",
    )
    assert lines("variable", variable.id) == [
        ("Ana", "name", None, "Estimated close date"),
        ("Ana", "type", None, "date"),
    ]


def test_a_dropdown_keeps_its_options_in_the_given_order(admin: UserInfo, setup: Setup) -> None:
    zone = settings.load_settings().variable(setup.zone)
    assert [(o.name, o.abbreviation, o.kind) for o in zone.options] == [
        ("EST", "E", "option"),
        ("CST", "C", "option"),
        ("PST", "P", "option"),
    ]
    assert lines("option", setup.zone_options[0])[0] == ("Ana", "name", None, "EST")


@pytest.mark.parametrize("clash", ["TIME ZONE", " time  zone ", "Tíme zone"])
def test_variable_names_are_unique_ignoring_case_and_accents(
    database: peewee.Database, admin: UserInfo, setup: Setup, clash: str
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(admin, name=clash, type="text"),
    )
    assert error.field == "name"
    assert error.problem == f"a variable named {' '.join(clash.split())!r} exists already"
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_variable(admin, setup.budget, name=clash),
    )
    assert error.field == "name"


@pytest.mark.parametrize(
    "builtin",
    [
        *("Customer", "customer", "Status", "ACTION", "Assignee", "Follow-up", "follow_up"),
        *("Created at", "created_at", "Body", "Author"),
    ],
)
def test_a_variable_cannot_be_named_like_a_built_in_column(
    database: peewee.Database, admin: UserInfo, setup: Setup, builtin: str
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(admin, name=builtin, type="text"),
    )
    assert (error.field, error.problem) == ("name", f"{builtin!r} is a built-in column of notes")
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_variable(admin, setup.budget, name=builtin),
    )
    assert error.field == "name"


def test_an_unknown_type_is_refused(database: peewee.Database, admin: UserInfo) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(admin, name="Mood", type="colour"),
    )
    assert error.field == "type"
    assert (
        error.problem == "'colour' is not a type; use one of text, currency, date, number, dropdown"
    )


def test_a_dropdown_needs_an_option(database: peewee.Database, admin: UserInfo) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(admin, name="Size", type="dropdown"),
    )
    assert (error.field, error.problem) == ("options", "a dropdown needs at least one option")


def test_only_dropdowns_have_options(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_variable(
            admin, name="Size", type="text", options=[badge_fields("S")]
        ),
    )
    assert (error.field, error.problem) == ("options", "only dropdown variables have options")
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(
            admin, "option", variable_id=setup.budget, **badge_fields("S")
        ),
    )
    assert (error.field, error.problem) == ("variable", "only dropdown variables have options")


def test_the_last_option_of_a_dropdown_cannot_be_deleted(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    (north,) = [o.id for o in settings.load_settings().variable(setup.region).options]
    error = refused(
        database, ValidationError, lambda: settings.delete_badge(admin, "option", north)
    )
    assert (error.field, error.problem) == ("options", "a dropdown needs at least one option")


def test_option_names_may_repeat_across_variables(admin: UserInfo, setup: Setup) -> None:
    est = settings.create_badge(admin, "option", variable_id=setup.region, **badge_fields("EST"))
    assert names("option", setup.region) == ["North", "EST"]
    assert est.variable_id == setup.region


def test_type_cannot_change_while_notes_have_values(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    _note_using_everything(admin)
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_variable(admin, setup.budget, type="number"),
    )
    assert error.field == "type"
    assert error.problem == "1 note has a value for 'Budget': its type cannot change"


def test_type_can_change_while_no_note_has_a_value(admin: UserInfo, setup: Setup) -> None:
    changed = settings.update_variable(admin, setup.budget, type="number")
    assert changed.type == "number"
    assert Variable.get_by_id(setup.budget).type == "number"
    assert lines("variable", setup.budget)[-1] == ("Ana", "type", "currency", "number")


def test_a_dropdown_that_becomes_text_loses_its_options(admin: UserInfo, setup: Setup) -> None:
    changed = settings.update_variable(admin, setup.zone, type="text")
    assert (changed.type, changed.options) == ("text", ())
    assert Option.select().where(Option.variable == setup.zone).count() == 0


def test_a_dropdown_that_becomes_text_records_its_lost_options(
    admin: UserInfo, setup: Setup
) -> None:
    settings.update_variable(admin, setup.zone, type="text")
    assert [lines("option", option)[-1] for option in setup.zone_options] == [
        ("Ana", "name", "EST", None),
        ("Ana", "name", "CST", None),
        ("Ana", "name", "PST", None),
    ]


def test_update_variable_adds_options_to_a_dropdown_only(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    changed = settings.update_variable(admin, setup.region, options=[badge_fields("South")])
    assert [o.name for o in changed.options] == ["North", "South"]
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_variable(admin, setup.budget, options=[badge_fields("S")]),
    )
    assert (error.field, error.problem) == ("options", "only dropdown variables have options")


def test_reordering_options_needs_their_variable(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    error = refused(
        database,
        NotFound,
        lambda: settings.reorder_badges(admin, "option", [setup.zone_options[2]]),
    )
    assert str(error) == "no variable given"


def test_a_variable_becomes_a_dropdown_only_with_options(
    database: peewee.Database, admin: UserInfo, setup: Setup
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: settings.update_variable(admin, setup.budget, type="dropdown"),
    )
    assert (error.field, error.problem) == ("options", "a dropdown needs at least one option")
    changed = settings.update_variable(
        admin, setup.budget, type="dropdown", options=[badge_fields("Small"), badge_fields("Big")]
    )
    assert changed.type == "dropdown"
    assert [o.name for o in changed.options] == ["Small", "Big"]
    assert lines("variable", setup.budget)[-1] == ("Ana", "type", "currency", "dropdown")


def test_renaming_a_variable_writes_history(admin: UserInfo, setup: Setup) -> None:
    settings.update_variable(admin, setup.budget, name="Yearly budget")
    assert Variable.get_by_id(setup.budget).name_key == "yearly budget"
    assert lines("variable", setup.budget)[-1] == ("Ana", "name", "Budget", "Yearly budget")


# --- permissions and history of every change --------------------------------------

OPERATIONS: dict[str, Callable[[UserInfo | None, Setup], object]] = {
    "create status": lambda u, s: settings.create_badge(u, "status", **badge_fields("Lost")),
    "create action": lambda u, s: settings.create_badge(u, "action", **badge_fields("Visit")),
    "create option": lambda u, s: settings.create_badge(
        u, "option", variable_id=s.zone, **badge_fields("MST")
    ),
    "edit status": lambda u, s: settings.update_badge(u, "status", s.statuses[0], name="Lead"),
    "edit action": lambda u, s: settings.update_badge(u, "action", s.actions[0], font_color="#123"),
    "edit option": lambda u, s: settings.update_badge(
        u, "option", s.zone_options[0], abbreviation="ET"
    ),
    "move status": lambda u, s: settings.move_badge(u, "status", s.statuses[0], 1),
    "move option": lambda u, s: settings.move_badge(u, "option", s.zone_options[2], -1),
    "reorder actions": lambda u, s: settings.reorder_badges(u, "action", [s.actions[1]]),
    "reorder options": lambda u, s: settings.reorder_badges(
        u, "option", [s.zone_options[2]], variable_id=s.zone
    ),
    "archive status": lambda u, s: settings.set_badge_archived(u, "status", s.statuses[0], True),
    "archive option": lambda u, s: settings.set_badge_archived(
        u, "option", s.zone_options[0], True
    ),
    "delete status": lambda u, s: settings.delete_badge(u, "status", s.statuses[2]),
    "delete action": lambda u, s: settings.delete_badge(u, "action", s.actions[1]),
    "delete option": lambda u, s: settings.delete_badge(u, "option", s.zone_options[1]),
    "create variable": lambda u, s: settings.create_variable(u, name="Score", type="number"),
    "create dropdown": lambda u, s: settings.create_variable(
        u, name="Size", type="dropdown", options=[badge_fields("Small")]
    ),
    "rename variable": lambda u, s: settings.update_variable(u, s.budget, name="Spend"),
    "retype variable": lambda u, s: settings.update_variable(u, s.budget, type="number"),
    "move variable": lambda u, s: settings.move_variable(u, s.budget, -1),
    "reorder variables": lambda u, s: settings.reorder_variables(u, [s.region]),
    "archive variable": lambda u, s: settings.set_variable_archived(u, s.budget, True),
    "delete variable": lambda u, s: settings.delete_variable(u, s.budget),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_settings_change_is_refused_to_a_rep(
    database: peewee.Database, rep: UserInfo, setup: Setup, operation: str
) -> None:
    error = refused(database, PermissionDenied, lambda: OPERATIONS[operation](rep, setup))
    assert str(error) == "Rob is not an admin: only admins can change settings"


@pytest.mark.parametrize("operation", ["create status", "delete variable", "reorder options"])
def test_settings_changes_are_refused_to_nobody_and_to_a_deactivated_admin(
    database: peewee.Database, admin: UserInfo, setup: Setup, operation: str
) -> None:
    error = refused(database, PermissionDenied, lambda: OPERATIONS[operation](None, setup))
    assert str(error) == "nobody is not an admin: only admins can change settings"
    second = users.create_user(admin, "Bea", role="admin")
    gone = users.update_user(admin, second.id, active=False)
    refused(database, PermissionDenied, lambda: OPERATIONS[operation](gone, setup))


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_settings_change_writes_history(
    admin: UserInfo, setup: Setup, operation: str
) -> None:
    last = Change.select(peewee.fn.MAX(Change.id)).scalar()
    OPERATIONS[operation](admin, setup)
    new = list(Change.select().where(Change.id > last))
    assert new, f"{operation} wrote no history"
    assert {(c.user_id, c.entity) for c in new} <= {
        (admin.id, "status"),
        (admin.id, "action"),
        (admin.id, "option"),
        (admin.id, "variable"),
    }
    assert all(c.old != c.new for c in new)


# --- the starter set ---------------------------------------------------------------


def test_a_new_database_gets_the_starter_settings_once(database: peewee.Database) -> None:
    assert settings.ensure_starter_settings() is True
    loaded = settings.load_settings()
    assert [s.name for s in loaded.statuses][:3] == ["Prospect", "Active", "Client"]
    assert len(loaded.statuses) == 8
    assert [a.name for a in loaded.actions] == [
        "Call",
        "E-mail",
        "Fax",
        "Send sample",
        "Ship",
        "Order follow-up",
    ]
    for badge in loaded.statuses + loaded.actions:
        assert normalize_color(badge.font_color, "font") == badge.font_color
        assert normalize_color(badge.background_color, "background") == badge.background_color
        assert 0 < len(badge.abbreviation) <= settings.ABBREVIATION_MAX
    assert Change.select().count() == 0
    before = dump_tables(database)
    assert settings.ensure_starter_settings() is False
    assert dump_tables(database) == before


def test_no_starter_settings_once_the_admin_has_made_any(admin: UserInfo) -> None:
    settings.create_variable(admin, name="Score", type="number")
    assert settings.ensure_starter_settings() is False
    assert Status.select().count() == 0
    assert Action.select().count() == 0


@pytest.mark.parametrize("change", ["demoted", "deactivated"])
def test_an_admin_changed_since_sign_in_is_refused_at_once(
    database: peewee.Database, admin: UserInfo, setup: Setup, change: str
) -> None:
    signed_in = users.create_user(admin, "Bea", role="admin")  # as her open app holds her
    if change == "demoted":
        users.update_user(admin, signed_in.id, role="rep")
    else:
        users.update_user(admin, signed_in.id, active=False)
    error = refused(
        database, PermissionDenied, lambda: OPERATIONS["create status"](signed_in, setup)
    )
    assert str(error) == "Bea is not an admin: only admins can change settings"
