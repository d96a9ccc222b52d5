"""Progress reporting for long domain jobs (imports, demo), without any UI dependency.

Domain code calls ``start``/``advance`` on a ``Progress``; the command line passes a
``RichProgress`` when stderr is a terminal, and everything else a ``NullProgress``.
"""

from __future__ import annotations

from types import TracebackType
from typing import IO, Any, Protocol

from crm_tui.i18n import format_count


class Progress(Protocol):
    """Receives the progress of a job made of steps, each counted in units."""

    def start(self, description: str, total: int | None = None) -> None:
        """Begin a step of ``total`` units (``None`` when unknown)."""

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units done in the current step."""


class NullProgress:
    """A progress that shows nothing."""

    def start(self, description: str, total: int | None = None) -> None:
        """Ignore the step."""

    def advance(self, amount: int = 1) -> None:
        """Ignore the units."""


class RichProgress:
    """A progress bar drawn on a terminal stream (stderr) with ``rich``; a context manager."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as _RichBar

        self._bar = _RichBar(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: Any = None
        self._done = 0
        self._total: int | None = None

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._bar.stop()

    def start(self, description: str, total: int | None = None) -> None:
        """Show a new bar for this step; the previous one is completed."""
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._done, self._total = 0, total
        self._task = self._bar.add_task(description, total=total, count=self._count())

    def advance(self, amount: int = 1) -> None:
        """Move the current bar on."""
        if self._task is not None:
            self._done += amount
            self._bar.update(self._task, completed=self._done, count=self._count())

    def _count(self) -> str:
        if self._total is None:
            return ""
        return f"{format_count(self._done)}/{format_count(self._total)}"
