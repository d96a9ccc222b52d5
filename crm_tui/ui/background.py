"""The one way the UI runs a domain call off its thread.

A screen or widget starts an async worker on its own loop and awaits :func:`off_thread`
for each database call; what follows the ``await`` runs on the UI's loop again, so it may
update widgets, and a newer ``exclusive`` worker of the same group simply cancels the older
one (its thread finishes and its answer is dropped)::

    @work(exclusive=True, group="history")
    async def load_history(self) -> None:
        entries = await off_thread(read_history, self.note_id)
        self.show(entries)

The call itself runs in a database thread and never touches a widget. Where the order of
changes matters (three quick "move down" keys), a plain ``@work`` awaits an
``asyncio.Lock`` of the screen around its call, so calls run one at a time, in the order
they were asked for. A long call reports progress through a callback that hands each
report to the UI loop with ``app.call_from_thread`` (see ``screens/bulk_dialog.py``).

Connections: every call runs in one of at most :data:`MAX_THREADS` database threads
(started when needed). Each thread keeps the connection its first call opened and reuses
it: a connection costs ~9 ms on PostgreSQL (measured: connect, ``SELECT 1``, close) against
~0.1 ms for a statement on an open one. When the app ends, :func:`close_database_threads`
lets each thread finish its call and close its own connection (peewee's connections are
per thread, so only that thread may close it); no screen closes connections itself.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any, ParamSpec, TypeVar

from crm_tui.domain.connections import close_thread_connection

P = ParamSpec("P")
T = TypeVar("T")

MAX_THREADS = 8
"""Database threads at most: a slow count never holds up the next page for long."""
CLOSE_WAIT = 10.0
"""Seconds the process waits, as it exits, for a thread to finish its call and close."""

Job = tuple[Future[Any], Callable[[], Any]]


class DatabaseThreads:
    """Threads that run domain calls, each keeping one connection until :meth:`close`."""

    def __init__(
        self,
        size: int = MAX_THREADS,
        close_connection: Callable[[], None] = close_thread_connection,
    ) -> None:
        self._size = size
        self._close_connection = close_connection
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Run ``call`` in a database thread; its result (or error) comes in the future."""
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the database threads are closed")
            if self._idle == 0 and len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._serve, name=f"crm-db-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
            else:
                self._idle -= 1 if self._idle else 0
        self._jobs.put((future, call))
        return future

    def _serve(self) -> None:
        """One thread: run jobs until told to stop, then close this thread's connection."""
        try:
            while (job := self._jobs.get()) is not None:
                future, call = job
                if not future.set_running_or_notify_cancel():  # cancelled before it ran
                    self._now_idle()
                    continue
                try:
                    result = call()
                except BaseException as error:  # handed to the awaiting worker
                    self._now_idle()
                    future.set_exception(error)
                else:
                    self._now_idle()  # before the answer: a next call finds this thread idle
                    future.set_result(result)
        finally:
            self._close_connection()

    def _now_idle(self) -> None:
        with self._lock:
            self._idle += 1

    def close(self) -> list[threading.Thread]:
        """Stop taking calls; each thread finishes its call, closes its connection, ends."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _thread in threads:
            self._jobs.put(None)
        return threads


_threads: DatabaseThreads | None = None
_closing: list[threading.Thread] = []
_threads_lock = threading.Lock()


def database_threads() -> DatabaseThreads:
    """The process's database threads (a new set after :func:`close_database_threads`)."""
    global _threads
    with _threads_lock:
        if _threads is None:
            _threads = DatabaseThreads()
        return _threads


def close_database_threads() -> None:
    """The app ends: every database thread closes its connection once its call is done."""
    global _threads
    with _threads_lock:
        threads, _threads = _threads, None
    if threads is not None:
        _closing[:] = [thread for thread in _closing if thread.is_alive()]
        _closing.extend(threads.close())


@atexit.register
def _wait_for_closing_threads() -> None:
    """As the process exits, let the threads finish their calls and close their connections."""
    close_database_threads()
    for thread in _closing:
        thread.join(CLOSE_WAIT)


async def off_thread(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``call(*args, **kwargs)`` in a database thread and return its result here.

    The call sees this task's context variables (as with ``asyncio.to_thread``).
    """
    context = contextvars.copy_context()
    future = database_threads().submit(partial(context.run, call, *args, **kwargs))
    return await asyncio.wrap_future(future)
