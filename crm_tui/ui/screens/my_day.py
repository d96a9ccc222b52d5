"""My day: the signed-in user's open follow-ups, overdue, today and the next days.

Sections (overdue, today, one per next day) with their counts in the headers; within
each, the customers callable now first (the domain's order), with the Local column.
``enter`` reads the note; ``o`` logs an outcome: the note editor prefilled with a new note
for the same customer, action and status, the follow-up from the action's default; saving
it marks the old note's follow-up handled (one undo step). Admins look at anyone's day.
The day is read off the UI thread and again whenever notes or settings change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui import clock
from crm_tui.domain.cockpit.agenda import MyDay, load_my_day, outcome_prefill, save_outcome
from crm_tui.domain.cockpit.hours import CallLight
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.notes import NoteInput
from crm_tui.domain.users import list_users
from crm_tui.i18n import _, ngettext
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_format, safe_text
from crm_tui.ui.screens.note_editor import (
    Conflicted,
    FormDefaults,
    NoteEditorScreen,
    Refused,
    Saved,
)
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.call_light import SYMBOLS, has_local_column, light_meaning
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.note_list.day_list import DayList, Section

DAYS_AHEAD = 7
"""The next days shown, one section each, unless the user chooses otherwise."""
DAY_CHOICES = (1, 3, 7, 14, 30)
"""What the days key steps through."""

MY_DAY_ACTIONS = ActionTable(
    Action(
        "list.open",
        "enter",
        "open_note",
        N_("Open"),
        title=N_("Open note"),
        help=N_("Read the highlighted note ({key})"),
        bind=False,  # the list's own enter
    ),
    Action(
        "myday.outcome",
        "o",
        "log_outcome",
        N_("Log outcome"),
        title=N_("Log outcome"),
        help=N_(
            "A new note for the same customer, action and status; "
            "the highlighted note's follow-up is handled ({key})"
        ),
    ),
    Action(
        "myday.days",
        "d",
        "next_days",
        N_("Days"),
        title=N_("Days ahead"),
        help=N_("Show the next 1, 3, 7, 14 or 30 days ({key})"),
    ),
    Action(
        "myday.user",
        "w",
        "pick_user",
        N_("Whose day"),
        title=N_("Someone else's day"),
        help=N_("Admins: look at another user's day ({key})"),
    ),
    Action(
        "myday.reload",
        "r",
        "reload",
        N_("Reload"),
        title=N_("Reload my day"),
        help=N_("Read the follow-ups again ({key})"),
        show=False,
    ),
)
"""The keys of ``MyDayScreen``."""

USER_DIALOG_ACTIONS = ActionTable(
    Action("myday.user.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``UserDialog`` (enter chooses: the list's own key)."""


def sections_of(day: MyDay) -> list[Section]:
    """The domain's sections as the list draws them."""
    return [
        Section(section.kind, section.day, tuple(section.rows), section.total)
        for section in day.sections
    ]


def save_outcome_form(
    handled_note_id: int,
    user: UserInfo,
    data: NoteInput,
    today: dt.date,
    note_id: int | None,
    version: int | None,
    settings: Settings,
) -> Saved | Refused | Conflicted:
    """In a database thread: save the outcome of ``handled_note_id`` (the editor's save)."""
    try:
        return Saved(save_outcome(user, handled_note_id, data, today).id)
    except ValidationError as error:
        return Refused(error.field, error.problem)
    except DomainError as error:
        return Refused(None, str(error))


def legend() -> Text:
    """What the lights mean, symbol by symbol (for terminals without colour too)."""
    line = Text()
    for light in (CallLight.OPEN, CallLight.CLOSING, CallLight.OPENING, CallLight.CLOSED):
        if line:
            line.append("  ")
        line.append(SYMBOLS[light], style="bold")
        line.append(" " + light_meaning(light))
    return line


