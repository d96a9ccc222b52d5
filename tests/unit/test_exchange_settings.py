"""Settings JSON: export format, idempotent import by name, order, and refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import peewee
import pytest
from test_db_snapshot import refused
from test_exchange_support import EXAMPLE_SETTINGS, FRENCH_SETTINGS, write

from crm_tui.domain import settings, users
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.settings_json import (
    import_settings_json,
    read_settings_json,
    settings_document,
    write_settings_json,
)
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.records import UserInfo


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    return users.create_user(None, "Ana")


def exported() -> dict[str, Any]:
    stream = io.StringIO()
    write_settings_json(settings.load_settings(), stream)
    return json.loads(stream.getvalue())


def badge(name: str, abbreviation: str = "AB", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "abbreviation": abbreviation,
        "font_color": "#000000",
        "background_color": "#FFFFFF",
        **extra,
    }


def save(tmp_path: Path, document: Any) -> Path:
    return write(tmp_path / "settings.json", json.dumps(document, ensure_ascii=False))


def test_the_example_imports_and_exports_back(admin: UserInfo) -> None:
    counts = import_settings_json(admin, EXAMPLE_SETTINGS)
    assert (counts.created, counts.updated, counts.unchanged) == (18, 0, 0)
    example = json.loads(EXAMPLE_SETTINGS.read_text(encoding="utf-8"))
    document = exported()
    assert document["statuses"] == example["statuses"]
    assert document["variables"] == example["variables"]
    assert document["actions"] == [a | {"in_sequence": False} for a in example["actions"]]


def test_the_export_is_one_item_a_line(admin: UserInfo) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    stream = io.StringIO()
    write_settings_json(settings.load_settings(), stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "{"
    assert lines[1] == '  "statuses": ['
    assert lines[2].startswith('    {"name": "Prospect", "abbreviation": "PRO"')
    assert '    {"name": "Time zone", "type": "dropdown", "options": [' in lines
    assert '    {"name": "Segment", "type": "text"}' in lines


def test_french_names_archived_items_and_colours_round_trip(
    admin: UserInfo, tmp_path: Path
) -> None:
    import_settings_json(admin, FRENCH_SETTINGS)
    current = settings.load_settings()
    done = current.statuses[-1]
    assert (done.name, done.archived, done.font_color, done.background_color) == (
        "Terminé",
        True,
        "#000000",
        "#E0E0E0",
    )
    zone = current.variables[0]
    assert [(o.name, o.archived) for o in zone.options][-1] == ("Atlantique", True)
    assert current.variables[-1].archived
    first = exported()
    again = save(tmp_path, first)
    counts = import_settings_json(admin, again)
    assert counts.created == counts.updated == 0
    assert exported() == first


def test_import_is_idempotent_and_keeps_what_the_file_does_not_name(
    admin: UserInfo, tmp_path: Path
) -> None:
    settings.ensure_starter_settings()  # Prospect, Active, Client, Awaiting approval, …
    path = save(
        tmp_path,
        {"statuses": [badge("Done", "FIN"), badge("prospect", "P", in_sequence=True)]},
    )
    import_settings_json(admin, path)
    names = [s.name for s in settings.load_settings().statuses]
    assert names[:2] == ["Done", "prospect"]  # the file's order first, its spelling wins
    assert names[2:] == [
        "Active",
        "Client",
        "Awaiting approval",
        "On hold",
        "No answer",
        "Inactive",
    ]
    before = exported()
    counts = import_settings_json(admin, path)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    assert exported() == before


def test_import_updates_fields_and_option_order(admin: UserInfo, tmp_path: Path) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    path = save(
        tmp_path,
        {
            "statuses": [badge("Client", "CL", font_color="#abc", in_sequence=True)],
            "variables": [
                {
                    "name": "TIME ZONE",
                    "type": "dropdown",
                    "options": [badge("EST", "E"), badge("HST", "H"), badge("PST", "P")],
                }
            ],
        },
    )
    counts = import_settings_json(admin, path)
    assert (counts.created, counts.updated) == (1, 4)
    current = settings.load_settings()
    client = current.statuses[0]
    assert (client.name, client.abbreviation, client.font_color) == ("Client", "CL", "#AABBCC")
    zone = current.variables[0]
    assert zone.name == "TIME ZONE"
    assert [o.name for o in zone.options] == ["EST", "HST", "PST", "MST", "CST"]


def test_a_new_order_counts_as_an_update(admin: UserInfo, tmp_path: Path) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    example = json.loads(EXAMPLE_SETTINGS.read_text(encoding="utf-8"))
    reversed_statuses = save(tmp_path, {"statuses": example["statuses"][::-1]})
    counts = import_settings_json(admin, reversed_statuses)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 4, 1)
    assert [s.name for s in settings.load_settings().statuses] == [
        "Done",
        "No answer",
        "Client",
        "Awaiting approval",
        "Prospect",
    ]


def test_only_items_that_move_count_as_updated(admin: UserInfo, tmp_path: Path) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    example = json.loads(EXAMPLE_SETTINGS.read_text(encoding="utf-8"))
    statuses = example["statuses"]
    done_first = save(tmp_path, {"statuses": [statuses[-1], *statuses[:-1]]})
    counts = import_settings_json(admin, done_first)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 4)
    new_first = save(tmp_path, {"statuses": [badge("Lead", "L"), statuses[-1], *statuses[:-1]]})
    counts = import_settings_json(admin, new_first)
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 5)


def test_a_variable_without_values_can_change_type(admin: UserInfo, tmp_path: Path) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    path = save(
        tmp_path,
        {
            "variables": [
                {"name": "Segment", "type": "dropdown", "options": [badge("Retail", "R")]},
                {"name": "Employees", "type": "currency"},
                {"name": "Time zone", "type": "text"},
            ]
        },
    )
    import_settings_json(admin, path)
    types = {
        v.name: (v.type, [o.name for o in v.options]) for v in settings.load_settings().variables
    }
    assert types["Segment"] == ("dropdown", ["Retail"])
    assert types["Employees"] == ("currency", [])
    assert types["Time zone"] == ("text", [])
    assert [v.name for v in settings.load_settings().variables][:3] == [
        "Segment",
        "Employees",
        "Time zone",
    ]


def test_a_variable_with_values_keeps_its_type(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    create_note(admin, NoteInput("Acme", values={"Deal value": "12.50"}))
    path = save(tmp_path, {"variables": [{"name": "Deal value", "type": "number"}]})
    error = refused(database, ExchangeError, lambda: import_settings_json(admin, path))
    assert str(error) == (
        f"{path}: variables[0].type: 'Deal value' is a currency variable with a value on 1 "
        "note: it cannot become number"
    )


def test_a_rep_cannot_import(database: peewee.Database, admin: UserInfo) -> None:
    rep = users.create_user(admin, "Rob", role="rep")
    error = refused(database, PermissionDenied, lambda: import_settings_json(rep, EXAMPLE_SETTINGS))
    assert str(error) == "Rob is not an admin: only admins can import settings"


BAD_DOCUMENTS = [
    ([], "must be an object {...}"),
    ({"status": []},
     'unknown field "status" (fields: currency, business_hours, statuses, actions, variables)'),
    ({"statuses": {}}, "statuses: must be a list [...]"),
    ({"statuses": ["Prospect"]}, "statuses[0]: must be an object {...}"),
    ({"statuses": [badge("A"), badge("B", font_color="red")]},
     "statuses[1].font_color: 'red' is not a colour; use #RGB or #RRGGBB"),
    ({"actions": [badge("Call", background_color="#12345")]},
     "actions[0].background_color: '#12345' is not a colour; use #RGB or #RRGGBB"),
    ({"statuses": [badge("A", "ABCDEFGHIJKLM")]},
     "statuses[0].abbreviation: is 13 characters long; at most 12 are allowed"),
    ({"statuses": [badge("A", "")]}, "statuses[0].abbreviation: an abbreviation is required"),
    ({"statuses": [badge("  ")]}, "statuses[0].name: a name is required"),
    ({"statuses": [{"abbreviation": "X"}]}, "statuses[0].name: is required"),
    ({"statuses": [badge(3)]}, "statuses[0].name: must be text"),
    ({"statuses": [badge("Done"), badge("DONE")]},
     "statuses[1].name: 'DONE' is named twice (also at statuses[0])"),
    ({"actions": [badge("Call", colour="#000")]},
     'actions[0]: unknown field "colour" (fields: name, abbreviation, font_color, '
     "background_color, in_sequence, archived, follow_up_days)"),
    ({"statuses": [badge("A", in_sequence="yes")]},
     "statuses[0].in_sequence: must be true or false"),
    ({"variables": [{"name": "Size", "type": "bigint"}]},
     "variables[0].type: 'bigint' is not a type; use one of text, currency, date, number, "
     "dropdown"),
    ({"variables": [{"name": "Zone", "type": "dropdown"}]},
     "variables[0].options: a dropdown needs at least one option"),
    ({"variables": [{"name": "Zone", "type": "date", "options": [badge("A")]}]},
     "variables[0].options: only dropdown variables have options"),
    ({"variables": [{"name": "Zone", "type": "dropdown", "options": [badge("A"), badge("a")]}]},
     "variables[0].options[1].name: 'a' is named twice (also at variables[0].options[0])"),
    ({"variables": [{"name": "Zone", "type": "dropdown",
                     "options": [badge("A", font_color="#GGGGGG")]}]},
     "variables[0].options[0].font_color: '#GGGGGG' is not a colour; use #RGB or #RRGGBB"),
    ({"variables": [{"name": "Status", "type": "text"}]},
     "variables[0].name: 'Status' is a built-in column of notes"),
    ({"variables": [{"name": "Zone", "type": "text"}, {"name": "zône", "type": "date"}]},
     "variables[1].name: 'zône' is named twice (also at variables[0])"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "expected"), BAD_DOCUMENTS)
def test_a_bad_item_is_named_and_nothing_changes(
    database: peewee.Database, admin: UserInfo, tmp_path: Path, document: Any, expected: str
) -> None:
    import_settings_json(admin, EXAMPLE_SETTINGS)
    path = save(tmp_path, document)
    error = refused(database, ExchangeError, lambda: import_settings_json(admin, path))
    assert str(error) == f"{path}: {expected}"


def test_a_bad_item_late_in_the_file_leaves_earlier_items_unsaved(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    document = {"statuses": [badge("New one")], "variables": [{"name": "X", "type": "nope"}]}
    path = save(tmp_path, document)
    refused(database, ExchangeError, lambda: import_settings_json(admin, path))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"statuses": [}', "line 1 column 15: not valid JSON: Expecting value"),
        (
            b'{\n  "statuses": []\n  "actions": []\n}',
            "line 3 column 3: not valid JSON: Expecting ','",
        ),
        (b"\xff\xfe{}", ": not UTF-8 text (save the file as UTF-8)"),
    ],
)
def test_malformed_json_is_refused_with_its_place(
    admin: UserInfo, tmp_path: Path, raw: bytes, expected: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(raw)
    with pytest.raises(ExchangeError) as caught:
        read_settings_json(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_a_byte_order_mark_is_accepted(admin: UserInfo, tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", json.dumps({"actions": [badge("Appel")]}), bom=True)
    import_settings_json(admin, path)
    assert "Appel" in [a.name for a in settings.load_settings().actions]


def test_the_document_of_empty_settings(database: peewee.Database) -> None:
    assert settings_document(settings.load_settings()) == {
        "statuses": [],
        "actions": [],
        "variables": [],
    }
    assert exported() == {"statuses": [], "actions": [], "variables": []}
