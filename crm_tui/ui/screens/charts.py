"""Charts: the pipeline amount by close month (stacked by stage) above the notes written
per week by action over the last 12 weeks. Read off the UI thread; read again when notes
or settings change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widgets import Header, Static

from crm_tui.domain.cockpit import pipeline
from crm_tui.domain.cockpit.pipeline import MonthAmount, PipelineFilter, WeekCount
from crm_tui.domain.locale_values import currency
from crm_tui.i18n import _
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_format, safe_text
from crm_tui.ui.screens.pipeline_board import starting_filter
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.pipeline_charts import (
    StackedChart,
    amount_series,
    month_label,
    week_label,
    week_series,
)

WEEKS = 12
"""Weeks the notes chart shows."""

CHARTS_ACTIONS = ActionTable(
    Action(
        "charts.reload",
        "r",
        "reload",
        N_("Refresh"),
        title=N_("Refresh the charts"),
        help=N_("Read the figures again ({key})"),
    ),
)
"""The keys of ``ChartsScreen``."""


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the charts show."""

    flt: PipelineFilter
    amounts: tuple[MonthAmount, ...] | None
    """``None``: still being read."""
    weeks: tuple[WeekCount, ...]


def read_weeks(
    user: UserInfo, settings: Settings, today: dt.date
) -> tuple[PipelineFilter, tuple[WeekCount, ...]]:
    """The user's board variables and the notes per week. Runs off the UI thread."""
    return starting_filter(user, settings), pipeline.notes_per_week(today, WEEKS, settings)


class ChartsScreen(UsesSession, Screen[None]):
    """Two charts, one above the other."""

    BINDINGS = CHARTS_ACTIONS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.data: ChartData | None = None
        self._stale = False
        """Notes or settings changed while the charts were out of sight."""

    def compose(self) -> ComposeResult:
        """A title over each chart."""
        yield Header()
        yield Static("", id="charts-amounts-title", classes="chart-title")
        yield StackedChart(id="charts-amounts")
        yield Static("", id="charts-notes-title", classes="chart-title")
        yield StackedChart(id="charts-notes")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the figures off the UI thread."""
        self.sub_title = _("Charts")
        self.load()

    def load(self) -> None:
        """Read the figures again."""
        self._read()

    @work(exclusive=True, group="charts-read", exit_on_error=False)
    async def _read(self) -> None:
        """The notes per week first (a few milliseconds), drawn at once; then the amounts
        by close month (the longer read), drawn when they come. One read at a time: two
        at once only slowed the first down."""
        session = self.session
        settings, today = session.settings, session.today()
        try:
            flt, weeks = await off_thread(read_weeks, session.signed_user, settings, today)
            self.data = ChartData(flt, None, weeks)
            self.draw()
            amounts: tuple[MonthAmount, ...] = ()
            if flt.sum_variable_id is not None:
                amounts = await off_thread(pipeline.amount_by_close_month, flt, settings)
            self.data = ChartData(flt, amounts, weeks)
            self.draw()
        except Exception as error:  # said in the title; the charts shown stay
            message = _("The figures could not be read: {error}").format(error=error)
            self.query_one("#charts-amounts-title", Static).update(safe_text(message))

    def draw(self) -> None:
        """Both charts and their titles, in the language in force."""
        data = self.data
        if data is None:
            return
        settings = self.session.settings
        today = self.session.today()
        sum_variable = settings.variable(data.flt.sum_variable_id)
        close_variable = settings.variable(data.flt.close_variable_id)
        title = self.query_one("#charts-amounts-title", Static)
        if sum_variable is None or close_variable is None:
            title.update(_("Pipeline amount by close month: needs a currency and a date variable"))
        else:
            title.update(
                safe_format(
                    _("Pipeline {amount} ({currency}) by {close} month, stacked by stage"),
                    amount=sum_variable.name,
                    currency=currency(),
                    close=close_variable.name,
                )
            )
        if data.amounts is not None:
            stages = [s for s in settings.statuses if s.in_sequence and not s.archived]
            months, layers = amount_series(data.amounts, stages, today)
            self.query_one("#charts-amounts", StackedChart).draw(
                [month_label(m) for m in months], layers, _("Close month"), amounts=True
            )
        self.query_one("#charts-notes-title", Static).update(
            _("Notes per week by action, last {weeks} weeks").format(weeks=WEEKS)
        )
        actions = [a for a in settings.actions if not a.archived]
        mondays, layers = week_series(data.weeks, actions, today, WEEKS)
        self.query_one("#charts-notes", StackedChart).draw(
            [week_label(m) for m in mondays], layers, _("Week of"), amounts=False
        )

    def action_reload(self) -> None:
        """Read the figures again."""
        self.load()

    def on_notes_changed(self, _message: NotesChanged) -> None:
        """Notes changed: the figures again (when the charts show; else when they come
        back)."""
        if self.is_current:
            self.load()
        else:
            self._stale = True

    def on_settings_changed(self, _message: SettingsChanged) -> None:
        """Statuses, actions or variables changed: the figures again."""
        self.on_notes_changed(NotesChanged())

    def on_screen_resume(self) -> None:
        """Back on the charts: read them again if notes or settings changed meanwhile."""
        if self._stale and self.data is not None:
            self._stale = False
            self.load()

    def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: titles, ticks and labels again."""
        self.sub_title = _("Charts")
        self.draw()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's actions, by name."""
        yield from CHARTS_ACTIONS.commands(self)
