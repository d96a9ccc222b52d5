"""One-line fields that never send a control character of their value to the terminal.

A stored name or note text (or a paste) may hold ``ESC`` and friends: the field keeps
the value exactly as it is, but draws each control character as one visible character
(``␛``), so the cursor still lines up. The note editor's multi-line field is
``safe_text_area.SafeTextArea`` (kept apart: Textual's TextArea is slow to import, and
the first screen does not need it).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from crm_tui.ui.safe_text import visible_in_place


class SafeInput(Input):
    """An ``Input`` whose value is drawn with control characters visible."""

    @property
    def _value(self) -> Text:
        """The value as drawn (Textual's hook), same length, controls made visible."""
        text = super()._value
        plain = text.plain
        drawn = visible_in_place(plain, keep="")
        if drawn is not plain:
            text.plain = drawn  # same length: highlights and the cursor keep their place
        return text
