"""Stored text to what is drawn: Rich ``Text``, never markup, control characters visible.

Every widget that shows stored text (names, note texts, values) or a message that may
embed it goes through here:

- ``safe_text``: one stored value as literal ``Text``;
- ``shown``: a message (a ``str`` that may embed stored names, or ``Text`` already built)
  as literal ``Text``, newlines kept; for ``Static.update``, ``Label`` and dialogs;
- ``safe_format``: a trusted template (``_("Delete {name!r}?")``) filled with untrusted
  values, assembled piece by piece, each value made visible;
- ``safe_markup``: for the few Textual APIs that only take markup strings (command
  palette titles and help): the text made visible, then escaped.
"""

from __future__ import annotations

from string import Formatter

from rich.style import Style
from rich.text import Text

from crm_tui.domain.text import is_control, visible


def safe_text(text: str | None, style: Style | str = "", *, keep_newlines: bool = False) -> Text:
    """``text`` as literal Rich ``Text``: ``[b]`` stays ``[b]``, ESC shows as ``␛``."""
    return Text(visible(text or "", keep="\n\t" if keep_newlines else ""), style=style)


def shown(message: str | Text | None, style: Style | str = "") -> Text:
    """A message as literal ``Text`` (``Text`` is kept as built; a ``str`` is never markup).

    Newlines (and tabs) of a ``str`` stay, every other control character is made visible.
    """
    if isinstance(message, Text):
        if style:
            message = message.copy()
            message.stylize_before(style)
        return message
    return Text(visible(message or "", keep="\n\t"), style=style)


def safe_format(template: str, /, style: Style | str = "", **values: object) -> Text:
    """``template.format(**values)`` as ``Text``; the values drawn literally and visibly.

    The template is trusted (it comes from ``_()``), the values are not: each is
    converted (``!r``/``!s``, format spec) on its own, made visible on one line and
    appended as plain text, so neither can be read as markup or terminal control.
    """
    text = Text(style=style)
    for literal, field, spec, conversion in Formatter().parse(template):
        if literal:
            text.append(visible(literal, keep="\n\t"))
        if field is None:
            continue
        value = values[field]
        if conversion == "r":
            value = repr(value)
        elif conversion == "a":
            value = ascii(value)
        elif conversion == "s":
            value = str(value)
        part = format(value, spec or "")
        text.append(visible(part))
    return text


def safe_markup(text: str | None) -> str:
    """``text`` made visible and escaped, for an API that parses Textual markup.

    Every ``[`` is escaped as ``\\[`` (Textual's markup reads other backslashes
    literally), so no part of the text is ever read as a tag.
    """
    return visible(text or "").replace("[", "\\[")


def _one_char(char: str) -> str:
    """One visible character for a control character (``ESC`` as ``␛``, C1 as ``�``)."""
    shown_char = visible(char)
    return shown_char if len(shown_char) == 1 else "\ufffd"


def visible_in_place(text: str, *, keep: str = "\t") -> str:
    """``text`` with each control character replaced by ONE visible character.

    For editable fields: the drawn text keeps the value's length, so cursor positions
    and selections still line up; the value itself is untouched.
    """
    if text.isprintable():
        return text
    return "".join(
        _one_char(char) if char not in keep and is_control(char) else char for char in text
    )
