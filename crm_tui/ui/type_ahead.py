"""Keys typed ahead reach the field they were meant for, however fast they come.

Textual hands a key to the widget focused at the moment the app takes the key from its
queue, but what the key causes lands later: a binding (tab, a key that opens a dialog)
runs only once the key has bubbled back up to the app, ``Widget.focus()`` moves the focus
through the app's queue, and messages a key causes (``Input.Submitted``...) are handled
after it. Keys that arrive together (a paste, a text expander, tmux ``send-keys``, a fast
typist) were all handed to the field focused first: a whole note typed in one burst ended
in the Customer field.

``TypeAheadApp`` fixes this once for every form and dialog: it keeps keys and pastes in
its own queue and hands out the next one only when the one before is done, that is when

* the key has gone up the focused widget's ancestors to the app and everything it made
  them post to themselves (and the focus moves it asked for) has run: a marker follows
  it up, through each node's queue twice, and through the app's twice; when the key
  reached the app (a binding ran there), the marker goes up once more behind what the
  binding posted (``Input.Submitted``...). The marker is sent only once a key waits
  behind: a key typed alone costs nothing;
* the screen shown is mounted and has handled what was already posted to it (a dialog
  just pushed has its focus; a screen shown again has run its dismiss callback);
* the screen is not holding keys: a screen waiting for a worker whose answer decides
  where the next keys go (a form being read, a save, a password check, a list following
  the note just saved) calls ``hold_keys`` and ``release_keys``.

Nothing waits on real time except two safety nets: a key still travelling after
``FLIGHT_LIMIT`` seconds, or a hold older than ``HOLD_LIMIT``, no longer blocks the keys
behind it (a widget removed with a key in its queue, a worker that never answers).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

ReturnType = TypeVar("ReturnType")

FLIGHT_LIMIT = 2.0
"""Seconds after which a key still being handled stops blocking the keys behind it."""

HOLD_LIMIT = 15.0
"""Seconds after which a screen's hold on the keys is dropped."""


class _Flight:
    """The key (or paste) being handled; ``done`` once the marker is back."""

    __slots__ = ("at_app", "event", "following", "swept", "target", "timer")

    def __init__(self, event: events.Event) -> None:
        self.event = event
        self.target: DOMNode | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.following = False
        """Whether the marker is on its way (only once another key waits for this one)."""
        self.at_app = False
        """Whether the key bubbled up to the app (its bindings ran there)."""
        self.swept = False


