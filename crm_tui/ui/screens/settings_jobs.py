"""Database work of the Settings screens, run in thread workers and answered by message.

Jobs run one at a time and in the order they were asked for, whatever thread picks them
up, so three quick "move down" keys give three moves in order.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import peewee
from textual.message import Message
from textual.message_pump import MessagePump

from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _


@dataclass(frozen=True)
class Job:
    """One piece of database work: ``call`` runs in a thread; ``name`` says what it was."""

    name: str
    call: Callable[[], Any]
    context: dict[str, Any] = field(default_factory=dict)


class JobAnswer(Message):
    """The outcome of a job: its ``result``, or the ``error`` the domain refused it with."""

    def __init__(self, job: Job, result: Any = None, error: DomainError | None = None) -> None:
        self.job = job
        self.result = result
        self.error = error
        super().__init__()


def close_thread_connection(database: peewee.Database) -> None:
    """Close the connection a worker thread opened (each thread has its own)."""
    if threading.current_thread() is not threading.main_thread():
        database.close()


class JobRunner:
    """Runs jobs for ``owner`` in thread workers, in order; answers with :class:`JobAnswer`."""

    def __init__(self, owner: MessagePump, database: peewee.Database) -> None:
        self._owner = owner
        self._database = database
        self._queue: deque[Job] = deque()
        self._lock = threading.Lock()

    def submit(self, name: str, call: Callable[[], Any], **context: Any) -> None:
        """Queue ``call``; its answer arrives later as a :class:`JobAnswer` message."""
        self._queue.append(Job(name, call, context))
        self._owner.run_worker(self._run_next, name=name, group="settings-db", thread=True)

    def _run_next(self) -> None:
        with self._lock:
            job = self._queue.popleft()
            try:
                answer = JobAnswer(job, result=job.call())
            except DomainError as error:
                answer = JobAnswer(job, error=error)
            except peewee.DatabaseError as error:
                problem = DomainError(_("database error: {error}").format(error=error))
                answer = JobAnswer(job, error=problem)
            finally:
                close_thread_connection(self._database)
        self._owner.post_message(answer)


class LatestOnly:
    """Runs, per key, only the latest job asked for (older ones not started are dropped).

    For reads that follow the cursor, such as counting the notes that use the highlighted
    item: one thread worker drains the requests; each job returns the message to post.
    """

    def __init__(self, owner: MessagePump, database: peewee.Database) -> None:
        self._owner = owner
        self._database = database
        self._wanted: dict[str, Callable[[], Message]] = {}
        self._running = False
        self._lock = threading.Lock()

    def submit(self, key: str, call: Callable[[], Message]) -> None:
        """Ask for ``call`` (replacing any not yet started request under ``key``)."""
        with self._lock:
            self._wanted[key] = call
            start = not self._running
            self._running = True
        if start:
            self._owner.run_worker(self._drain, name=key, group="settings-latest", thread=True)

    def _drain(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._wanted:
                        return
                    call = self._wanted.pop(next(iter(self._wanted)))
                try:
                    message = call()
                except (DomainError, peewee.DatabaseError):
                    continue
                self._owner.post_message(message)
        finally:
            with self._lock:
                self._running = False
            close_thread_connection(self._database)
