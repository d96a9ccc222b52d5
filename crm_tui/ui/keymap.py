"""The user's keymap file: ``"notes.new" = "ctrl+n"`` (binding id = key(s)), in TOML.

It lives in the user's config directory (``keymap.toml``; ``CRM_TUI_KEYMAP`` names
another file, e.g. in tests). A file that cannot be used whole (not TOML, an unknown
binding id, a key Textual cannot name) is ignored and its problem said in one line: the
app starts with its own keys, never crashes on it.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_path
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, key_to_character

from crm_tui.i18n import _
from crm_tui.ui.actions import MODIFIERS, normalized_key

KEYMAP_ENV = "CRM_TUI_KEYMAP"
"""Environment variable naming the keymap file instead of the config directory's."""
KEYMAP_FILE = "keymap.toml"

KEY_NAMES = frozenset(key.value for key in Keys)


def keymap_path() -> Path:
    """Where the keymap is read from: ``$CRM_TUI_KEYMAP``, else the user config directory."""
    named = os.environ.get(KEYMAP_ENV)
    if named:
        return Path(named)
    return user_config_path("crm-tui") / KEYMAP_FILE


@dataclass(frozen=True)
class Keymap:
    """The keys the user chose (binding id -> normalized keys), or why none apply."""

    keys: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    """One line saying why the file was ignored, else ``None``."""


def is_key(key: str) -> bool:
    """Whether Textual can name ``key`` (``ctrl+n``, ``f4``, ``question_mark``, ``?``)."""
    *modifiers, name = key.strip().split("+")
    if not name or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in KEY_NAMES or key_to_character(name) is not None


def _ui_node_classes(root: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for subclass in root.__subclasses__():
        yield subclass
        yield from _ui_node_classes(subclass)


def known_binding_ids() -> frozenset[str]:
    """Every binding id of the app's screens and widgets (each UI module is imported)."""
    import crm_tui.ui

    for module in pkgutil.walk_packages(crm_tui.ui.__path__, "crm_tui.ui."):
        importlib.import_module(module.name)
    ids: set[str] = set()
    for node_class in _ui_node_classes(DOMNode):
        if not node_class.__module__.startswith("crm_tui."):
            continue
        for binding in node_class.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return frozenset(ids)


def parse_keymap(text: str, known_ids: frozenset[str]) -> Keymap:
    """The keymap in ``text``, or the first problem found (then no key changes)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Keymap(problem=_("not TOML: {error}").format(error=error))
    keys: dict[str, str] = {}
    for binding_id, value in data.items():
        if binding_id not in known_ids:
            return Keymap(problem=_("no key is called {id!r}").format(id=binding_id))
        if not isinstance(value, str) or not value.strip():
            return Keymap(problem=_('{id!r} needs a key such as "ctrl+n"').format(id=binding_id))
        wanted = [key.strip() for key in value.split(",")]
        bad = [key for key in wanted if not is_key(key)]
        if bad:
            return Keymap(
                problem=_("{id!r}: {key!r} is not a key").format(id=binding_id, key=bad[0])
            )
        keys[binding_id] = ",".join(normalized_key(key) for key in wanted)
    return Keymap(keys)


def load_keymap(path: Path | None = None) -> Keymap:
    """The user's keymap file (none: no change), checked whole; a problem names the file."""
    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Keymap()
    except (OSError, UnicodeDecodeError) as error:
        return Keymap(problem=_("Keymap {path} ignored: {error}").format(path=path, error=error))
    if not text.strip():
        return Keymap()
    try:
        keymap = parse_keymap(text, known_binding_ids())
    except Exception as error:  # whatever it is, the app starts with its own keys
        keymap = Keymap(problem=str(error))
    if keymap.problem is not None:
        one_line = " ".join(keymap.problem.splitlines())
        return Keymap(
            problem=_("Keymap {path} ignored: {problem}").format(path=path, problem=one_line)
        )
    return keymap
