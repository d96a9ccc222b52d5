"""The command palette's search: titles fuzzily, and every word of titles and descriptions.

Textual's own provider matches a command's title only, so "status" never found Settings
(whose description names the statuses) and a variable's name never found its sort and
filter. ``CrmCommands`` searches the same system commands (``App.get_system_commands``,
so the sign-in gate still decides what exists) and also keeps a command when each typed
word starts a word of its title or description (any case, accents ignored).
"""

from __future__ import annotations

from textual.command import Hit, Hits
from textual.content import Content
from textual.system_commands import SystemCommandsProvider

from crm_tui.domain.text import search_tokens

TITLE_WORDS_SCORE = 0.9
"""Score of a command whose title words start with the typed words (above most fuzzy hits)."""
HELP_WORDS_SCORE = 0.5
"""Score of a command found by the words of its description only."""


def words_match(query: str, text: str) -> bool:
    """Whether each word of ``query`` starts a word of ``text`` (case and accents ignored)."""
    wanted = search_tokens(query)
    if not wanted:
        return False
    words = search_tokens(text)
    return all(any(word.startswith(part) for word in words) for part in wanted)


def plain(markup: str) -> str:
    """The text a palette entry shows (its titles and descriptions are markup)."""
    try:
        return Content.from_markup(markup).plain
    except Exception:  # not markup after all: shown as typed
        return markup


class CrmCommands(SystemCommandsProvider):
    """The app's commands, found by title (fuzzy) or by words of title and description."""

    async def search(self, query: str) -> Hits:
        """Every command whose title matches ``query``, or whose words start with its words."""
        matcher = self.matcher(query)
        for name, help_text, callback, *_rest in self.app.get_system_commands(self.screen):
            title = plain(name)
            described = plain(help_text or "")
            score, offsets = matcher.fuzzy_search.match(query, title)
            if words_match(query, title):
                score = max(score, TITLE_WORDS_SCORE)
            elif words_match(query, f"{title} {described}"):
                score = max(score, HELP_WORDS_SCORE)
                offsets = ()
            if score <= 0:
                continue
            display = Content(title)
            for offset in offsets:
                if 0 <= offset < len(title) and not title[offset].isspace():
                    display = display.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(score, display, callback, text=title, help=help_text)
