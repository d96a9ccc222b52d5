"""Text rules (issue 10, case 9): the same limits on SQLite and PostgreSQL, on every path.

Names (customer, user, status, action, variable, option) hold at most 200 characters and
no control character, abbreviations at most 12, note text at most 100,000 with tab and
newline as its only control characters (CRLF and lone CR stored as LF); NUL is refused
everywhere. Each refusal names the field and changes nothing. Run on PostgreSQL with
``CRM_TEST_DATABASE_URL``: every test here uses the ``database`` fixture.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee
import pytest
from test_db_snapshot import refused
from test_exchange_support import write

from crm_tui.db.models import Customer, Note, NoteValue, Status, User
from crm_tui.domain import customers, settings, users
from crm_tui.domain.bulk_edit import bulk_edit
from crm_tui.domain.customer_queries import count_customers, suggest_customers
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.customers_csv import import_customers_csv
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.exchange.settings_json import import_settings_json
from crm_tui.domain.notes import (
    NoteInput,
    create_note,
    get_note,
    latest_values_for_customer,
    update_note,
)
from crm_tui.domain.text import check_multiline, check_name, fold
from crm_tui.records import UserInfo

ESC, BEL, CSI = "\x1b", "\x07", "\x9b"


@dataclass
class World:
    """Ana (admin), the starter settings, a text variable and a dropdown."""

    admin: UserInfo
    memo: int
    zone: int


def _option(name: str, abbreviation: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "abbreviation": abbreviation or name[:3],
        "font_color": "#000000",
        "background_color": "#FFFFFF",
    }


@pytest.fixture
def world(database: peewee.Database) -> World:
    admin = users.create_user(None, "Ana")
    settings.ensure_starter_settings()
    memo = settings.create_variable(admin, name="Memo", type="text").id
    zone = settings.create_variable(admin, name="Zone", type="dropdown", options=[_option("EST")])
    return World(admin=admin, memo=memo, zone=zone.id)


def _name_makers(world: World) -> dict[str, Callable[[str], object]]:
    """A function creating each kind of named thing from its name."""
    admin = world.admin
    return {
        "customer": lambda name: customers.create_customer(admin, name),
        "user": lambda name: users.create_user(admin, name),
        "status": lambda name: settings.create_badge(admin, "status", **_option(name, "X")),
        "action": lambda name: settings.create_badge(admin, "action", **_option(name, "X")),
        "variable": lambda name: settings.create_variable(admin, name=name, type="number"),
        "option": lambda name: settings.create_badge(
            admin, "option", variable_id=world.zone, **_option(name, "X")
        ),
    }


NAME_FIELDS = {
    "customer": "customer",
    "user": "name",
    "status": "name",
    "action": "name",
    "variable": "name",
    "option": "name",
}
KINDS = list(NAME_FIELDS)


def _refused_name(database: peewee.Database, world: World, kind: str, name: str) -> str:
    """Create a ``kind`` named ``name``: refused, naming the field, nothing changed."""
    make = _name_makers(world)[kind]
    error = refused(database, ValidationError, lambda: make(name))
    assert error.field == NAME_FIELDS[kind]
    return error.problem


# --- the reported cases -----------------------------------------------------------------


def test_huge_status_and_user_names_and_long_customer_names_are_refused(
    database: peewee.Database, world: World
) -> None:
    assert _refused_name(database, world, "status", "S" * 100_000) == (
        "is 100,000 characters long; at most 200 are allowed"
    )
    assert "100,000 characters" in _refused_name(database, world, "user", "u" * 100_000)
    assert "5,000 characters" in _refused_name(database, world, "customer", "C" * 5_000)


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_holds_200_characters_not_201(
    database: peewee.Database, world: World, kind: str
) -> None:
    make = _name_makers(world)[kind]
    make("N" * 199 + "é")
    problem = _refused_name(database, world, kind, "M" * 200 + "é")
    assert problem == "is 201 characters long; at most 200 are allowed"


@pytest.mark.parametrize("kind", KINDS)
def test_a_renamed_thing_follows_the_same_rules(
    database: peewee.Database, world: World, kind: str
) -> None:
    made: Any = _name_makers(world)[kind]("Fine name")
    admin = world.admin
    rename: Callable[[str], object] = {
        "customer": lambda name: customers.update_customer(admin, made.id, name=name),
        "user": lambda name: users.update_user(admin, made.id, name=name),
        "status": lambda name: settings.update_badge(admin, "status", made.id, name=name),
        "action": lambda name: settings.update_badge(admin, "action", made.id, name=name),
        "variable": lambda name: settings.update_variable(admin, made.id, name=name),
        "option": lambda name: settings.update_badge(admin, "option", made.id, name=name),
    }[kind]
    for bad in ("x" * 201, f"Evil{ESC}[31mRED", "nul\x00name"):
        error = refused(database, ValidationError, lambda bad=bad: rename(bad))
        assert error.field == NAME_FIELDS[kind]


def test_an_abbreviation_holds_12_characters_not_13(
    database: peewee.Database, world: World
) -> None:
    settings.create_badge(world.admin, "status", **_option("Twelve", "ABCDEFGHIJKL"))
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(world.admin, "status", **_option("Thirteen", "A" * 13)),
    )
    assert (error.field, error.problem) == (
        "abbreviation",
        "is 13 characters long; at most 12 are allowed",
    )
    error = refused(
        database,
        ValidationError,
        lambda: settings.create_badge(world.admin, "action", **_option("Bell", f"B{BEL}")),
    )
    assert error.field == "abbreviation"


def test_note_text_holds_100000_characters_not_100001(
    database: peewee.Database, world: World
) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", body="b" * 100_000))
    assert len(get_note(note_id).body) == 100_000
    error = refused(
        database,
        ValidationError,
        lambda: create_note(world.admin, NoteInput(customer="Acme", body="b" * 100_001)),
    )
    assert (error.field, error.problem) == (
        "text",
        "is 100,001 characters long; at most 100,000 are allowed",
    )
    error = refused(
        database,
        ValidationError,
        lambda: update_note(world.admin, note_id, NoteInput(customer="Acme", body="c" * 100_001)),
    )
    assert error.field == "text"


# --- NUL, the same on both engines ---------------------------------------------------------


def test_nul_is_refused_in_a_note_a_name_and_a_value_on_every_engine(
    database: peewee.Database, world: World
) -> None:
    nul_note = NoteInput(customer="Acme", body="before\x00after")
    error = refused(database, ValidationError, lambda: create_note(world.admin, nul_note))
    assert (error.field, error.problem) == (
        "text",
        "contains a NUL character at character 7: text cannot hold NUL",
    )
    nul_value = NoteInput(customer="Acme", values={"Memo": "a\x00b"})
    error = refused(database, ValidationError, lambda: create_note(world.admin, nul_value))
    assert error.field == "Memo"
    nul_customer = NoteInput(customer="Ac\x00me")
    error = refused(database, ValidationError, lambda: create_note(world.admin, nul_customer))
    assert error.field == "customer"
    for kind in KINDS:
        assert "NUL" in _refused_name(database, world, kind, "Nul\x00Name")
    # Looking a NUL name up finds nothing (PostgreSQL could not even compare it).
    assert customers.find_customer("Ac\x00me") is None
    assert users.find_user("An\x00a") is None


def test_nul_in_a_csv_cell_is_refused_with_its_line_and_column(
    database: peewee.Database, world: World, tmp_path: Path
) -> None:
    cases = {
        "body": "customer,body\nAcme,fine\nAcme,bad\x00cell\n",
        "customer": "customer,body\nAcme,fine\nAc\x00me,text\n",
        "Memo": "customer,Memo\nAcme,fine\nAcme,bad\x00value\n",
    }
    for column, text in cases.items():
        path = write(tmp_path / f"{column}.csv", text)
        error = refused(
            database, ExchangeError, lambda path=path: import_notes_csv(world.admin, path)
        )
        assert str(error).startswith(f'{path} line 3, column "{column}": ')
        assert "NUL" in str(error)
    path = write(tmp_path / "customers.csv", "name,email\nAcme,a@example.com\nBad\x00Co,\n")
    error = refused(database, ExchangeError, lambda: import_customers_csv(world.admin, path))
    assert str(error).startswith(f'{path} line 3, column "name": ')
    path = write(tmp_path / "contacts.csv", "name,Phone\nAcme,555\nGlobex,55\x005\n")
    error = refused(database, ExchangeError, lambda: import_customers_csv(world.admin, path))
    assert str(error).startswith(f'{path} line 3, column "Phone": contains a NUL character')


# --- line breaks -------------------------------------------------------------------------


def test_crlf_and_lone_cr_are_stored_as_lf(database: peewee.Database, world: World) -> None:
    note_id = create_note(
        world.admin,
        NoteInput(customer="Acme", body="one\r\ntwo\rthree\n\tfour\r\n", values={"Memo": "a\rb"}),
    )
    assert get_note(note_id).body == "one\ntwo\nthree\n\tfour"
    value = NoteValue.get(NoteValue.note == note_id)
    assert value.value_text == "a\nb"
    update_note(world.admin, note_id, NoteInput(customer="Acme", body="x\ry\r\nz"))
    assert get_note(note_id).body == "x\ny\nz"
    assert Note.select().where(Note.body.contains("\r")).count() == 0


def test_crlf_and_lone_cr_in_a_csv_cell_are_stored_as_lf(
    database: peewee.Database, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(b'customer,body\r\nAcme,"one\r\ntwo\rthree"\r\n')
    import_notes_csv(world.admin, path)
    assert [note.body for note in Note.select()] == ["one\ntwo\nthree"]


# --- control characters ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("control", [ESC, BEL, CSI, "\x7f", "\u202e", "\u2028"])
def test_control_characters_in_names_are_refused(
    database: peewee.Database, world: World, kind: str, control: str
) -> None:
    problem = _refused_name(database, world, kind, f"Evil{control}[31mRED Co")
    assert problem.startswith("contains the control character ")
    assert problem.endswith("at character 5; names cannot hold control characters")
    assert control not in problem  # the message shows it visibly, never raw


def test_the_message_names_the_control_character_visibly(
    database: peewee.Database, world: World
) -> None:
    problem = _refused_name(database, world, "customer", f"Evil{ESC}[31mRED{ESC}[0m Co")
    assert problem == (
        "contains the control character ␛ (U+001B) at character 5;"
        " names cannot hold control characters"
    )
    problem = _refused_name(database, world, "user", f"x{CSI}y")
    assert "\\x9b (U+009B)" in problem


@pytest.mark.parametrize("kind", KINDS)
def test_accents_emoji_and_spaces_are_accepted_in_names(
    database: peewee.Database, world: World, kind: str
) -> None:
    made: Any = _name_makers(world)[kind]("  Émile  Brûlé 😀 👩\u200d💻 Ｆｕｌｌ ناز\u200cنین  ")
    assert made.name == "Émile Brûlé 😀 👩\u200d💻 Ｆｕｌｌ ناز\u200cنین"


def test_tabs_and_line_breaks_in_a_name_become_one_space(
    database: peewee.Database, world: World
) -> None:
    assert customers.create_customer(world.admin, " Acme\t\r\nCorp ").name == "Acme Corp"


def test_note_text_keeps_tab_and_newline_but_refuses_other_control_characters(
    database: peewee.Database, world: World
) -> None:
    body = "Title\n\tindented 😀 [bold]x[/bold] seg [/i]\n"
    note_id = create_note(world.admin, NoteInput(customer="Acme", body=body))
    assert get_note(note_id).body == body.rstrip()
    for control in (f"{ESC}]0;TITLE{BEL}", f"{ESC}[2J", CSI, "\x0c", "\u202e"):
        data = NoteInput(customer="Acme", body=f"ok {control} end")
        error = refused(database, ValidationError, lambda data=data: create_note(world.admin, data))
        assert error.field == "text"
        assert error.problem.endswith("at character 4; only tab and new line are allowed")


def test_text_values_follow_the_note_text_rules_with_their_own_limit(
    database: peewee.Database, world: World
) -> None:
    note_id = create_note(world.admin, NoteInput(customer="Acme", values={"Memo": "é" * 500}))
    assert NoteValue.get(NoteValue.note == note_id).value_text == "é" * 500
    for bad, problem in (
        ("v" * 501, "is 501 characters long; at most 500 are allowed"),
        (f"a{ESC}[31m", "contains the control character ␛ (U+001B) at character 2;"),
        ("\ufdfa" * 200, "is too long to compare and sort"),
    ):
        data = NoteInput(customer="Acme", values={"Memo": bad})
        error = refused(database, ValidationError, lambda data=data: create_note(world.admin, data))
        assert error.field == "Memo"
        assert error.problem.startswith(problem)


def test_a_bulk_edit_of_a_text_value_follows_the_same_rules(
    database: peewee.Database, world: World
) -> None:
    ids = [create_note(world.admin, NoteInput(customer=f"C{n}")) for n in range(3)]
    field = f"var:{world.memo}"
    for bad in ("a\x00b", f"a{ESC}b", "v" * 501):
        error = refused(
            database, ValidationError, lambda bad=bad: bulk_edit(world.admin, ids, field, bad)
        )
        assert error.field == "Memo"
    bulk_edit(world.admin, ids, field, "one\r\ntwo")
    assert {row.value_text for row in NoteValue.select()} == {"one\ntwo"}


def test_names_that_fold_too_long_to_index_are_refused_on_every_engine(
    database: peewee.Database, world: World
) -> None:
    # ﷺ is one character that folds into 18 letters: 200 of them cannot be indexed.
    problem = _refused_name(database, world, "customer", "\ufdfa" * 200)
    assert problem.startswith("is too long to compare and sort: ")


def test_contact_fields_are_one_line_without_control_characters(
    database: peewee.Database, world: World
) -> None:
    error = refused(
        database,
        ValidationError,
        lambda: customers.create_customer(world.admin, "Acme", email=f"a{ESC}@x.org"),
    )
    assert error.field == "e-mail"
    acme = customers.create_customer(world.admin, "Acme", phone=" 555 0100 ")
    assert acme.phone == "555 0100"
    error = refused(
        database,
        ValidationError,
        lambda: customers.update_customer(world.admin, acme.id, phone="555\x000100"),
    )
    assert error.field == "phone"


def test_bad_input_from_a_surrogate_escaped_argument_is_refused(
    database: peewee.Database, world: World
) -> None:
    # A command-line argument holding a byte that is not UTF-8 arrives as a lone surrogate.
    problem = _refused_name(database, world, "customer", "Caf\udce9")
    assert problem == "contains a byte that is not UTF-8 text at character 4"
    data = NoteInput(customer="Acme", body="caf\udce9")
    error = refused(database, ValidationError, lambda: create_note(world.admin, data))
    assert error.field == "text"


# --- settings import -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"statuses": [_option("S" * 201, "S")]},
            "statuses[0].name: is 201 characters long; at most 200 are allowed",
        ),
        (
            {"actions": [_option(f"Call{ESC}[2J", "C")]},
            "actions[0].name: contains the control character ␛ (U+001B) at character 5;",
        ),
        (
            {"statuses": [_option("Fine", "A" * 13)]},
            "statuses[0].abbreviation: is 13 characters long; at most 12 are allowed",
        ),
        (
            {"variables": [{"name": "V\x00ar", "type": "text"}]},
            "variables[0].name: contains a NUL character at character 2",
        ),
        (
            {"variables": [{"name": "Z", "type": "dropdown", "options": [_option("O\x07", "O")]}]},
            "variables[0].options[0].name: contains the control character ␇ (U+0007)",
        ),
    ],
)
def test_a_settings_file_breaking_the_text_rules_is_refused(
    database: peewee.Database, world: World, tmp_path: Path, item: dict[str, Any], message: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    error = refused(database, ExchangeError, lambda: import_settings_json(world.admin, path))
    assert str(error).startswith(f"{path}: {message}")


# --- old data -------------------------------------------------------------------------------


def test_a_database_already_holding_such_text_still_opens_and_shows_it(
    database: peewee.Database, world: World
) -> None:
    """Rows written before the rules (raw SQL, as an older version could) are read back."""
    note_id = create_note(world.admin, NoteInput(customer="Acme", body="fine"))
    evil = f"Evil{ESC}[31mRED{ESC}[0m Co" + "x" * 300
    Customer.update(name=evil).where(Customer.name == "Acme").execute()
    Note.update(body=f"title{ESC}]0;TITLE{BEL}\rline").where(Note.id == note_id).execute()
    Status.update(name="S" * 5_000).where(Status.id == Status.select(Status.id).limit(1)).execute()
    User.update(name=f"Ana{CSI}").where(User.id == world.admin.id).execute()
    note = get_note(note_id)
    assert (note.customer, note.body) == (evil, f"title{ESC}]0;TITLE{BEL}\rline")
    assert settings.load_settings().statuses[0].name == "S" * 5_000
    assert users.get_user(world.admin.id).name == f"Ana{CSI}"
    assert customers.get_customer(note.customer_id).name == evil


# --- the validators themselves ---------------------------------------------------------------


def test_the_validators_return_what_is_stored() -> None:
    assert check_name("  Acme \t Corp  ", "customer") == "Acme Corp"
    assert check_name("", "customer") == ""
    assert check_multiline("a\r\n\tb\r", "text") == "a\n\tb"
    with pytest.raises(ValidationError) as caught:
        check_multiline("a\x00", "body")
    assert caught.value.field == "body"


def test_looking_up_or_searching_with_nul_or_a_bad_byte_never_fails(
    database: peewee.Database, world: World
) -> None:
    """PostgreSQL cannot even compare text holding NUL: lookups and searches leave it out."""
    acme = customers.create_customer(world.admin, "Acme", phone="555 0100")
    for text in ("Ac\x00", "Ac\udce9", "\x00"):
        assert customers.find_customer(text) is None
        assert users.find_user(text) is None
        suggest_customers(text)
    assert [c.id for c in suggest_customers("Ac\x00m")] == [acme.id]
    assert count_customers("555\x00 Ac\udce9") == 1
    assert fold("Ac\x00me\udce9") == "acme"
    assert latest_values_for_customer("Ac\x00me") == {}
