"""Issue 10, cases 4 and 5: a CSV export reads back exactly, and no cell runs as a formula.

Every export imports back byte for byte (a lone CR is quoted), a free-text cell that a
spreadsheet would run (``^'*[=+\\-@\\t\\r]``) gets one more leading ``'``, which the import
removes; JSON stays as stored. Runs on SQLite and, with CRM_TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exchange_support import new_target, opened, run_cli, write

from crm_tui.db.models import Customer, Note, NoteValue
from crm_tui.domain import users
from crm_tui.domain.exchange.customers_csv import import_customers_csv
from crm_tui.domain.exchange.export import build_query, export_notes
from crm_tui.domain.exchange.files import formula_unescaped, spreadsheet_safe
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.note_input import NoteInput
from crm_tui.domain.notes import create_note
from crm_tui.domain.settings import create_badge, create_variable, load_settings
from crm_tui.domain.text import is_control
from crm_tui.records import UserInfo
from tests.conftest import open_test_database

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 10, 0, 0)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLOURS = {"font_color": "#000000", "background_color": "#FFFFFF"}


def export_text(fmt: str = "csv") -> str:
    """The export of every note, oldest first, as one string."""
    settings = load_settings()
    query = build_query(settings, sort="created_at", today=TODAY)
    stream = io.StringIO(newline="")
    export_notes(stream, settings, query, format=fmt, today=TODAY)
    return stream.getvalue()


def cells_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def bodies() -> list[str]:
    return [row.body for row in Note.select(Note.body).order_by(Note.id)]


def set_body(note_id: int, body: str) -> None:
    """Store ``body`` as an older database may hold it (the rules of today bypassed)."""
    Note.update(body=body).where(Note.id == note_id).execute()


# --- case 4: a lone CR -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["line one\rline two", "\rstarts with CR", "CR\r\nthen LF\nand\r\rtwo"],
)
def test_a_lone_cr_is_quoted_and_the_export_imports_back(
    database: peewee.Database, tmp_path: Path, body: str
) -> None:
    ana = users.create_user(None, "ana")
    note_id = create_note(ana, NoteInput(customer="Acme"), created_at=NOW)
    set_body(note_id, body)  # old databases hold CR; new text stores it as LF
    text = export_text()
    rows = cells_of(text)
    assert len(rows) == 2
    assert formula_unescaped(rows[1][6]) == body  # the file holds the text exactly
    assert '"' + spreadsheet_safe(body) + '"' in text  # quoted, so any CSV reader agrees

    exported = write(tmp_path / "notes.csv", text)
    Note.delete().execute()
    imported = import_notes_csv(ana, exported, now=NOW)
    assert imported.notes == 1  # was: "line 2: 7 fields, but the header names 12 columns"
    assert bodies() == [body.replace("\r\n", "\n").replace("\r", "\n")]


def test_the_export_command_writes_a_file_the_import_command_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = new_target(tmp_path)
    with opened(target):
        ana = users.create_user(None, "ana")
        set_body(create_note(ana, NoteInput(customer="Acme"), created_at=NOW), "a\rb")
    output = tmp_path / "out.csv"
    assert run_cli(capsys, "--db", target, "--user", "ana", "export", "notes", "--output", output)
    result = run_cli(capsys, "--db", target, "--user", "ana", "import", "notes", output)
    assert (result.code, result.err) == (0, "")
    with opened(target):
        assert sorted(bodies()) == ["a\nb", "a\rb"]


# --- case 5: formulas ------------------------------------------------------------------


def hostile_team() -> UserInfo:
    """Settings and a user whose names start like formulas; returns the admin."""
    ana = users.create_user(None, "ana")
    users.create_user(ana, "-rep")
    create_badge(ana, "status", name="=Status", abbreviation="=ST", **COLOURS)
    create_badge(ana, "action", name="@Action", abbreviation="@AC", **COLOURS)
    create_variable(ana, name="+Remark", type="text")
    create_variable(ana, name="Amount", type="currency")
    create_variable(ana, name="Score", type="number")
    create_variable(ana, name="Close", type="date")
    create_variable(
        ana,
        name="Pick",
        type="dropdown",
        options=[{"name": "-Option", "abbreviation": "O", **COLOURS}],
    )
    return ana


HOSTILE_NOTES = [
    NoteInput(
        customer='=HYPERLINK("http://evil.example","click")',
        status="=Status",
        action="@Action",
        assignee="-rep",
        body="+1+1",
        values={"+Remark": "-2+3", "Amount": "-12.50", "Score": "-5", "Pick": "-Option"},
    ),
    NoteInput(customer="@SUM(A1:A9)", body="\tcmd", values={"+Remark": "'=already quoted"}),
    NoteInput(customer="'-2", body="''@x", values={"Close": "2026-12-01"}),
    NoteInput(customer="Plain", body='a = b, "c"\nnext line', values={"+Remark": "x-y"}),
]


def seed_hostile_notes() -> UserInfo:
    ana = hostile_team()
    for number, data in enumerate(HOSTILE_NOTES):
        create_note(ana, data, created_at=NOW + dt.timedelta(minutes=number))
    return ana


def stored_texts() -> list[tuple[str, str, list[str]]]:
    """Every note's customer, body and text values, oldest first."""
    names = dict(Customer.select(Customer.id, Customer.name).tuples())
    texts: list[tuple[str, str, list[str]]] = []
    for note in Note.select().order_by(Note.created_at):
        values = NoteValue.select(NoteValue.value_text).where(
            NoteValue.note == note.id, NoteValue.value_text.is_null(False)
        )
        texts.append((names[note.customer_id], note.body, sorted(v.value_text for v in values)))
    return texts


