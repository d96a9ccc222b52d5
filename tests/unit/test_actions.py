"""Actions as data: the tables give the bindings, the palette's words and the keys hints name."""

from __future__ import annotations

import importlib
import pkgutil

import crm_tui.ui
from crm_tui.ui.actions import N_, Action, ActionTable, display_key, normalized_key
from crm_tui.ui.keymap import is_key, known_binding_ids, parse_keymap


def all_tables() -> list[ActionTable]:
    """Every action table of the UI (each module imported)."""
    tables: list[ActionTable] = []
    for module_info in pkgutil.walk_packages(crm_tui.ui.__path__, "crm_tui.ui."):
        module = importlib.import_module(module_info.name)
        tables.extend(v for v in vars(module).values() if isinstance(v, ActionTable))
    return tables


def test_a_table_makes_bindings_with_ids_and_translated_labels() -> None:
    table = ActionTable(
        Action("demo.new", "n", "new", N_("New"), title=N_("New thing"), help=N_("Make ({key})")),
        Action("demo.move", "ctrl+up,K", "move(-1)", N_("Up"), group=N_("Move"), show=False),
        Action("demo.open", "enter", "open", N_("Open"), bind=False),
    )
    bindings = table.bindings()
    assert [(b.id, b.key, b.action, b.description, b.show) for b in bindings] == [
        ("demo.new", "n", "new", "New", True),
        ("demo.move", "ctrl+up,K", "move(-1)", "Up", False),
    ]
    assert bindings[1].group is not None and bindings[1].group.description == "Move"
    assert table.get("demo.new").title == "New thing"


def test_keys_are_named_as_hints_write_them() -> None:
    assert display_key("slash") == "/"
    assert display_key("question_mark") == "?"
    assert display_key("d,delete") == "d"
    assert display_key("delete,d", nth=1) == "d"
    assert display_key("ctrl+s") == "ctrl+s"
    assert display_key("escape") == "escape"
    assert display_key("escape", short=True) == "esc"
    assert display_key("space") == "space"
    assert normalized_key("?") == "question_mark"
    assert normalized_key("ctrl+n") == "ctrl+n"


def test_keys_a_keymap_may_name() -> None:
    for key in ("n", "ctrl+n", "f9", "question_mark", "?", "shift+tab", "ctrl+up", "A"):
        assert is_key(key), key
    for key in ("", "ctrl+", "hyperx+n", "nokey", "ctrl+nokey"):
        assert not is_key(key), key


def test_every_table_entry_names_a_real_binding() -> None:
    """Ids are unique in a table, every id is bound somewhere (a table may name another
    node's key: ``bind=False``), and every palette help that names a key has a key."""
    known = known_binding_ids()
    for table in all_tables():
        ids = [action.id for action in table]
        assert len(ids) == len(set(ids)), ids
        for action in table:
            assert action.id in known, action.id
            if "{key}" in action.help:
                assert action.keys, action.id


def test_a_broken_keymap_changes_nothing() -> None:
    known = known_binding_ids()
    assert parse_keymap('"notes.new" = "ctrl+n"', known).keys == {"notes.new": "ctrl+n"}
    for text in ("[", '"nothing.here" = "x"', '"notes.new" = ""', '"notes.new" = ["n"]'):
        keymap = parse_keymap(text, known)
        assert keymap.keys == {} and keymap.problem and "\n" not in keymap.problem
