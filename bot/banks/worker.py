"""CPU-heavy bank work (checking an upload, re-reading the banks folder) in a child process with a budget.

Checking a bank is pure-Python CPU work that holds the GIL: run in a thread beside the event loop it
still delays the loop's callbacks (measured with the worst upload, a 2 ms tick: p99 27-30 ms and up to
50-180 ms late in a thread; 6-13 ms in a child process). So each job runs in a forked child, which has
every module already imported and costs milliseconds to start, and is killed if it overruns its budget.
(A forkserver child would re-import the bot's ``__main__`` (discord.py and all) for every job: in bench
P12 that slowed the bot's clicks 3.5-fold, a forked one not measurably.) The child runs the job and
exits; it touches none of the parent's threads, sockets or database connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable, Coroutine
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from bot.banks.errors import BankRefused, CheckCrashed, CheckTookTooLong

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds a job may run; an upload's check takes about 3 s at worst (bench P12).
DEFAULT_BUDGET = 30.0
#: How much lower a job's CPU priority is than the bot's (nice(2) increment), where SCHED_IDLE is not to be had.
CHILD_NICENESS = 19
#: Jobs running at once: more would only share the same cores with the bot.
DEFAULT_CONCURRENCY = 1


def _context() -> Any:
    return multiprocessing.get_context("fork")


Ask = Callable[[Any], Any]
"""What a conversational job calls to ask the parent a question (say, for an article the database has)."""
Answer = Callable[[Any], Coroutine[Any, Any, Any]]
"""How the parent answers a job's question, on the event loop."""


def background() -> str:
    """Put this process behind every other on the machine's cores; returns how (``idle`` or ``nice``).

    SCHED_IDLE runs it only on a core nothing else wants, and any ordinary task that wakes preempts it at once:
    a nice value only weighs its share (at nice 10, about a tenth of a nice-0 task's, taken from the bot).
    """
    policy = getattr(os, "SCHED_IDLE", None)
    if policy is not None:
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, policy, os.sched_param(0))
            return "idle"
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICENESS)
    return "nice"


def _child(connection: Connection, job: Callable[..., Any], args: tuple[Any, ...], conversational: bool) -> None:
    # Behind the bot on a busy machine: a click waiting for a core matters more than a check finishing sooner.
    background()

    def ask(question: Any) -> Any:
        connection.send(("ask", question))
        return connection.recv()

    try:
        outcome: tuple[str, Any] = ("ok", job(ask, *args) if conversational else job(*args))
    except BankRefused as exc:
        outcome = ("refused", exc)
    except BaseException as exc:
        outcome = ("crashed", (type(exc).__name__, traceback.format_exc()))
    try:
        connection.send(outcome)
    except Exception:
        connection.send(("crashed", ("unpicklable result", traceback.format_exc())))
    finally:
        connection.close()


class Worker:
    """Runs jobs in child processes, a few at a time, each within a time budget."""

    def __init__(self, *, budget: float = DEFAULT_BUDGET, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self.budget = budget
        self._slots = asyncio.Semaphore(concurrency)

    async def run(self, job: Callable[..., T], *args: Any, answer: Answer | None = None) -> T:
        """``job(*args)`` in a child process; raises what it raised if a `BankRefused`, else `CheckCrashed`.

        With ``answer``, the job is called as ``job(ask, *args)`` and each ``ask(question)`` it makes is
        answered by ``await answer(question)`` here. Raises `CheckTookTooLong` (and stops the job) past
        the budget, which counts the run (questions included), not the wait for a slot.
        """
        async with self._slots:
            deadline = asyncio.get_running_loop().time() + self.budget
            try:
                async with asyncio.timeout_at(deadline):
                    kind, value = await self._run(job, args, answer)
            except TimeoutError:
                log.warning("A bank job (%s) overran its %g s budget and was stopped", _name(job), self.budget)
                raise CheckTookTooLong(self.budget) from None
        if kind == "ok":
            return cast(T, value)
        if kind == "refused":
            raise value
        name, text = value
        log.error("A bank job (%s) failed: %s", _name(job), text)
        raise CheckCrashed(name)

    async def _run(self, job: Callable[..., Any], args: tuple[Any, ...], answer: Answer | None) -> tuple[str, Any]:
        parent, child = multiprocessing.Pipe()
        process = _context().Process(target=_child, args=(child, job, args, answer is not None), daemon=True)
        # Forking copies the page tables of the whole process: in a thread, so the loop runs on meanwhile.
        await asyncio.to_thread(process.start)
        child.close()
        try:
            return await _converse(parent, answer)
        finally:
            # Killing the child closes its end of the pipe, so a thread still waiting on it ends too.
            if process.is_alive():
                process.kill()
            await asyncio.to_thread(process.join)
            parent.close()


async def _converse(connection: Connection, answer: Answer | None) -> tuple[str, Any]:
    while True:
        kind, value = await asyncio.to_thread(_receive, connection)
        if kind != "ask" or answer is None:
            return kind, value
        connection.send(await answer(value))


def _receive(connection: Connection) -> tuple[str, Any]:
    try:
        return cast(tuple[str, Any], connection.recv())
    except (EOFError, OSError):
        return "crashed", ("the process ended without an answer", "")


def _name(job: Callable[..., Any]) -> str:
    return getattr(job, "__qualname__", repr(job))


class ThreadWorker(Worker):
    """Runs jobs in a thread of this process: the loop stays alive but shares the GIL with the job.

    For tests that watch a job from inside the process; the bot uses `Worker`.
    """

    async def _run(self, job: Callable[..., Any], args: tuple[Any, ...], answer: Answer | None) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()

        def ask(question: Any) -> Any:
            assert answer is not None
            return asyncio.run_coroutine_threadsafe(answer(question), loop).result()

        def call() -> tuple[str, Any]:
            try:
                return "ok", job(ask, *args) if answer is not None else job(*args)
            except BankRefused as exc:
                return "refused", exc
            except Exception as exc:
                return "crashed", (type(exc).__name__, traceback.format_exc())

        return await asyncio.to_thread(call)