def test_formula_cells_get_one_more_quote_and_typed_values_none(
    database: peewee.Database,
) -> None:
    seed_hostile_notes()
    header, *rows = cells_of(export_text())
    assert header[:7] == [
        "customer", "action", "status", "assignee", "follow_up", "created_at", "body"
    ]  # fmt: skip
    assert header[7:] == ["'+Remark", "Amount", "Score", "Close", "Pick"]
    assert rows[0] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'@Action",
        "'=Status",
        "'-rep",
        "",
        "2026-11-29T10:00:00",
        "'+1+1",
        "'-2+3",
        "-12.50",  # typed numbers and amounts stay numbers
        "-5",
        "",
        "'-Option",
    ]
    assert rows[1][0] == "'@SUM(A1:A9)"
    assert rows[1][6] == "'\tcmd"
    assert rows[1][7] == "''=already quoted"
    assert rows[2][0] == "''-2"
    assert rows[2][6] == "'''@x"
    assert rows[2][10] == "2026-12-01"
    assert rows[3][0] == "Plain" and rows[3][6] == 'a = b, "c"\nnext line'
    assert rows[3][7] == "x-y"
    typed = {4, 5, 8, 9, 10}  # follow_up, created_at, Amount, Score, Close
    for row in rows:
        for index, cell in enumerate(row):
            assert index in typed or not cell.startswith(FORMULA_STARTS), cell


def test_json_export_stays_as_stored(database: peewee.Database) -> None:
    seed_hostile_notes()
    items = json.loads(export_text("json"))
    assert items[0]["customer"] == '=HYPERLINK("http://evil.example","click")'
    assert items[0]["+Remark"] == "-2+3"
    assert items[0]["status"] == "=Status"
    assert items[1]["body"] == "\tcmd"
    assert items[2]["body"] == "''@x"


def test_export_then_import_into_an_empty_database_is_exact(
    database: peewee.Database, tmp_path: Path
) -> None:
    seed_hostile_notes()
    before = stored_texts()
    exported = write(tmp_path / "notes.csv", export_text())
    empty = tmp_path / "second"
    empty.mkdir()
    second = open_test_database(empty)
    try:
        ana = hostile_team()
        assert import_notes_csv(ana, exported, now=NOW).notes == len(HOSTILE_NOTES)
        assert stored_texts() == before
        assert exported.read_text(encoding="utf-8") == export_text()
    finally:
        second.close()


def test_the_import_removes_one_quote_before_a_formula_only(
    database: peewee.Database, tmp_path: Path
) -> None:
    ana = users.create_user(None, "ana")
    create_variable(ana, name="Remark", type="text")
    source = write(
        tmp_path / "notes.csv",
        "customer,body,Remark\n'=Acme,'+1,'-1\nBeta,''=x,'plain\nGamma,'hello,it's\n",
    )
    assert import_notes_csv(ana, source, now=NOW).notes == 3
    assert sorted(stored_texts()) == [
        ("=Acme", "+1", ["-1"]),
        ("Beta", "'=x", ["'plain"]),
        ("Gamma", "'hello", ["it's"]),
    ]


def test_the_customers_import_removes_the_quote_too(
    database: peewee.Database, tmp_path: Path
) -> None:
    ana = users.create_user(None, "ana")
    source = write(tmp_path / "customers.csv", "name,email,phone\n'=Evil,'@x.example,'+33 1\n")
    assert import_customers_csv(ana, source).created == 1
    customer = Customer.get()
    assert (customer.name, customer.email, customer.phone) == ("=Evil", "@x.example", "+33 1")


# --- property: arbitrary text survives export then import ------------------------------

_SPECIAL = st.sampled_from([*"=+-@'\t\n\",;[]/ ", "\\", "é", "😀", "“"])
_ANY = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))


def _name_text(text: str) -> bool:
    return bool(text.strip()) and not any(is_control(char) for char in text)


NAMES = st.text(st.one_of(_SPECIAL.filter(lambda c: c not in "\t\n"), _ANY), max_size=40).filter(
    _name_text
)
TEXTS = st.text(st.one_of(_SPECIAL, _ANY), max_size=200)
NOTES = st.lists(st.tuples(NAMES, TEXTS, TEXTS), min_size=1, max_size=4)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(notes=NOTES)
def test_any_text_survives_export_then_import_and_no_cell_is_a_formula(
    tmp_path: Path, notes: list[tuple[str, str, str]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    source = open_test_database(folder / "a")
    try:
        ana = users.create_user(None, "ana")
        create_variable(ana, name="Remark", type="text")
        for number, (customer, body, remark) in enumerate(notes):
            data = NoteInput(customer=customer, body=body, values={"Remark": remark})
            create_note(ana, data, created_at=NOW + dt.timedelta(seconds=number))
        before = stored_texts()
        text = export_text()
    finally:
        source.close()
    for row in cells_of(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    exported = write(folder / "notes.csv", text)
    target = open_test_database(folder / "b")
    try:
        ana = users.create_user(None, "ana")
        create_variable(ana, name="Remark", type="text")
        import_notes_csv(ana, exported, now=NOW)
        assert stored_texts() == before
    finally:
        target.close()
