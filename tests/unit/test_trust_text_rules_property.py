"""Text rules, as properties: any Unicode text is either stored exactly as checked or refused.

Arbitrary text (markup, control characters, NUL, lone surrogates, every plane) goes
through the validators and through the domain on the test's engine: a refusal is always a
``ValidationError`` naming the field and changes nothing; what is accepted is stored and
read back exactly as the validator returned it, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import random

import peewee
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_db_snapshot import dump_tables

from crm_tui.db.models import NoteValue
from crm_tui.domain import customers, users
from crm_tui.domain import settings as tabs
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.notes import NoteInput, create_note, get_note
from crm_tui.domain.text import (
    NAME_MAX,
    NOTE_TEXT_MAX,
    check_multiline,
    check_name,
    check_text_value,
    is_control,
)
from crm_tui.records import UserInfo

# Any code point, surrogates included; with markup and terminal sequences mixed in.
ANY_TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
        st.sampled_from(["\x00", "\x1b", "\x07", "\x9b", "\r", "\n", "\t", "[/i]", "\u202e"]),
    ),
    max_size=40,
).map("".join)


def _allowed_in_names(char: str) -> bool:
    return not is_control(char) or char == "\u200c"


@given(text=ANY_TEXT)
def test_a_checked_name_obeys_the_rules_and_checks_again_to_itself(text: str) -> None:
    try:
        name = check_name(text, "name")
    except ValidationError as error:
        assert error.field == "name"
        return
    assert len(name) <= NAME_MAX
    assert name == name.strip()
    assert "\x00" not in name
    assert all(_allowed_in_names(char) for char in name)
    name.encode("utf-8")  # no lone surrogate
    assert check_name(name, "name") == name


@given(text=ANY_TEXT)
def test_checked_note_text_obeys_the_rules_and_checks_again_to_itself(text: str) -> None:
    try:
        body = check_multiline(text, "text")
    except ValidationError as error:
        assert error.field == "text"
        return
    assert len(body) <= NOTE_TEXT_MAX
    assert "\r" not in body and "\x00" not in body
    assert all(char in "\t\n" or _allowed_in_names(char) for char in body)
    body.encode("utf-8")
    assert check_multiline(body, "text") == body


@pytest.fixture
def ana(database: peewee.Database) -> UserInfo:
    admin = users.create_user(None, "Ana")
    tabs.create_variable(admin, name="Memo", type="text")
    return admin


@settings(max_examples=40)
@given(name=ANY_TEXT, body=ANY_TEXT, memo=ANY_TEXT)
def test_a_note_is_saved_exactly_as_checked_or_refused_changing_nothing(
    database: peewee.Database, ana: UserInfo, name: str, body: str, memo: str
) -> None:
    try:
        expected = (
            customers.clean_customer_name(name),
            check_multiline(body, "text"),
            check_text_value(memo, "Memo") or None,
        )
    except ValidationError:
        before = dump_tables(database)
        with pytest.raises(ValidationError):
            create_note(ana, NoteInput(customer=name, body=body, values={"Memo": memo}))
        assert dump_tables(database) == before
        return
    note_id = create_note(ana, NoteInput(customer=name, body=body, values={"Memo": memo}))
    note = get_note(note_id)
    value = NoteValue.get_or_none(NoteValue.note == note_id)
    stored = (note.customer, note.body, value.value_text if value else None)
    if customers.find_customer(name) and note.customer != expected[0]:
        # The customer existed already, spelt differently: the note joins it.
        expected = (note.customer, *expected[1:])
    assert stored == expected


@settings(max_examples=25)
@given(name=ANY_TEXT)
def test_a_user_or_status_name_is_saved_exactly_as_checked_or_refused(
    database: peewee.Database, ana: UserInfo, name: str
) -> None:
    before = dump_tables(database)
    try:
        expected = check_name(name, "name")
    except ValidationError:
        expected = None
    for make in (
        lambda: users.create_user(ana, name),
        lambda: tabs.create_badge(
            ana,
            "status",
            name=name,
            abbreviation="X",
            font_color="#000000",
            background_color="#FFFFFF",
        ),
    ):
        try:
            made = make()
        except ValidationError:
            assert dump_tables(database) == before
            continue
        assert expected is not None and made.name == expected


@pytest.mark.parametrize(
    "alphabet",
    [(0x4E00, 0x9FFF), (0x1F600, 0x1F64F), (0x0400, 0x04FF)],
    ids=["cjk", "emoji", "cyrillic"],
)
def test_the_longest_text_value_and_name_fit_the_index_on_every_engine(
    database: peewee.Database, ana: UserInfo, alphabet: tuple[int, int]
) -> None:
    """500 characters of 3- or 4-byte letters: PostgreSQL indexes them as SQLite does."""
    pick = random.Random(7)
    text = "".join(chr(pick.randint(*alphabet)) for _ in range(500))
    name = text[:NAME_MAX]
    note_id = create_note(ana, NoteInput(customer=name, values={"Memo": text}))
    assert NoteValue.get(NoteValue.note == note_id).value_text == text
    assert get_note(note_id).customer == name
    assert users.create_user(ana, name).name == name
