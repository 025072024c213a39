"""CPU-heavy bank work (checking an upload, re-reading the banks folder) in a child process with a budget.

Checking a bank is pure-Python CPU work that holds the GIL: run in a thread beside the event loop it
still delays the loop's callbacks (measured with the worst upload, a 2 ms tick: p99 27-30 ms and up to
50-180 ms late in a thread; 6-13 ms in a child process). So each job runs in a child process of its own,
``python -m bot.banks.job_process``, started fresh (a new interpreter that imports only the bank modules,
about 0.3 s of CPU at the lowest priority), and is killed if it overruns its budget.

It is started with ``posix_spawn``/``vfork`` and talks through its stdin and stdout (`bot.banks.job_process`
has the frames), rather than forked from the bot: a fork copies the bot's page tables with the GIL held and
then makes the bot copy each page it writes while the child lives. With the bot at about 120 MB that stalled
the loop 15-25 ms and put P12's clicks at the start of the upload 20-40 ms behind the rest. (A multiprocessing
"spawn" or "forkserver" child would re-import the bot's ``__main__``, discord.py and all, for every job.)
"""

from __future__ import annotations

import asyncio
import logging
import math
import pickle
import sys
import traceback
from asyncio.subprocess import PIPE, Process
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, cast

from bot.banks.errors import BankRefused, CheckCrashed, CheckTookTooLong
from bot.banks.job_process import FRAME_HEADER, background

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds a job may run; an upload's check takes about 3 s at worst (bench P12).
DEFAULT_BUDGET = 30.0
#: Jobs running at once: more would only share the same cores with the bot.
DEFAULT_CONCURRENCY = 1
#: Replies larger than this are unpickled in a thread, which lets the loop run between its slices (a reload's
#: library can be megabytes); smaller ones on the loop, where a thread hand-off would cost more.
THREAD_FRAME_BYTES = 256 * 1024

Ask = Callable[[Any], Any]
"""What a conversational job calls to ask the parent a question (say, for an article the database has)."""
Answer = Callable[[Any], Coroutine[Any, Any, Any]]
"""How the parent answers a job's question, on the event loop."""


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
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.banks.job_process", stdin=PIPE, stdout=PIPE
        )
        background(process.pid)  # before it has imported anything; the child repeats it in case this failed
        try:
            return await _converse(process, (job, args, answer is not None, math.ceil(self.budget) + 1), answer)
        finally:
            if process.returncode is None:
                process.kill()
            await process.wait()


async def _converse(process: Process, request: tuple[Any, ...], answer: Answer | None) -> tuple[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    try:
        await _send(process, list(sys.path))
        await _send(process, request)
        while True:
            kind, value = await _receive(process)
            if kind != "ask" or answer is None:
                return kind, value
            await _send(process, await answer(value))
    except (EOFError, asyncio.IncompleteReadError, ConnectionError):
        return "crashed", ("the process ended without an answer", "")


async def _send(process: Process, value: Any) -> None:
    assert process.stdin is not None
    # On the loop: what is sent is small, or bytes (an upload's files, at most a few MB), which pickle copies whole.
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    process.stdin.write(FRAME_HEADER.pack(len(data)))
    process.stdin.write(data)
    await process.stdin.drain()


async def _receive(process: Process) -> tuple[str, Any]:
    assert process.stdout is not None
    (size,) = FRAME_HEADER.unpack(await process.stdout.readexactly(FRAME_HEADER.size))
    data = await process.stdout.readexactly(size)
    if size > THREAD_FRAME_BYTES:
        return cast(tuple[str, Any], await asyncio.to_thread(pickle.loads, data))
    return cast(tuple[str, Any], pickle.loads(data))


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
