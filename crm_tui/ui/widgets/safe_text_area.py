"""The multi-line field that never sends a control character of its text to the terminal.

Like ``safe_inputs.SafeInput``: the text is kept exactly, each control character (but tab)
is drawn as one visible character, so the cursor still lines up.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from crm_tui.ui.safe_text import visible_in_place


class SafeTextArea(TextArea):
    """A ``TextArea`` whose lines are drawn with control characters (but tab) visible."""

    def get_line(self, line_index: int) -> Text:
        """Line ``line_index`` as drawn, same length, controls made visible."""
        line = super().get_line(line_index)
        plain = line.plain
        drawn = visible_in_place(plain)
        if drawn is not plain:
            line.plain = drawn
        return line
