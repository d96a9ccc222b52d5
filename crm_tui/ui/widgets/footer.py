"""The footer of every screen: the screen's main keys first, and never half a key.

Textual's footer lists the bindings in the order of the focus chain and cuts the last one
that does not fit (``esc Canc``). This one lists the keys of the focused widget and the
screen first (in their ``BINDINGS`` order, so each screen puts its main keys first), then
``?`` (every key), then the app's other keys; a key that does not fit whole is left out
(it stays in ``?`` and in the command palette). It lays itself out again on resize.

Descriptions are message ids, translated each time the footer is drawn (``key_words``):
after a language change, a recompose shows the new words.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from crm_tui.ui.key_words import key_words

ALL_KEYS_ACTION = "show_keys"
"""The app's action that lists every key (``?``): always kept when anything fits."""


@dataclass(frozen=True)
class _Entry:
    """One key of the footer (or a group of keys with one label)."""

    bindings: tuple[tuple[Binding, bool, str], ...]
    from_app: bool

    @property
    def first(self) -> Binding:
        return self.bindings[0][0]


class CrmFooter(Footer):
    """A footer that puts the screen's keys first and leaves out what does not fit."""

    _laid_out_for = -1
    """The width the keys were last chosen for (-1: not yet)."""

    def on_resize(self, event: events.Resize) -> None:
        """Choose the keys again for the new width."""
        if event.size.width != self._laid_out_for and self._bindings_ready:
            self.call_after_refresh(self.recompose)

    def _entries(self) -> list[_Entry]:
        """The keys to show, screen first, then ``?``, then the app's others."""
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        from_app: dict[str, bool] = {}
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show:
                continue
            by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
            from_app.setdefault(binding.action, isinstance(node, App))
        entries: list[_Entry] = []
        for action, bindings in by_action.items():
            group = bindings[0][0].group
            previous = entries[-1] if entries else None
            if group is not None and previous is not None and previous.first.group == group:
                entries[-1] = _Entry((*previous.bindings, bindings[0]), previous.from_app)
            else:
                entries.append(_Entry((bindings[0],), from_app[action]))
        screen_keys = [entry for entry in entries if not entry.from_app]
        all_keys = [entry for entry in entries if entry.first.action == ALL_KEYS_ACTION]
        app_keys = [e for e in entries if e.from_app and e.first.action != ALL_KEYS_ACTION]
        return [*screen_keys, *all_keys, *app_keys]

    def _width(self, entry: _Entry) -> int:
        """Cells the entry takes once drawn."""
        if len(entry.bindings) > 1 and entry.first.group is not None:
            keys = sum(cell_len(self.app.get_key_display(b)) + 1 for b, _e, _t in entry.bindings)
            return keys + cell_len(key_words(entry.first.group.description)) + 2
        binding = entry.first
        key = cell_len(self.app.get_key_display(binding))
        return key + cell_len(key_words(binding.description)) + (2 if self.compact else 3)

    def _palette_width(self) -> int:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return 0
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return 0
        binding = found[1]
        key = cell_len(self.app.get_key_display(binding)) + cell_len(key_words(binding.description))
        return key + (2 if self.compact else 5)  # its padding and the rule on its left

    def _fitting(self, entries: list[_Entry]) -> list[_Entry]:
        """The entries that fit whole, in order; ``?`` kept when anything fits."""
        room = self.size.width - self._palette_width()
        if self.size.width <= 0:
            return entries  # not laid out yet: on_resize chooses again
        keys = [entry for entry in entries if entry.first.action == ALL_KEYS_ACTION]
        reserve = sum(self._width(entry) for entry in keys)
        chosen: list[_Entry] = []
        used = 0
        for entry in entries:
            if entry in keys:
                if used + reserve <= room:
                    chosen.append(entry)
                    used += reserve
                reserve = 0
                continue
            width = self._width(entry)
            if used + width + reserve <= room:
                chosen.append(entry)
                used += width
            elif not entry.from_app:
                room = used + reserve  # the screen's keys keep their order: stop here
        return chosen

    def compose(self) -> ComposeResult:
        """The keys that fit, then the command palette's key on the right."""
        if not self._bindings_ready:
            return
        self._laid_out_for = self.size.width
        chosen = self._fitting(self._entries())
        self.styles.grid_size_columns = len(chosen)
        for entry in chosen:
            group = entry.first.group
            if group is not None and len(entry.bindings) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for binding, enabled, tooltip in entry.bindings:
                        yield FooterKey(
                            binding.key,
                            self.app.get_key_display(binding),
                            "",
                            binding.action,
                            disabled=not enabled,
                            tooltip=key_words(tooltip or binding.description),
                            classes="-grouped",
                        ).data_bind(compact=Footer.compact)
                yield FooterLabel(key_words(group.description))
                continue
            binding, enabled, tooltip = entry.bindings[0]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                key_words(binding.description),
                binding.action,
                disabled=not enabled,
                tooltip=key_words(tooltip),
            ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    key_words(binding.description),
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=key_words(binding.tooltip or binding.description),
                )
