"""The notes screen: every note in a virtual list, sorted, filtered and searched by keys.

The list itself is ``NoteTable``; this screen owns the query (``note_query``), the bar
of active filters, the pickers, saved views and the note actions (new, open, edit,
delete). Database writes run in database threads awaited by async workers; the order and
the rows always come
from the domain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from crm_tui.domain import views
from crm_tui.domain.errors import DomainError
from crm_tui.domain.notes import delete_note
from crm_tui.domain.query import Condition, NoteQuery, SortKey, sort_columns
from crm_tui.domain.users import list_users
from crm_tui.i18n import _
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_markup
from crm_tui.ui.screens.bulk_edit import MarkingMixin
from crm_tui.ui.screens.notes_follow import FollowsSavedNote
from crm_tui.ui.screens.notes_labels import (
    NOTES_ACTIONS,
    column_labels,
    describe_condition,
    describe_query,
    describe_search,
    describe_sort,
    empty_list_help,
    fits_settings,
)
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.filter_bar import FilterBar, FilterChip
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.note_list import NoteTable
from crm_tui.ui.widgets.note_list.columns import all_columns

SEARCH_DELAY = 0.25
"""Seconds of quiet typing before the search runs."""


class NotesScreen(FollowsSavedNote, MarkingMixin, Screen[None]):
    """All notes, newest first until a sort is chosen."""

    CSS_PATH = "../styles/notes.tcss"
    AUTO_FOCUS = "#notes-table"
    BINDINGS = NOTES_ACTIONS.bindings()

    note_query: var[NoteQuery] = var(NoteQuery, init=False)
    """What the list shows: sort keys, conditions and search words."""

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None
        self._hidden_note: int | None = None
        """A note just saved that the filters or the search leave out (``x`` shows it)."""

    @property
    def table(self) -> NoteTable:
        """The list of notes."""
        return self.query_one("#notes-table", NoteTable)

    def compose(self) -> ComposeResult:
        """Header, filter bar, the list, the first-run help, the footer."""
        hidden = views.hidden_columns(self.session.signed_user)
        start = self.session.take_start_query()  # ``crm-tui --sort …``: the first list is that
        self.set_reactive(NotesScreen.note_query, start)
        yield Header()
        yield FilterBar(id="notes-bar")
        yield NoteTable(start, self.session, hidden_columns=hidden, id="notes-table")
        yield Static("", id="notes-empty")
        yield CrmFooter(compact=True)

    def on_mount(self) -> None:
        """The list takes the keys."""
        self.query_one("#notes-empty").display = False
        if self.note_query.search:
            search = self.query_one("#notes-search", Input)
            with search.prevent(Input.Changed):
                search.value = self.note_query.search
        self._show_chips()
        self.table.focus()

    # --- the query ------------------------------------------------------------------------

    def watch_note_query(self, old: NoteQuery, new: NoteQuery) -> None:
        """Run the new query; on a refusal, keep the old one and say why."""
        try:
            self.table.set_query(new)
        except DomainError as error:
            self.notify(str(error), severity="error")
            self.set_reactive(NotesScreen.note_query, old)
            return
        search = self.query_one("#notes-search", Input)
        if search.value.strip() != new.search:
            with search.prevent(Input.Changed):
                search.value = new.search
        self._show_chips()

    def _show_chips(self) -> None:
        settings = self.session.settings
        query = self.note_query
        chips = []
        if query.sort:
            chips.append(("sort", 0, Text(describe_sort(query.sort, settings))))
        for index, condition in enumerate(query.conditions):
            chips.append(("condition", index, describe_condition(condition, settings)))
        if query.search:
            chips.append(("search", 0, describe_search(query.search)))
        self.query_one(FilterBar).show_chips(chips)

    def _replace(self, **changes: Any) -> None:
        self.note_query = dataclasses.replace(self.note_query, **changes)

    @on(FilterChip.Removed)
    def _chip_removed(self, event: FilterChip.Removed) -> None:
        if event.kind == "sort":
            self._replace(sort=())
        elif event.kind == "search":
            self.action_clear_search()
        else:
            conditions = list(self.note_query.conditions)
            if 0 <= event.index < len(conditions):
                del conditions[event.index]
            self._replace(conditions=tuple(conditions))
        if (
            not self.note_query.sort
            and not self.note_query.conditions
            and not self.note_query.search
        ):
            self.table.focus()

    @on(NoteTable.HeaderClicked)
    def _header_clicked(self, event: NoteTable.HeaderClicked) -> None:
        """Click a header: sort by it, click again for descending, then no sort."""
        if event.column not in dict(sort_columns(self.session.settings)):
            return
        current = self.note_query.sort
        if len(current) == 1 and current[0].column == event.column:
            sort: tuple[SortKey, ...] = (
                () if current[0].descending else (SortKey(event.column, True),)
            )
        else:
            sort = (SortKey(event.column, False),)
        self._replace(sort=sort)

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        """Type words to search the notes' text and customer names."""
        self.query_one("#notes-search", Input).focus()

    @on(Input.Changed, "#notes-search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._run_search)

    def _run_search(self) -> None:
        self._search_timer = None
        words = self.query_one("#notes-search", Input).value.strip()
        if words != self.note_query.search:
            self._replace(search=words)

    @on(Input.Submitted, "#notes-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._run_search()
        self.table.focus()

    def action_clear_search(self) -> None:
        """Clear the search (and go back to the list)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        search = self.query_one("#notes-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        if self.note_query.search:
            self._replace(search="")
        self.table.focus()

    def action_clear_filters(self) -> None:
        """Drop every filter and the search (the sort stays); show the note just saved."""
        hidden, self._hidden_note = self._hidden_note, None
        self.action_clear_search()
        self._replace(conditions=())
        if hidden is not None:
            self.follow_note(hidden)

    # --- list events ----------------------------------------------------------------------

    @on(NoteTable.Counted)
    def _counted(self, event: NoteTable.Counted) -> None:
        count = event.count
        self.show_count(count)  # and how many are marked
        empty = self.query_one("#notes-empty", Static)
        empty.display = count == 0
        self.table.set_class(count == 0, "-empty")
        if count == 0:
            query = self.note_query
            filtered = bool(query.conditions or query.search)
            empty.update(empty_list_help(self, filtered=filtered, admin=self.session.is_admin))

    @on(NoteTable.Failed)
    def _failed(self, event: NoteTable.Failed) -> None:
        self.notify(event.problem, title=_("Cannot show the notes"), severity="error")

    @on(NoteTable.Opened)
    def _opened(self, event: NoteTable.Opened) -> None:
        self._open_view(event.note_id)

    def on_notes_changed(self, message: NotesChanged) -> None:
        """Someone saved or deleted notes: read the list again (on the note you saved)."""
        if message.saved and message.note_id is not None:
            self.follow_note(message.note_id)
        else:
            self.reload_following()

    def note_hidden(self, note_id: int) -> None:
        """The note just saved is left out by the filters or the search: say so."""
        self.table.reload()
        query = self.note_query
        if not (query.conditions or query.search):
            return
        self._hidden_note = note_id
        if query.conditions and query.search:
            text = _(
                "The note you saved is hidden by the filters and the search: "
                "press {key} to clear them."
            )
        elif query.conditions:
            text = _("The note you saved is hidden by the filters: press {key} to clear them.")
        else:
            text = _("The note you saved is hidden by the search: press {key} to clear it.")
        key = NOTES_ACTIONS.key(self, "notes.clear_filters")
        self.notify(text.format(key=key), severity="warning", timeout=8)

    def on_settings_changed(self, message: SettingsChanged) -> None:
        """Badges, statuses or variables changed: redraw and drop what no longer exists."""
        fitted = fits_settings(self.note_query, self.session.settings)
        self.set_reactive(NotesScreen.note_query, fitted)
        self.table.reload(fitted)
        self._show_chips()

    def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the search's hint, the chips, the column headers and the
        count in the new words (the query, the search typed and the cursor stay)."""
        self.query_one(FilterBar).relabel()
        self._show_chips()
        self.table.reload()

    def action_reload(self) -> None:
        """Read the notes again (changes made by others)."""
        self.table.reload()

    # --- note actions --------------------------------------------------------------------

    def action_new_note(self) -> None:
        """Write a new note."""
        from crm_tui.ui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(NoteEditorScreen(), self._edited)

    def _open_view(self, note_id: int) -> None:
        try:
            from crm_tui.ui.screens.note_view import NoteViewScreen
        except ImportError:  # the reading view is not there: edit instead
            from crm_tui.ui.screens.note_editor import NoteEditorScreen

            self.app.push_screen(NoteEditorScreen(note_id=note_id), self._edited)
            return
        self.app.push_screen(NoteViewScreen(note_id))

    def action_open_note(self) -> None:
        """Read the highlighted note."""
        note_id = self.table.highlighted_note_id
        if note_id is not None:
            self._open_view(note_id)

    def action_edit_note(self) -> None:
        """Edit the highlighted note."""
        note_id = self.table.highlighted_note_id
        if note_id is None:
            return
        from crm_tui.ui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(NoteEditorScreen(note_id=note_id), self._edited)

    def _edited(self, note_id: int | None) -> None:
        """The editor closed; a save already told every list (``notes_changed``): no reload."""

    def action_delete_note(self) -> None:
        """Delete the highlighted note, after asking."""
        note_id = self.table.highlighted_note_id
        row = self.table.row_at(self.table.cursor_row)
        if note_id is None or row is None:
            return
        question = _("Delete this note about {customer}?\n\n{summary}").format(
            customer=row.customer, summary=row.summary[:120]
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(note_id)

        self.app.push_screen(ConfirmScreen(question, yes=_("Delete"), no=_("Keep")), answered)

    @work(exclusive=True, group="notes-delete", exit_on_error=False)
    async def _delete(self, note_id: int) -> None:
        """Delete in a database thread; say so (or why not) and refresh the lists."""
        try:
            await off_thread(delete_note, self.session.signed_user, note_id)
        except DomainError as error:
            self.notify(str(error), severity="error")
        else:
            self.notify(_("Note deleted (u undoes it)."))
        self.crm_app.notes_changed(note_id)

    # --- pickers --------------------------------------------------------------------------

    def action_sort(self) -> None:
        """Choose the sort keys."""
        from crm_tui.ui.widgets.query_dialogs import SortDialog

        def chosen(sort: tuple[SortKey, ...] | None) -> None:
            if sort is not None:
                self._replace(sort=sort)

        columns = sort_columns(self.session.settings)
        self.app.push_screen(SortDialog(columns, self.note_query.sort), chosen)

    def action_filter(self) -> None:
        """Add a filter."""
        from crm_tui.ui.screens.notes_filter import FilterDialog

        def chosen(condition: Condition | None) -> None:
            if condition is not None:
                self._replace(conditions=(*self.note_query.conditions, condition))

        dialog = FilterDialog(
            self.session.settings,
            list_users(),
            self.session.today(),
            active=self.note_query.conditions,
            remove=self._remove_condition,
        )
        self.app.push_screen(dialog, chosen)

    def _remove_condition(self, condition: Condition) -> None:
        """Drop one filter (the first equal one), as the filter dialog's list asks."""
        conditions = list(self.note_query.conditions)
        if condition in conditions:
            conditions.remove(condition)
            self._replace(conditions=tuple(conditions))

    def action_columns(self) -> None:
        """Show or hide columns (remembered for this user)."""
        from crm_tui.ui.widgets.query_dialogs import ColumnsDialog

        def chosen(hidden: frozenset[str] | None) -> None:
            if hidden is not None:
                self.table.set_hidden_columns(hidden)
                self._remember_columns(hidden)

        columns = [(c.id, c.label) for c in all_columns(self.session.settings)]
        self.app.push_screen(ColumnsDialog(columns, self.table.hidden_columns), chosen)

    @work(group="notes-preferences", exit_on_error=False)
    async def _remember_columns(self, hidden: frozenset[str]) -> None:
        """Store the hidden columns in a database thread."""
        try:
            await off_thread(views.set_hidden_columns, self.session.signed_user, hidden)
        except Exception as error:
            self.notify(str(error), severity="error")

    # --- saved views ----------------------------------------------------------------------

    def action_save_view(self) -> None:
        """Save the sort, filters and search under a name."""
        from crm_tui.ui.widgets.query_dialogs import ViewNameDialog

        query = self.note_query
        summary = describe_query(query, self.session.settings)

        def named(name: str | None) -> None:
            if not name:
                return
            if views.view_exists(self.session.signed_user, name):

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._save_view(name, query)

                question = _("Replace your view {name!r}?").format(name=name)
                self.app.push_screen(
                    ConfirmScreen(question, yes=_("Replace"), no=_("Cancel")), answered
                )
            else:
                self._save_view(name, query)

        self.app.push_screen(ViewNameDialog(summary), named)

    @work(group="notes-views", exit_on_error=False)
    async def _save_view(self, name: str, query: NoteQuery) -> None:
        """Save a view in a database thread; say so, or why not."""
        try:
            saved = await off_thread(
                views.save_view, self.session.signed_user, name, query, replace=True
            )
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(_("View {name!r} saved.").format(name=saved.name))

    def action_open_views(self) -> None:
        """Open or delete one of your saved views."""
        from crm_tui.ui.widgets.query_dialogs import ViewsDialog

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            what, name = result
            if what == "open":
                self.open_view(name)
            else:
                question = _("Delete your view {name!r}?").format(name=name)
                self.app.push_screen(
                    ConfirmScreen(question, yes=_("Delete"), no=_("Keep")),
                    lambda yes: self._delete_view(name) if yes else None,
                )

        names = [view.name for view in views.list_views(self.session.signed_user)]
        self.app.push_screen(ViewsDialog(names), chosen)

    def open_view(self, name: str) -> None:
        """Show the user's saved view ``name``."""
        try:
            view = views.get_view(self.session.signed_user, name)
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        self.note_query = fits_settings(view.query, self.session.settings)
        self.notify(_("View: {name}").format(name=view.name), timeout=2)

    def _delete_view(self, name: str) -> None:
        try:
            views.delete_view(self.session.signed_user, name)
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(_("View {name!r} deleted.").format(name=name))

    # --- command palette ------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every action of this screen by name, and one "View: NAME" per saved view."""
        yield from NOTES_ACTIONS.commands(self)
        yield from self.column_commands()
        for view in views.list_views(self.session.signed_user):
            yield SystemCommand(  # the palette reads markup: names are escaped
                safe_markup(_("View: {name}").format(name=view.name)),
                safe_markup(describe_query(view.query, self.session.settings)),
                partial(self.open_view, view.name),
            )

    def column_commands(self) -> Iterable[SystemCommand]:
        """ "Sort by NAME" and "Filter by NAME" per column: found by typing a column's name.

        Not listed in the open palette (``discover``): they show once something is typed.
        """
        for column, label in sort_columns(self.session.settings):
            yield SystemCommand(
                safe_markup(_("Sort by {column}").format(column=label)),
                safe_markup(
                    _("Sort the notes by {column} ({key}: several keys)").format(
                        column=label, key=NOTES_ACTIONS.key(self, "notes.sort")
                    )
                ),
                partial(self._sort_by, column),
                False,
            )
        for column, label in column_labels(self.session.settings).items():
            if column in self._filterable():
                yield SystemCommand(
                    safe_markup(_("Filter by {column}").format(column=label)),
                    safe_markup(
                        _("Keep the notes with a given {column} ({key})").format(
                            column=label, key=NOTES_ACTIONS.key(self, "notes.filter")
                        )
                    ),
                    partial(self._filter_by, column),
                    False,
                )

    def _filterable(self) -> set[str]:
        from crm_tui.ui.screens.notes_filter import filter_columns

        return {column for column, _label, _kind in filter_columns(self.session.settings)}

    def _sort_by(self, column: str) -> None:
        """Sort by ``column`` alone, ascending (the palette's "Sort by NAME")."""
        self._replace(sort=(SortKey(column, False),))

    def _filter_by(self, column: str) -> None:
        """Open the filter dialog on ``column`` (the palette's "Filter by NAME")."""
        self.action_filter()
        dialog = self.app.screen

        def pick() -> None:
            from textual.widgets import OptionList

            found = dialog.query("#filter-columns")
            if not found or not isinstance(found.first(), OptionList):
                return
            columns = found.first(OptionList)
            try:
                columns.highlighted = columns.get_option_index(column)
            except Exception:  # the dialog lists other columns: leave it as it opened
                return
            columns.action_select()

        dialog.call_after_refresh(pick)