class UserDialog(ModalScreen[int | None]):
    """Pick a user (whose day to show); dismisses with their id, or ``None``."""

    BINDINGS = USER_DIALOG_ACTIONS.bindings()

    def __init__(self, users: list[UserInfo], current: int) -> None:
        super().__init__()
        self.users = users
        self.current = current

    def compose(self) -> ComposeResult:
        """The users, the one shown highlighted."""
        with Vertical(id="user-dialog"):
            yield Label(_("Whose day?"), classes="dialog-title")
            yield Static(
                _("enter: choose · {cancel}: cancel").format(
                    cancel=USER_DIALOG_ACTIONS.key(self, "myday.user.cancel", short=True)
                ),
                classes="hint",
            )
            yield OptionList(
                *[Option(safe_text(user.name), id=str(user.id)) for user in self.users],
                id="user-options",
            )
        yield CrmFooter()

    def on_mount(self) -> None:
        """The list takes the keys, on the user shown."""
        options = self.query_one(OptionList)
        ids = [user.id for user in self.users]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        """Close; the same day stays."""
        self.dismiss(None)


class MyDayScreen(UsesSession, Screen[None]):
    """The open follow-ups of the signed-in user (or, for an admin, anyone's)."""

    CSS_PATH = "../styles/my_day.tcss"
    AUTO_FOCUS = "#my-day-list"
    BINDINGS = MY_DAY_ACTIONS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.days = DAYS_AHEAD
        self.for_user: UserInfo | None = None
        """Whose day is shown (``None``: the signed-in user's)."""
        self.day: MyDay | None = None

    @property
    def day_list(self) -> DayList:
        """The list of sections and notes."""
        return self.query_one("#my-day-list", DayList)

    def compose(self) -> ComposeResult:
        """Header, whose day and how far, the lights' legend, the list, the footer."""
        yield Header()
        yield Static("", id="my-day-title")
        yield Static("", id="my-day-legend")
        yield Static("", id="my-day-empty")
        yield DayList(self.session, id="my-day-list")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the day."""
        self.sub_title = _("My day")
        self.query_one("#my-day-empty").display = False
        self._show_words()
        self.reload()

    # --- reading ------------------------------------------------------------------------

    def reload(self, keep_note_id: int | None = None) -> None:
        """Read the day again (the cursor stays on its note, or goes to ``keep_note_id``)."""
        note = self.day_list.highlighted_note if self.is_mounted else None
        keep = keep_note_id if keep_note_id is not None else (note.id if note else None)
        user = self.for_user
        self._read(user.id if user else None, self.days, keep)

    @work(exclusive=True, group="my-day-load", exit_on_error=False)
    async def _read(self, for_user_id: int | None, days: int, keep: int | None) -> None:
        """Read the day in a database thread, then show it."""
        session = self.session
        actor, today, now = session.signed_user, session.today(), clock.utc_now()
        try:
            day = await off_thread(load_my_day, actor, for_user_id, days, today, now)
        except DomainError as error:
            self.notify(str(error), title=_("Cannot show the day"), severity="error")
            return
        self._show(day, keep)

    def _show(self, day: MyDay, keep: int | None) -> None:
        self.day = day
        self.day_list.show(sections_of(day), keep_note_id=keep)
        self._show_words()

    def _show_words(self) -> None:
        """The title line, the legend and the empty day's line, in the language in force."""
        signed = self.session.signed_user
        user = self.day.user if self.day is not None else (self.for_user or signed)
        days = self.days
        if user.id == signed.id:
            template = ngettext(
                "Your open follow-ups: overdue, today and tomorrow",
                "Your open follow-ups: overdue, today and the next {days} days",
                days,
            )
            title = Text(template.format(days=days), style="bold")
        else:
            template = ngettext(
                "Open follow-ups of {user}: overdue, today and tomorrow",
                "Open follow-ups of {user}: overdue, today and the next {days} days",
                days,
            )
            title = safe_format(template, style="bold", user=user.name, days=days)
        self.query_one("#my-day-title", Static).update(title)
        legend_line = self.query_one("#my-day-legend", Static)
        legend_line.display = has_local_column(self.session.settings)
        legend_line.update(legend())
        empty = self.query_one("#my-day-empty", Static)
        total = sum(s.count for s in self.day.sections) if self.day is not None else None
        empty.display = total == 0
        if total == 0:
            empty.update(
                Text(
                    ngettext(
                        "Nothing to follow up today or tomorrow: the day is clear.",
                        "Nothing to follow up today or in the next {days} days: the day is clear.",
                        days,
                    ).format(days=days)
                )
            )

    # --- live refresh -------------------------------------------------------------------

    def on_notes_changed(self, message: NotesChanged) -> None:
        """Notes changed (here or by someone else): read the day again."""
        self.reload(message.note_id if message.saved else None)

    def on_settings_changed(self, _message: SettingsChanged) -> None:
        """Badges, done statuses, zones or hours changed: draw and read again."""
        self.day_list.settings_changed()
        self.reload()

    def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the words and the section headers again."""
        self.sub_title = _("My day")
        self._show_words()
        self.day_list.settings_changed()

    # --- actions ------------------------------------------------------------------------

    @on(DayList.MinutePassed)
    def _minute_passed(self, _event: DayList.MinutePassed) -> None:
        """Callable customers come first: as hours open and close, read the day again."""
        self.reload()

    @on(DayList.Opened)
    def _opened(self, event: DayList.Opened) -> None:
        event.stop()
        self._open(event.row_id)

    def _open(self, note_id: int) -> None:
        from crm_tui.ui.screens.note_view import NoteViewScreen

        self.app.push_screen(NoteViewScreen(note_id))

    def action_open_note(self) -> None:
        """Read the highlighted note."""
        note = self.day_list.highlighted_note
        if note is not None:
            self._open(note.id)

    def action_log_outcome(self) -> None:
        """A new note for the highlighted note's customer, its follow-up then handled."""
        note = self.day_list.highlighted_note
        if note is None:
            self.notify(_("No follow-up here: move to a note first."), severity="warning")
            return
        self._prefill(note.id)

    @work(exclusive=True, group="my-day-outcome", exit_on_error=False)
    async def _prefill(self, note_id: int) -> None:
        """Read what the outcome starts with, then open the editor on it."""
        try:
            prefill = await off_thread(outcome_prefill, note_id, self.session.today())
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        defaults = FormDefaults(
            action_id=prefill.action_id,
            status_id=prefill.status_id,
            assignee_id=prefill.assignee_id,
            follow_up=prefill.follow_up,
        )
        editor = NoteEditorScreen(
            customer=prefill.customer,
            defaults=defaults,
            save=partial(save_outcome_form, note_id),
            title=_("Log outcome"),
        )
        self.app.push_screen(editor)

    def action_next_days(self) -> None:
        """Show more days ahead (1, 3, 7, 14, 30, then 1 again)."""
        later = [days for days in DAY_CHOICES if days > self.days]
        self.days = later[0] if later else DAY_CHOICES[0]
        self._show_words()
        self.reload()

    def action_pick_user(self) -> None:
        """Admins: choose whose day to show."""
        if not self.session.is_admin:
            self.notify(_("Only admins look at someone else's day."), severity="warning")
            return
        self._pick_user()

    @work(exclusive=True, group="my-day-users", exit_on_error=False)
    async def _pick_user(self) -> None:
        users = [user for user in await off_thread(list_users) if user.active]
        shown = self.for_user or self.session.signed_user

        def chosen(user_id: int | None) -> None:
            if user_id is None:
                return
            signed = self.session.signed_user
            picked = next((user for user in users if user.id == user_id), None)
            self.for_user = None if picked is None or picked.id == signed.id else picked
            self.day = None
            self._show_words()
            self.reload()

        self.app.push_screen(UserDialog(users, shown.id), chosen)

    def action_reload(self) -> None:
        """Read the day again."""
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A rep's footer does not offer someone else's day."""
        if action == "pick_user":
            return self.session.is_admin
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The day's actions, by name."""
        for action in MY_DAY_ACTIONS:
            if action.id == "myday.user" and not self.session.is_admin:
                continue
            if action.title is not None:
                yield MY_DAY_ACTIONS.command(self, action.id)
