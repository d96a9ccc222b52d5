"""The delays the app owns, in one place, so tests can drive them instead of waiting.

The app runs with ``Timing()``; a test gives ``Timing(watch_interval=None, retry_timer=False,
clock_interval=None)`` and calls what the timers would (``CrmApp.look_for_changes``,
``SignInScreen.allow_retry``, a list's ``tick_clock``)
when it wants, with the domain's clock faked where the domain counts time.
"""

from __future__ import annotations

from dataclasses import dataclass

WATCH_INTERVAL = 0.5
"""Seconds between two looks for changes made by others (they show within 2 s)."""

CLOCK_INTERVAL = 2.0
"""Seconds between two looks at the clock: local times and call-now lights move on the
minute (within 2 s of it), without a key."""


@dataclass(frozen=True)
class Timing:
    """How often the app looks for others' changes, and whether sign-in retries by itself."""

    watch_interval: float | None = WATCH_INTERVAL
    """Seconds between two looks for changes; ``None``: only when ``look_for_changes`` is called."""
    retry_timer: bool = True
    """Whether the sign-in field comes back by itself once the domain's wait is over
    (without: only when ``allow_retry`` is called)."""
    clock_interval: float | None = CLOCK_INTERVAL
    """Seconds between two looks at the clock (the Local column's minute); ``None``: only
    when a list's ``tick_clock`` is called."""
