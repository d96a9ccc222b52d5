"""The keys panel (``?``): Textual's, with every key's words in the language in force.

Textual's panel draws a binding's description as it is stored; the app stores message
ids (``crm_tui.ui.actions``), so this one translates them (``key_words``) each time it
draws, as the footer does.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from operator import itemgetter

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from crm_tui.ui.key_words import key_words


class TranslatedBindingsTable(BindingsTable):
    """Every active key of the screen and its words, translated when drawn."""

    def render_bindings_table(self) -> Table:
        """A table of the keys, grouped as Textual groups them (by the node that binds them)."""
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        header_style = self.get_component_rich_style("bindings-table--header")
        divider_transparent = self.get_component_styles("bindings-table--divider").color.a == 0
        table = Table(
            padding=(0, 0),
            show_header=False,
            box=box.SIMPLE if divider_transparent else box.HORIZONTALS,
            border_style=self.get_component_rich_style("bindings-table--divider"),
        )
        table.add_column("", justify="right")
        get_key_display = self.app.get_key_display
        previous_namespace: object = None
        for namespace, grouped in groupby(self.screen.active_bindings.values(), key=itemgetter(0)):
            table_bindings = list(grouped)
            if not table_bindings:
                continue
            if namespace.BINDING_GROUP_TITLE:
                title = key_words(namespace.BINDING_GROUP_TITLE)
                table.add_row("", Text(title, style=header_style))
            by_action: defaultdict[str, list[Binding]] = defaultdict(list)
            for _node, binding, _enabled, _tooltip in table_bindings:
                if not binding.system:
                    by_action[binding.action].append(binding)
            for bindings in by_action.values():
                binding = bindings[0]
                keys = " ".join(dict.fromkeys(get_key_display(each) for each in bindings))
                words = Text(key_words(binding.description), style=description_style, end="")
                if binding.tooltip:
                    if binding.description:
                        words.append(" ")
                    words.append(key_words(binding.tooltip), "dim")
                table.add_row(Text(keys, style=key_style), words)
            if namespace != previous_namespace:
                table.add_section()
            previous_namespace = namespace
        return table


class TranslatedKeyPanel(KeyPanel):
    """Textual's key panel, drawing ``TranslatedBindingsTable``."""

    def compose(self) -> ComposeResult:
        """The table of keys."""
        yield TranslatedBindingsTable(shrink=True, expand=False)


class KeysPanel(HelpPanel):
    """The panel ``?`` shows: the focused widget's help and every key, translated."""

    def compose(self) -> ComposeResult:
        """The focused widget's help, then the keys."""
        yield Markdown(id="widget-help")
        yield TranslatedKeyPanel(id="keys-help")
