"""The pipeline board: the in-sequence statuses as stages, each customer once as a card.

The stages stand left to right in the sequence's order, each under a header in its
status's colours with its count and exact sum. Each stage's cards scroll on their own
(only the cards in view are read: ``stage_cards``). Left/right go from stage to stage,
up/down from card to card; shift+left/right (or ``<`` ``>``) move the customer to the
previous/next stage (a new note, undone by the app's undo key), enter opens its notes.
The amount summed (a currency variable) is chosen with a key and remembered per user;
so is the close date (a date variable). Close dates (this month, this quarter, a range)
and the assignee filter the board. Everything is read off the UI thread; the board reads
again when notes change (here, by undo, or by others).

When the stages do not all fit (under ``MIN_STAGE_WIDTH`` cells each), the board shows
as many as fit and scrolls sideways to keep the current one in view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from crm_tui.domain import preferences
from crm_tui.domain.cockpit import pipeline
from crm_tui.domain.cockpit.pipeline import Card, Pipeline, PipelineFilter, Stage
from crm_tui.domain.errors import DomainError
from crm_tui.domain.locale_values import add_months, shown_date
from crm_tui.domain.users import list_users
from crm_tui.i18n import _, format_count, ngettext
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.safe_text import safe_format, safe_text
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.pipeline_cards import BLOCK, StageCards, fit, stage_cards_id, stage_header
from crm_tui.ui.widgets.pipeline_dialogs import Choice, ChoiceDialog, CloseRangeDialog

MIN_STAGE_WIDTH = 20
"""Cells a stage needs at least: a name, an amount and a date on a card's second line."""
HEADER_LINES = 3
"""Lines of a stage's header: its name on its colours, the count, the sum."""

PIPELINE_BOARD_ACTIONS = ActionTable(
    Action(
        "board.open",
        "enter",
        "open_customer",
        N_("Notes"),
        title=N_("Open the customer's notes"),
        help=N_("The notes of the customer under the cursor ({key})"),
    ),
    Action(
        "board.move_back",
        "shift+left,less_than_sign",
        "move_card(-1)",
        N_("◀ Move"),
        title=N_("Move to the previous stage"),
        help=N_("The customer goes back one stage: a new note with that status ({key})"),
    ),
    Action(
        "board.move_on",
        "shift+right,greater_than_sign",
        "move_card(1)",
        N_("Move ▶"),
        title=N_("Move to the next stage"),
        help=N_("The customer goes on to the next stage: a new note with that status ({key})"),
    ),
    Action(
        "board.sum",
        "s",
        "choose_sum",
        N_("Amount"),
        title=N_("Pipeline amount"),
        help=N_("Choose the currency variable the board sums ({key})"),
    ),
    Action(
        "board.period",
        "d",
        "choose_period",
        N_("Dates"),
        title=N_("Pipeline close dates"),
        help=N_("Show the customers closing this month, this quarter or in a range ({key})"),
    ),
    Action(
        "board.assignee",
        "a",
        "choose_assignee",
        N_("Assignee"),
        title=N_("Pipeline assignee"),
        help=N_("Show one person's customers, or everyone's ({key})"),
    ),
    Action(
        "board.close",
        "c",
        "choose_close",
        N_("Close date"),
        title=N_("Pipeline close date"),
        help=N_("Choose the date variable read as the close date ({key})"),
        show=False,
    ),
    Action(
        "board.left",
        "left",
        "stage(-1)",
        N_("Previous stage"),
        show=False,
    ),
    Action(
        "board.right",
        "right",
        "stage(1)",
        N_("Next stage"),
        show=False,
    ),
    Action("board.up", "up", "card(-1)", N_("Up"), show=False),
    Action("board.down", "down", "card(1)", N_("Down"), show=False),
    Action("board.page_up", "pageup", "card_page(-1)", N_("Page up"), show=False),
    Action("board.page_down", "pagedown", "card_page(1)", N_("Page down"), show=False),
    Action("board.first", "home", "card_edge(0)", N_("First"), show=False),
    Action("board.last", "end", "card_edge(1)", N_("Last"), show=False),
    Action(
        "board.reload",
        "r",
        "reload",
        N_("Refresh"),
        title=N_("Refresh the board"),
        help=N_("Read the pipeline again ({key})"),
        show=False,
    ),
)
"""The keys of ``PipelineBoardScreen`` (up, down… drive the current stage's cards)."""


