"""Charts of the cockpit (textual-plotext): pipeline amount by close month, stacked by
stage; notes per week by action. Bars take the badges' background colours; tick labels
are in the language in force (month and day names, digit grouping)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from crm_tui.domain.cockpit.pipeline import MonthAmount, WeekCount
from crm_tui.domain.locale_values import add_months, shown_number
from crm_tui.domain.text import visible
from crm_tui.i18n import _, locale_name
from crm_tui.records import Badge

MAX_MONTHS = 12
"""Close months a chart shows at most (from three months back, when there are more)."""
NO_ACTION_COLOR = (128, 128, 128)
"""The bars of notes without an action."""
Rgb = tuple[int, int, int]


def rgb(color: str) -> Rgb:
    """``#RRGGBB`` as a triple."""
    text = color.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def month_label(month: dt.date) -> str:
    """A month as its tick label: ``Jan 2027`` (en), ``janv. 2027`` (fr)."""
    from babel.dates import format_date  # lazily: charts only

    return format_date(month, "MMM yyyy", locale=locale_name())


def week_label(monday: dt.date) -> str:
    """A week as its tick label, by its Monday: ``Jan 4`` (en), ``4 janv.`` (fr)."""
    from babel.dates import format_skeleton  # lazily: charts only

    return format_skeleton("MMMd", monday, locale=locale_name())


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top`` (about ``count`` of them)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def spaced_labels(labels: Sequence[str], width: int) -> list[int]:
    """Which bars get a tick label so that the labels never touch in ``width`` cells (every
    bar, every second one… back from the last): plotext would otherwise drop some, not
    always the same ones."""
    if not labels:
        return []
    widest = max(len(label) for label in labels) + 2
    room = max(1, width) / len(labels)  # cells per bar
    step = max(1, -(-widest // max(1, int(room))))
    return sorted(range(len(labels) - 1, -1, -step))  # the latest bar always labelled


@dataclass(frozen=True, slots=True)
class Series:
    """One coloured layer of a stacked chart: its name, colour and a value per bar."""

    name: str
    color: Rgb
    values: list[float]


def chosen_months(months: Sequence[dt.date], today: dt.date) -> list[dt.date]:
    """Every month from the first to the last with an amount, ``MAX_MONTHS`` at most
    (from three months before this one when there are more)."""
    if not months:
        return []
    first, last = min(months), max(months)
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        first = max(first, add_months(today.replace(day=1), -3))
        first = min(first, add_months(last, 1 - MAX_MONTHS))
    shown: list[dt.date] = []
    month = first
    while month <= last and len(shown) < MAX_MONTHS:
        shown.append(month)
        month = add_months(month, 1)
    return shown


def amount_series(
    amounts: Sequence[MonthAmount], stages: Sequence[Badge], today: dt.date
) -> tuple[list[dt.date], list[Series]]:
    """The months shown and one layer per stage (in sequence order), in major units."""
    months = chosen_months([a.month for a in amounts], today)
    index = {month: i for i, month in enumerate(months)}
    series: list[Series] = []
    for stage in stages:
        values = [0.0] * len(months)
        for amount in amounts:
            if amount.status_id == stage.id and amount.month in index:
                values[index[amount.month]] += amount.cents / 100
        series.append(Series(visible(stage.name), rgb(stage.background_color), values))
    return months, [s for s in series if any(s.values)] or series[:1]


def week_series(
    counts: Sequence[WeekCount], actions: Sequence[Badge], today: dt.date, weeks: int = 12
) -> tuple[list[dt.date], list[Series]]:
    """The Mondays of the last ``weeks`` weeks and one layer per action (then "no action")."""
    monday = today - dt.timedelta(days=today.weekday())
    mondays = [monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {day: i for i, day in enumerate(mondays)}
    layers: list[tuple[int | None, str, Rgb]] = [
        (a.id, visible(a.name), rgb(a.background_color)) for a in actions
    ]
    layers.append((None, _("No action"), NO_ACTION_COLOR))
    series: list[Series] = []
    for action_id, name, color in layers:
        values = [0.0] * weeks
        for count in counts:
            if count.action_id == action_id and count.week in index:
                values[index[count.week]] += count.count
        series.append(Series(name, color, values))
    return mondays, [s for s in series if any(s.values)] or series[:1]


class StackedChart(PlotextPlot):
    """Bars stacked by layer, tick labels given; empty until ``draw`` is called."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.x_title = ""
        self.amounts = False
        self.drawn = False
        """Whether ``draw`` was called (until then the chart is blank, plotext not run)."""
        self._shown: tuple[object, ...] = ()
        """What ``draw`` was last given, and the language then."""

    def draw(self, labels: list[str], series: list[Series], x_title: str, *, amounts: bool) -> None:
        """Show these bars (``amounts``: values are money, ticks in the locale's digits).

        The same bars in the same language again draw nothing (plotext takes 15-30 ms a
        chart at 120×40: the notes chart is not drawn twice when the amounts come)."""
        shown = (labels, series, x_title, amounts, locale_name())
        if self.drawn and shown == self._shown:
            return
        self._shown = shown
        self.labels, self.series, self.x_title, self.amounts = labels, series, x_title, amounts
        self.drawn = True
        self.replot()

    def replot(self) -> None:
        """Draw the chart again (data, language or size changed)."""
        plt = self.plt
        plt.clear_figure()
        if not self.labels or not self.series:
            plt.title(_("Nothing to show yet"))
            self.refresh()
            return
        # plotext takes ``labels`` and a colour per layer; textual-plotext's stub says otherwise.
        stacked_bar: Any = plt.stacked_bar
        stacked_bar(
            self.labels,
            [s.values for s in self.series],
            labels=[s.name for s in self.series],
            color=[s.color for s in self.series],
            width=0.6,
        )
        totals = [sum(values) for values in zip(*(s.values for s in self.series), strict=True)]
        ticks = nice_ticks(max(totals, default=0))
        tick_labels = [shown_number(round(t)) for t in ticks]
        plt.yticks(ticks, tick_labels)
        plot_width = self.size.width - max(len(label) for label in tick_labels) - 3
        every = spaced_labels(self.labels, plot_width)
        plt.xticks([i + 1 for i in every], [self.labels[i] for i in every])
        plt.xlabel(self.x_title)
        self.refresh()

    def render(self) -> RenderResult:
        """The plot; nothing (no plotext work) until there is something to draw."""
        if not self.drawn:
            return ""
        return super().render()

    def on_resize(self) -> None:
        """Tick labels that fit the new width."""
        if self.labels:
            self.replot()
