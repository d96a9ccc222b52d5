"""Actions as data: one table per screen gives its keys, its palette entries and its hints.

Each ``Action`` names a binding (its ``id``, the name a keymap file uses), its default
key(s), the action it runs, its footer label and, if it has one, its command palette title
and help. ``ActionTable.bindings()`` is a screen's ``BINDINGS``;
``ActionTable.commands(node)`` its palette entries; ``ActionTable.key(node, id)`` (or
``key_of(node, id)`` for a key bound by another node) the key in force for a hint.
Labels, titles and help are message ids: a ``Binding`` keeps its label's message id as
its description, translated where it is drawn (the footer, the keys panel: ``_()`` at
each draw), and palette entries are built per call, so both follow a language change
without a restart. A help or
hint names its key as ``{key}``: the key shown is the one in force (after the user's
keymap), never typed by hand. Tables write their words as ``N_("New note")`` so that the
message extractor finds them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, overload, runtime_checkable

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import KEY_DISPLAY_ALIASES, format_key
from textual.widget import Widget

from crm_tui.i18n import N_, _  # noqa: F401  (N_ is re-exported for the action tables)

MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
"""Key modifiers, as Textual names them (``ctrl+s``)."""


@dataclass(frozen=True)
class Action:
    """One thing a user can do: its binding, its palette entry (if ``title``), its key."""

    id: str
    """The binding's id: what a keymap file names (``"notes.new" = "ctrl+n"``)."""
    keys: str
    """Default key(s), comma-separated as in ``Binding`` (``"d,delete"``); hints show the first."""
    action: str
    """The action run (``"new_note"``, ``"move(-1)"``), by the key and by the palette."""
    label: str = ""
    """The footer's and the keys panel's words (a message id)."""
    title: str | None = None
    """The command palette's title (a message id); ``None``: not in the palette."""
    help: str = ""
    """The palette's description (a message id); ``{key}`` is replaced by the key in force."""
    show: bool = True
    """Whether the footer shows the key."""
    priority: bool = False
    """Whether the key wins over the focused widget's own (``Binding.priority``)."""
    group: str | None = None
    """Keys sharing a footer label (``Binding.Group``'s description, a message id)."""
    compact_group: bool = False
    key_display: str | None = None
    bind: bool = True
    """``False``: the key belongs to another node (a list widget); the table only names it."""

    def binding(self) -> Binding:
        """The ``Binding`` for this action; its words stay message ids (translated when drawn)."""
        group = Binding.Group(self.group, self.compact_group) if self.group else None
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            id=self.id,
            group=group,
        )


@runtime_checkable
class KeepsKeymap(Protocol):
    """An app that knows the keymap in force (binding id -> keys, as loaded)."""

    @property
    def keymap_in_force(self) -> Mapping[str, str]:
        """Binding id -> the keys the user chose for it."""
        ...


def keys_in_force(node: DOMNode | App[object], binding_id: str, default: str) -> str:
    """The keys of ``binding_id`` now: the user's keymap, else ``default``."""
    try:
        app = node if isinstance(node, App) else node.app
    except Exception:  # not in an app yet
        return default
    if isinstance(app, KeepsKeymap):
        return app.keymap_in_force.get(binding_id, default)
    return default


def bound_key(node: DOMNode, binding_id: str) -> str | None:
    """The keys in force of the binding ``binding_id`` of ``node``, an ancestor (the app
    included), a descendant or a screen under it; ``None`` if none has it."""
    nodes: list[DOMNode] = [*node.ancestors_with_self]
    nodes.extend(node.walk_children())
    with suppress(Exception):  # not in a running app: no other screens
        nodes.extend(reversed(node.app.screen_stack))
    for candidate in nodes:
        for binding in type(candidate).BINDINGS:
            if isinstance(binding, Binding) and binding.id == binding_id:
                return keys_in_force(candidate, binding_id, binding.key)
    return None


def key_of(node: DOMNode, binding_id: str, *, nth: int = 0) -> str:
    """The key of ``binding_id`` as a hint names it (``ctrl+n``, ``/``), wherever it is bound
    (``nth``: which of its keys, e.g. ``d`` of ``delete,d``)."""
    return display_key(bound_key(node, binding_id) or "", nth=nth)


SHORT_NAMES = {"escape": "esc"}
"""Key names a button's label shortens (``Cancel (esc)``)."""


def display_key(keys: str, *, short: bool = False, nth: int = 0) -> str:
    """How a hint names the first (``nth``) of ``keys``: ``/`` for ``slash``, ``ctrl+s`` as
    typed (``short``: ``esc`` for ``escape``, as buttons write it)."""
    choices = keys.split(",")
    first = choices[min(nth, len(choices) - 1)].strip()
    *modifiers, name = first.split("+")
    if short and name in SHORT_NAMES:
        name = SHORT_NAMES[name]
    elif len(name) > 1 and name not in KEY_DISPLAY_ALIASES:  # arrows, enter: by their names
        character = format_key(name)  # slash -> "/", question_mark -> "?"
        if len(character) == 1 and character.isprintable() and not character.isspace():
            name = character
    return "+".join([*modifiers, name])


def normalized_key(key: str) -> str:
    """Textual's long name of one key: ``?`` -> ``question_mark``, ``ctrl+s`` unchanged."""
    *modifiers, name = key.strip().split("+")
    if len(name) == 1 and not name.isalnum():
        name = unicodedata.name(name).lower().replace("-", "_").replace(" ", "_")
    return "+".join([*modifiers, name])


class ActionTable(Sequence[Action]):
    """The actions of one screen or widget, in the footer's order."""

    def __init__(self, *actions: Action) -> None:
        self._actions = actions
        self._by_id = {action.id: action for action in actions}

    @overload
    def __getitem__(self, index: int) -> Action: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Action]: ...
    def __getitem__(self, index: int | slice) -> Action | Sequence[Action]:
        return self._actions[index]

    def __len__(self) -> int:
        return len(self._actions)

    def get(self, binding_id: str) -> Action:
        """The action whose binding id is ``binding_id``."""
        return self._by_id[binding_id]

    def bindings(self) -> list[BindingType]:
        """The ``BINDINGS`` of the screen (descriptions are message ids: see ``Action.binding``)."""
        return [action.binding() for action in self._actions if action.bind and action.keys]

    def key(
        self, node: DOMNode | App[object], binding_id: str, *, short: bool = False, nth: int = 0
    ) -> str:
        """The key in force of ``binding_id``, as a hint names it (``ctrl+n``, ``/``)."""
        action = self._by_id[binding_id]
        keys = keys_in_force(node, binding_id, action.keys)
        return display_key(keys, short=short, nth=nth)

    def help_text(self, node: DOMNode | App[object], binding_id: str) -> str:
        """The palette help of ``binding_id``, translated, naming the key in force."""
        action = self._by_id[binding_id]
        return _(action.help).format(key=self.key(node, binding_id))

    def command(
        self, node: Widget | App[Any], binding_id: str, callback: Callable[[], Any] | None = None
    ) -> SystemCommand:
        """The palette entry of ``binding_id``; it runs ``callback`` or the action on ``node``."""
        action = self._by_id[binding_id]
        run = callback or partial(node.run_action, action.action)
        return SystemCommand(_(action.title or action.label), self.help_text(node, binding_id), run)

    def commands(self, node: Widget | App[Any]) -> Iterator[SystemCommand]:
        """Every palette entry of the table, in order, each running its action on ``node``."""
        for action in self._actions:
            if action.title is not None:
                yield self.command(node, action.id)