class Period(StrEnum):
    """Which close dates the board shows."""

    ANY = "any"
    MONTH = "month"
    QUARTER = "quarter"
    RANGE = "range"


def period_bounds(
    period: Period, today: dt.date, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last close dates (inclusive) ``period`` means on ``today``."""
    if period is Period.MONTH:
        first = today.replace(day=1)
        return first, add_months(first, 1) - dt.timedelta(days=1)
    if period is Period.QUARTER:
        first = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return first, add_months(first, 3) - dt.timedelta(days=1)
    if period is Period.RANGE:
        return start, end
    return None, None


def currency_variables(settings: Settings) -> list[tuple[int, str]]:
    """The currency variables (not archived), in order: the amounts a board may sum."""
    return [(v.id, v.name) for v in settings.active_variables if v.type == "currency"]


def date_variables(settings: Settings) -> list[tuple[int, str]]:
    """The date variables (not archived), in order: the close dates a board may read."""
    return [(v.id, v.name) for v in settings.active_variables if v.type == "date"]


def starting_filter(user: UserInfo, settings: Settings) -> PipelineFilter:
    """The board's variables: the user's remembered ones if they still fit, else the first
    currency variable and the default close variable. Runs off the UI thread."""
    sums = [variable_id for variable_id, _name in currency_variables(settings)]
    closes = [variable_id for variable_id, _name in date_variables(settings)]
    chosen_sum = preferences.pipeline_sum_variable(user)
    chosen_close = preferences.pipeline_close_variable(user)
    return PipelineFilter(
        sum_variable_id=chosen_sum if chosen_sum in sums else (sums[0] if sums else None),
        close_variable_id=(
            chosen_close if chosen_close in closes else pipeline.default_close_variable(settings)
        ),
    )


@dataclass(frozen=True, slots=True)
class BoardData:
    """What the board shows: the stages, their first cards, for one filter."""

    flt: PipelineFilter
    pipeline: Pipeline
    cards: dict[int, tuple[Card, ...]]


def read_board(
    flt: PipelineFilter | None,
    settings: Settings,
    user: UserInfo,
    limits: PipelineFilter,
    first: int = BLOCK,
) -> BoardData:
    """The pipeline and the first ``first`` cards of each stage, in one database call (each
    query takes a few milliseconds on the customers' kept state: one call beats several
    threads fighting the UI for the interpreter). ``flt`` ``None``: the user's variables
    first (``starting_filter``), with the close dates and assignee of ``limits``."""
    if flt is None:
        flt = dataclasses.replace(
            starting_filter(user, settings),
            close_from=limits.close_from,
            close_to=limits.close_to,
            assignee_id=limits.assignee_id,
        )
    board = pipeline.load_pipeline(flt, settings)
    cards = {
        stage.status.id: pipeline.stage_cards(flt, stage.status.id, 0, first, settings)
        for stage in board.stages
        if stage.customers
    }
    return BoardData(flt, board, cards)


class StageColumn(Vertical):
    """One stage: its header over its cards."""

    def __init__(
        self, stage: Stage, cards: Sequence[Card] | None, board: PipelineBoardScreen
    ) -> None:
        super().__init__(classes="stage-column")
        self.stage = stage
        self.cards = StageCards(stage, cards, board.fetch_cards, id=stage_cards_id(stage.status.id))

    def compose(self) -> ComposeResult:
        """Header, then cards."""
        yield Static("", classes="stage-header")
        yield self.cards

    def show(
        self, stage: Stage, cards: Sequence[Card] | None, select_id: int | None = None
    ) -> None:
        """The stage read again."""
        self.stage = stage
        self.cards.show(stage, cards, select_id=select_id)
        self.draw_header()

    def draw_header(self) -> None:
        """The header at the column's width."""
        width = self.content_region.width or self.size.width or MIN_STAGE_WIDTH
        self.query_one(".stage-header", Static).update(stage_header(self.stage, width))

    def on_resize(self) -> None:
        """The header fits the new width."""
        self.draw_header()


class PipelineBoardScreen(UsesSession, Screen[None]):
    """The pipeline, stage by stage, one card per customer."""

    BINDINGS = PIPELINE_BOARD_ACTIONS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.flt: PipelineFilter | None = None
        """The filter shown (``None`` until the user's variables are read)."""
        self.period = Period.ANY
        self.range: tuple[dt.date | None, dt.date | None] = (None, None)
        self.assignee: UserInfo | None = None
        self.data: BoardData | None = None
        self.stage_index = 0
        """The current stage (the one whose cards have the cursor)."""
        self.first_shown = 0
        """The first stage on screen when they do not all fit."""
        self._follow: tuple[int, int] | None = None
        """(status id, customer id) the cursor goes to once the board is read again."""
        self._moving = False
        self._stale = False
        """Notes or settings changed while the board was out of sight."""

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Filters, the stages, the line below them, the keys."""
        yield Header()
        yield Static("", id="board-filters")
        yield Horizontal(id="board-stages")
        yield Static(_("Reading the pipeline…"), id="board-below")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the user's variables and the pipeline off the UI thread."""
        self.sub_title = _("Pipeline")
        self.load()

    @property
    def columns(self) -> list[StageColumn]:
        """The stage columns, in sequence order."""
        return list(self.query(StageColumn))

    @property
    def current_cards(self) -> StageCards | None:
        """The card list of the current stage."""
        columns = self.columns
        if not columns:
            return None
        return columns[min(self.stage_index, len(columns) - 1)].cards

    # --- reading --------------------------------------------------------------------------

    def load(self, *, follow: tuple[int, int] | None = None) -> None:
        """Read the board again (the filter as it is; ``follow``: the card to put the
        cursor on)."""
        if follow is not None:
            self._follow = follow
        self._read(self.flt)

    @work(exclusive=True, group="pipeline-board-read", exit_on_error=False)
    async def _read(self, flt: PipelineFilter | None) -> None:
        """The filter (the first time: the user's variables), then the stages and cards."""
        try:
            limits = self._with_period(PipelineFilter())
            session = self.session
            data = await off_thread(read_board, flt, session.settings, session.signed_user, limits)
        except Exception as error:  # said below the board; the board shown stays
            message = _("The pipeline could not be read: {error}").format(error=error)
            self.query_one("#board-below", Static).update(safe_text(message))
            return
        await self._show(data)

    def _with_period(self, flt: PipelineFilter) -> PipelineFilter:
        start, end = period_bounds(self.period, self.session.today(), *self.range)
        return dataclasses.replace(
            flt,
            close_from=start,
            close_to=end,
            assignee_id=self.assignee.id if self.assignee else None,
        )

    async def fetch_cards(self, status_id: int, offset: int, limit: int) -> Sequence[Card]:
        """Cards ``offset``… of a stage, for the filter shown (the card lists call this)."""
        flt = self.flt or PipelineFilter()
        settings = self.session.settings
        return await off_thread(pipeline.stage_cards, flt, status_id, offset, limit, settings)

    async def _show(self, data: BoardData) -> None:
        """Draw ``data``: the same stages are updated in place, other stages rebuilt."""
        self.flt = data.flt
        self.data = data
        stages = data.pipeline.stages
        follow, self._follow = self._follow, None
        if follow is not None:
            for index, stage in enumerate(stages):
                if stage.status.id == follow[0]:
                    self.stage_index = index
        self.stage_index = max(0, min(self.stage_index, len(stages) - 1))
        columns = self.columns
        same = [c.stage.status.id for c in columns] == [s.status.id for s in stages]
        select = follow[1] if follow is not None else None
        if same:
            for index, (column, stage) in enumerate(zip(columns, stages, strict=True)):
                chosen = select if index == self.stage_index else None
                column.show(stage, data.cards.get(stage.status.id), chosen)
        else:
            board = self.query_one("#board-stages", Horizontal)
            await board.remove_children()
            columns = [StageColumn(s, data.cards.get(s.status.id), self) for s in stages]
            await board.mount_all(columns)
            if select is not None and columns:
                columns[self.stage_index].cards.show(
                    stages[self.stage_index],
                    data.cards.get(stages[self.stage_index].status.id),
                    select_id=select,
                )
        self.layout_stages()
        self.draw_filters()
        self.draw_below()

    # --- stages side by side -----------------------------------------------------------------

    def on_resize(self) -> None:
        """Fit the stages to the new width."""
        self.layout_stages()
        self.draw_below()

    def stages_fitting(self) -> int:
        """How many stages show at once at the screen's width."""
        count = len(self.columns)
        width = self.query_one("#board-stages").size.width or self.size.width
        return max(1, min(count, width // MIN_STAGE_WIDTH)) if count else 0

    def layout_stages(self) -> None:
        """Show the stages that fit, the current one among them, sharing the width."""
        columns = self.columns
        if not columns:
            return
        fitting = self.stages_fitting()
        if self.stage_index < self.first_shown:
            self.first_shown = self.stage_index
        elif self.stage_index >= self.first_shown + fitting:
            self.first_shown = self.stage_index - fitting + 1
        self.first_shown = max(0, min(self.first_shown, len(columns) - fitting))
        width = self.query_one("#board-stages").size.width or self.size.width
        shown = range(self.first_shown, self.first_shown + fitting)
        base, extra = divmod(width, fitting)
        for index, column in enumerate(columns):
            visible = index in shown
            if column.display != visible:
                column.display = visible
            if visible:
                width = base + (1 if index - self.first_shown < extra else 0)
                if column.styles.width is None or column.styles.width.value != width:
                    column.styles.width = width
            column.cards.set_active(index == self.stage_index)

    def draw_filters(self) -> None:
        """The line above the stages: amount, close date, dates shown, assignee."""
        settings = self.session.settings
        flt = self.flt
        line = Text(no_wrap=True, overflow="ellipsis")
        sum_variable = settings.variable(flt.sum_variable_id if flt else None)
        close_variable = settings.variable(flt.close_variable_id if flt else None)
        parts = [
            safe_format(_("Amount: {variable}"), variable=sum_variable.name)
            if sum_variable
            else Text(_("No currency variable: nothing to sum")),
            safe_format(_("Close date: {variable}"), variable=close_variable.name)
            if close_variable
            else Text(_("No date variable")),
            Text(self.period_label()),
            safe_format(_("Assignee: {name}"), name=self.assignee.name)
            if self.assignee
            else Text(_("Everyone's customers")),
        ]
        for index, part in enumerate(parts):
            if index:
                line.append(" · ", style="dim")
            line.append_text(part)
        width = self.query_one("#board-filters").size.width or self.size.width
        self.query_one("#board-filters", Static).update(fit(line, width))

    def period_label(self) -> str:
        """The close dates shown, in words."""
        flt = self.flt
        start, end = (flt.close_from, flt.close_to) if flt else (None, None)
        if self.period is Period.MONTH:
            return _("Closing this month")
        if self.period is Period.QUARTER:
            return _("Closing this quarter")
        if start is not None and end is not None:
            return _("Closing {start} – {end}").format(start=shown_date(start), end=shown_date(end))
        if start is not None:
            return _("Closing from {start}").format(start=shown_date(start))
        if end is not None:
            return _("Closing by {end}").format(end=shown_date(end))
        return _("Any close date")

    def draw_below(self) -> None:
        """The line below the stages: customers outside the sequence, stages off screen."""
        if self.data is None:
            return
        line = Text(no_wrap=True, overflow="ellipsis")
        outside = self.data.pipeline.outside
        line.append(
            ngettext(
                "{count} customer in a status outside the sequence",
                "{count} customers in a status outside the sequence",
                outside,
            ).format(count=format_count(outside))
        )
        if not self.data.pipeline.stages:
            line = Text(_("No status is in the sequence: mark statuses in Settings."))
        columns = self.columns
        fitting = self.stages_fitting()
        before = self.first_shown
        after = max(0, len(columns) - before - fitting)
        if before or after:
            line.append(" · ", style="dim")
            line.append(
                _("◀ {before} · {after} ▶ more stages").format(
                    before=format_count(before), after=format_count(after)
                ),
                style="bold",
            )
        width = self.query_one("#board-below").size.width or self.size.width
        self.query_one("#board-below", Static).update(fit(line, width))

    # --- cursor -------------------------------------------------------------------------------

    def action_stage(self, delta: int) -> None:
        """Go to the previous or next stage, on the card at the same height."""
        columns = self.columns
        if not columns:
            return
        target = max(0, min(self.stage_index + delta, len(columns) - 1))
        if target == self.stage_index:
            return
        old = columns[self.stage_index].cards
        line = old.cursor_row - old.top_card
        self.stage_index = target
        self.layout_stages()
        self.draw_below()
        cards = columns[target].cards
        cards.move_cursor(cards.top_card + line)

    def action_card(self, delta: int) -> None:
        """The card above or below."""
        if (cards := self.current_cards) is not None:
            cards.action_cursor(delta)

    def action_card_page(self, direction: int) -> None:
        """A screenful of cards up or down."""
        if (cards := self.current_cards) is not None:
            cards.action_page(direction)

    def action_card_edge(self, last: int) -> None:
        """The first (or last) card of the stage."""
        if (cards := self.current_cards) is not None:
            cards.action_last() if last else cards.action_first()

    @on(StageCards.Opened)
    def _opened(self, event: StageCards.Opened) -> None:
        event.stop()
        self._open(event.row_id)

    @on(StageCards.Picked)
    def _picked(self, event: StageCards.Picked) -> None:
        """A click on a stage makes it the current one."""
        event.stop()
        for index, column in enumerate(self.columns):
            if column.cards is event.cards and index != self.stage_index:
                self.stage_index = index
                self.layout_stages()
                self.draw_below()

    def action_open_customer(self) -> None:
        """Open the notes of the customer under the cursor."""
        cards = self.current_cards
        card = cards.highlighted_card if cards else None
        if card is not None:
            self._open(card.customer_id)

    def _open(self, customer_id: int) -> None:
        from crm_tui.ui.screens.customer_notes import CustomerNotesScreen

        self.app.push_screen(CustomerNotesScreen(customer_id))

    # --- moving a card ----------------------------------------------------------------------

    def action_move_card(self, delta: int) -> None:
        """Move the customer under the cursor to the previous or next stage."""
        cards = self.current_cards
        card = cards.highlighted_card if cards else None
        if self.data is None or card is None or self._moving:
            return
        stages = self.data.pipeline.stages
        target = self.stage_index + delta
        if not 0 <= target < len(stages):
            self.notify(
                _("This is the first stage.") if delta < 0 else _("This is the last stage."),
                severity="warning",
            )
            return
        self._moving = True
        self._move(card, stages[self.stage_index], stages[target])

    @work(group="pipeline-board-move", exit_on_error=False)
    async def _move(self, card: Card, source: Stage, target: Stage) -> None:
        try:
            note_id = await off_thread(
                pipeline.move_customer,
                self.session.signed_user,
                card.customer_id,
                target.status.id,
            )
        except DomainError as error:
            self.notify(str(error), severity="error")
            return
        finally:
            self._moving = False
        self.notify(
            _("{customer}: {old} → {new} ({key} undoes)").format(
                customer=card.customer,
                old=source.status.name,
                new=target.status.name,
                key=self.undo_key(),
            )
        )
        self._follow = (target.status.id, card.customer_id)
        self.crm_app.notes_changed(note_id)

    def undo_key(self) -> str:
        """The app's undo key, as a hint names it."""
        from crm_tui.ui.app_actions import APP_ACTIONS

        return APP_ACTIONS.key(self, "app.undo")

    # --- filters and variables ------------------------------------------------------------------

    def action_choose_sum(self) -> None:
        """Choose the currency variable summed (remembered for next time)."""
        settings = self.session.settings
        choices = [Choice(str(i), safe_text(name)) for i, name in currency_variables(settings)]
        if not choices:
            self.notify(_("No currency variable: add one in Settings."), severity="warning")
            return
        current = str(self.flt.sum_variable_id) if self.flt else None

        def chosen(key: str | None) -> None:
            if key is not None and self.flt is not None:
                self.flt = dataclasses.replace(self.flt, sum_variable_id=int(key))
                self._remember(preferences.set_pipeline_sum_variable, int(key))
                self.load()

        self.app.push_screen(ChoiceDialog(_("Amount summed"), choices, current), chosen)

    def action_choose_close(self) -> None:
        """Choose the date variable read as the close date (remembered for next time)."""
        settings = self.session.settings
        choices = [Choice(str(i), safe_text(name)) for i, name in date_variables(settings)]
        if not choices:
            self.notify(_("No date variable: add one in Settings."), severity="warning")
            return
        current = str(self.flt.close_variable_id) if self.flt else None

        def chosen(key: str | None) -> None:
            if key is not None and self.flt is not None:
                self.flt = dataclasses.replace(self.flt, close_variable_id=int(key))
                self._remember(preferences.set_pipeline_close_variable, int(key))
                self.load()

        self.app.push_screen(ChoiceDialog(_("Close date"), choices, current), chosen)

    @work(group="pipeline-board-preferences", exit_on_error=False)
    async def _remember(self, store: object, variable_id: int) -> None:
        if callable(store):
            try:
                await off_thread(store, self.session.signed_user, variable_id)
            except DomainError as error:
                self.notify(str(error), severity="warning")

    def action_choose_period(self) -> None:
        """Show the customers closing this month, this quarter, in a range, or any."""
        choices = [
            Choice(Period.ANY, Text(_("Any close date"))),
            Choice(Period.MONTH, Text(_("Closing this month"))),
            Choice(Period.QUARTER, Text(_("Closing this quarter"))),
            Choice(Period.RANGE, Text(_("Closing between two dates…"))),
        ]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key == Period.RANGE:
                self.app.push_screen(
                    CloseRangeDialog(self.session.today(), *self.range), self._range_typed
                )
                return
            self._set_period(Period(key))

        self.app.push_screen(ChoiceDialog(_("Close dates"), choices, self.period), chosen)

    def _range_typed(self, dates: tuple[dt.date | None, dt.date | None] | None) -> None:
        if dates is not None:
            self.range = dates
            self._set_period(Period.RANGE if dates != (None, None) else Period.ANY)

    def _set_period(self, period: Period) -> None:
        self.period = period
        if self.flt is not None:
            self.flt = self._with_period(self.flt)
        self.load()

    def action_choose_assignee(self) -> None:
        """Show one person's customers (their current assignee), or everyone's."""
        self._pick_assignee()

    @work(group="pipeline-board-users", exit_on_error=False)
    async def _pick_assignee(self) -> None:
        users = [user for user in await off_thread(list_users) if user.active]
        choices = [Choice("", Text(_("Everyone")))]
        choices += [Choice(str(user.id), safe_text(user.name)) for user in users]
        by_id = {str(user.id): user for user in users}
        current = str(self.assignee.id) if self.assignee else ""

        def chosen(key: str | None) -> None:
            if key is None:
                return
            self.assignee = by_id.get(key)
            if self.flt is not None:
                self.flt = self._with_period(self.flt)
            self.load()

        self.app.push_screen(ChoiceDialog(_("Assignee"), choices, current), chosen)

    def action_reload(self) -> None:
        """Read the board again."""
        self.load()

    # --- live refresh -------------------------------------------------------------------------

    def on_notes_changed(self, message: NotesChanged) -> None:
        """Notes changed (a move, an undo, someone else): read the board again (when it
        shows; a board out of sight reads again when it comes back)."""
        if not self.is_current:
            self._stale = True
            return
        cards = self.current_cards
        card = cards.highlighted_card if cards else None
        if self._follow is None and cards is not None and card is not None:
            self._follow = (cards.status_id, card.customer_id)
        self.load()

    def on_settings_changed(self, _message: SettingsChanged) -> None:
        """Statuses or variables changed: the stages and the variables again."""
        self.flt = None
        if self.is_current:
            self.load()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        """Back on the board: read it again if notes or settings changed meanwhile."""
        if self._stale and self.data is not None:
            self._stale = False
            self.on_notes_changed(NotesChanged())

    def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the words and the amounts drawn again."""
        self.sub_title = _("Pipeline")
        for column in self.columns:
            column.draw_header()
            column.cards.clear_lines()
            column.cards.refresh()
        self.draw_filters()
        self.draw_below()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The board's actions, by name."""
        yield from PIPELINE_BOARD_ACTIONS.commands(self)
