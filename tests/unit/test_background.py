"""The database threads behind ``off_thread``: answers, errors, reuse, and closing."""

from __future__ import annotations

import asyncio
import threading

import pytest

from crm_tui.ui import background
from crm_tui.ui.background import DatabaseThreads, off_thread


def test_off_thread_returns_the_answer_and_raises_the_error() -> None:
    async def run() -> tuple[int, str]:
        answer = await off_thread(lambda a, b=0: a + b, 2, b=3)
        with pytest.raises(ValueError, match="refused"):
            await off_thread(_refuse)
        return answer, await off_thread(lambda: threading.current_thread().name)

    answer, name = asyncio.run(run())
    background.close_database_threads()
    assert answer == 5
    assert name.startswith("crm-db-")


def _refuse() -> None:
    raise ValueError("refused")


def test_one_at_a_time_calls_reuse_one_thread_and_each_thread_closes_its_connection() -> None:
    closed: list[str] = []
    threads = DatabaseThreads(
        size=4, close_connection=lambda: closed.append(threading.current_thread().name)
    )
    names = {threads.submit(lambda: threading.current_thread().name).result() for _ in range(5)}
    assert len(names) == 1  # each call waited for the last: the idle thread took it
    for thread in threads.close():
        thread.join()
    assert closed == sorted(names)
    with pytest.raises(RuntimeError):
        threads.submit(lambda: None)


def test_a_call_cancelled_before_it_runs_is_skipped() -> None:
    threads = DatabaseThreads(size=1)
    gate = threading.Event()
    ran: list[str] = []
    first = threads.submit(gate.wait)
    second = threads.submit(lambda: ran.append("second"))
    assert second.cancel()
    gate.set()
    assert first.result() is True
    for thread in threads.close():
        thread.join()
    assert ran == []