class TypeAheadApp(App[ReturnType]):
    """An ``App`` that hands keys and pastes out one at a time (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: deque[events.Event] = deque()
        self._ta_flight: _Flight | None = None
        self._key_holds: WeakKeyDictionary[Screen, dict[str, asyncio.TimerHandle | None]] = (
            WeakKeyDictionary()
        )
        self._ta_ready_screen: Screen | None = None
        self._ta_greeting: Screen | None = None

    # --- the queue -------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the terminal wait their turn; everything else goes on."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and self._ta_priority(event.key):
                await super().on_event(event)  # ctrl+q quits even behind held keys
                return
            self._held_keys.append(event)
            flight = self._ta_flight
            if flight is not None and not flight.following:
                self._ta_start_following(flight)
            await self._ta_pump()
            return
        flight = self._ta_flight
        if flight is not None and event is flight.event:
            flight.at_app = True
        await super().on_event(event)

    @property
    def keys_waiting(self) -> int:
        """How many keys and pastes wait for their turn, or for the one before (tests)."""
        flight = self._ta_flight
        return len(self._held_keys) + (flight is not None and flight.following)

    def _ta_priority(self, key: str) -> bool:
        return any(binding.priority for binding in self._bindings.key_to_bindings.get(key, ()))

    async def _ta_pump(self) -> None:
        """Hand out waiting keys while nothing is in flight and the screen takes keys."""
        while self._ta_flight is None and self._held_keys and self._takes_keys():
            await self._ta_dispatch(self._held_keys.popleft())

    async def _ta_dispatch(self, event: events.Event) -> None:
        flight = self._ta_flight = _Flight(event)
        flight.target = self.focused or self.screen
        await super().on_event(event)  # Textual's routing: priority bindings, else the focus
        if not event.is_forwarded:
            flight.target = None  # handled here (a priority binding)
        if self._held_keys:
            self._ta_start_following(flight)

    def _ta_start_following(self, flight: _Flight) -> None:
        """Another key waits: send the marker after this one (a lone key costs nothing).

        Started late, the marker still trails everything the key caused: it goes up the
        same queues, behind whatever they hold."""
        flight.following = True
        flight.timer = asyncio.get_running_loop().call_later(FLIGHT_LIMIT, self._ta_expire, flight)
        if flight.target is not None:
            self._ta_follow(flight, flight.target, again=False)
        else:
            self.call_later(self._ta_land, flight, False)

    def _ta_follow(self, flight: _Flight, node: DOMNode, again: bool) -> None:
        """The marker: behind the key in ``node``'s queue, then behind what that posted."""
        if flight is not self._ta_flight:
            return
        if not again and node.call_later(self._ta_follow, flight, node, True):
            return
        parent = node.parent
        while parent is not None and parent is not self:
            if parent.call_later(self._ta_follow, flight, parent, False):
                return
            parent = parent.parent
        self.call_later(self._ta_land, flight, False)

    async def _ta_land(self, flight: _Flight, again: bool) -> None:
        """At the app: after the key's bindings, then after the callbacks they queued."""
        if flight is not self._ta_flight:
            return
        if not again:
            self.call_later(self._ta_land, flight, True)
            return
        if flight.at_app and not flight.swept and flight.target is not None:
            # Its bindings ran here (enter submits, a key opens a dialog): follow what
            # they posted to the widgets up once more.
            flight.swept = True
            self._ta_follow(flight, flight.target, again=False)
            return
        await self._ta_finish(flight)

    async def _ta_finish(self, flight: _Flight) -> None:
        if flight.timer is not None:
            flight.timer.cancel()
        if flight is self._ta_flight:
            self._ta_flight = None
        await self._ta_pump()

    def _ta_expire(self, flight: _Flight) -> None:
        if flight is self._ta_flight:
            self.call_later(self._ta_finish, flight)

    # --- readiness of the screen -----------------------------------------------------------

    def _takes_keys(self) -> bool:
        try:
            screen = self.screen
        except Exception:  # no screen yet: Textual's own behaviour
            return True
        if screen is not self._ta_ready_screen:
            if self._ta_greeting is not screen:
                self._ta_greeting = screen
                if not screen.call_later(self._ta_greeted, screen):
                    self._ta_ready_screen = screen  # closing: nothing to wait for
                    return not self._key_holds.get(screen)
            return False
        return not self._key_holds.get(screen)

    def _ta_greeted(self, screen: Screen) -> None:
        """Runs in ``screen``'s queue: it is mounted and has handled what was posted to it."""
        self._ta_ready_screen = screen
        self._ta_greeting = None
        self.call_later(self._ta_pump)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Show a screen; keys waiting go to it once it is ready."""
        result = super().push_screen(*args, **kwargs)
        self._ta_screen_changed()
        return result

    def pop_screen(self) -> Any:
        """Close the top screen; keys waiting go to the one below once it is ready."""
        result = super().pop_screen()
        self._ta_screen_changed()
        return result

    def switch_screen(self, screen: Any) -> Any:
        """Replace the top screen; keys waiting go to the new one once it is ready."""
        result = super().switch_screen(screen)
        self._ta_screen_changed()
        return result

    def switch_mode(self, mode: str) -> Any:
        """Show a mode; keys waiting go to its screen once it is ready."""
        result = super().switch_mode(mode)
        self._ta_screen_changed()
        return result

    def _ta_screen_changed(self) -> None:
        if self._held_keys:
            self.call_later(self._ta_pump)

    # --- holds -----------------------------------------------------------------------------

    def hold_keys(self, screen: Screen, reason: str) -> None:
        """Keep keys waiting while ``screen`` is shown, until ``release_keys(reason)``."""
        holds = self._key_holds.setdefault(screen, {})
        if reason in holds:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            holds[reason] = None
            return
        holds[reason] = loop.call_later(HOLD_LIMIT, self._ta_drop_hold, screen, reason)

    def release_keys(self, screen: Screen, reason: str) -> None:
        """End ``screen``'s hold ``reason``; waiting keys go on when no hold is left."""
        holds = self._key_holds.get(screen)
        if holds is None or reason not in holds:
            return
        timer = holds.pop(reason)
        if timer is not None:
            timer.cancel()
        if not holds:
            del self._key_holds[screen]
        self.call_later(self._ta_pump_soon, False)

    async def _ta_pump_soon(self, again: bool) -> None:
        """Pump behind the focus moves queued by the handler that released the hold."""
        if not again:
            self.call_later(self._ta_pump_soon, True)
            return
        await self._ta_pump()

    def _ta_drop_hold(self, screen: Screen, reason: str) -> None:
        holds = self._key_holds.get(screen)
        if holds is not None and reason in holds:
            holds[reason] = None
            self.release_keys(screen, reason)


def _gate(node: DOMNode) -> tuple[TypeAheadApp, Screen] | None:
    try:
        app = node.app
        screen = node if isinstance(node, Screen) else node.screen
    except Exception:  # not mounted, or removed: nothing to hold
        return None
    return (app, screen) if isinstance(app, TypeAheadApp) else None


def hold_keys(node: DOMNode, reason: str) -> None:
    """Keep the keys typed ahead waiting while ``node``'s screen waits for ``reason``."""
    gate = _gate(node)
    if gate is not None:
        gate[0].hold_keys(gate[1], reason)


def release_keys(node: DOMNode, reason: str) -> None:
    """``node``'s screen no longer waits for ``reason``."""
    gate = _gate(node)
    if gate is not None:
        gate[0].release_keys(gate[1], reason)
