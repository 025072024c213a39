"""CPU-heavy bank work (checking an upload, re-reading the banks folder) in a child process with a budget.

Checking a bank is pure-Python CPU work that holds the GIL: run in a thread beside the event loop it
still delays the loop's callbacks (measured with the worst upload, a 2 ms tick: p99 27-30 ms and up to
50-180 ms late in a thread; 6-13 ms in a child process). So jobs run in a child process,
``python -m bot.banks.job_process``: a new interpreter that imports only the bank modules (about 0.3 s of CPU,
under SCHED_IDLE, at the first job), then runs the jobs it is sent one at a time, and is kept for the next job.
A job past its budget, or one that kills its process, costs that child: it is killed and the next job starts a
new one. Children are shared by every `Worker` of the process (tests make many), at most one idle.

The child is started with ``vfork`` (as `subprocess` does) and talks through its stdin and stdout
(`bot.banks.job_process` has the frames), rather than forked from the bot: a fork copies the bot's page tables
with the GIL held and then makes the bot copy each page it writes while the child lives. With the bot at about
120 MB that stalled the loop 15-25 ms and put P12's clicks at the start of the upload 20-40 ms behind the rest.
(A multiprocessing "spawn" or "forkserver" child would re-import the bot's ``__main__``, discord.py and all.)
The pipes are read and written by threads, so a child is not tied to one event loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Coroutine
from typing import IO, Any, TypeVar, cast

from bot.banks.errors import BankRefused, CheckCrashed, CheckTookTooLong
from bot.banks.job_process import background, read_frame, write_frame

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds a job may run; an upload's check takes about 3 s at worst (bench P12).
DEFAULT_BUDGET = 30.0
#: Jobs running at once: more would only share the same cores with the bot.
DEFAULT_CONCURRENCY = 1
#: Jobs one child runs before it is replaced, so that whatever a job leaves behind in it cannot pile up.
JOBS_PER_CHILD = 100
#: A child holding more memory than this after its job is replaced rather than kept idle: after the worst upload
#: (a 1 MB article) it holds about 95 MB that Python does not give back, where a fresh one needs about 20 MB.
MAX_IDLE_CHILD_BYTES = 64 * 2**20

Ask = Callable[[Any], Any]
"""What a conversational job calls to ask the parent a question (say, for an article the database has)."""
Answer = Callable[[Any], Coroutine[Any, Any, Any]]
"""How the parent answers a job's question, on the event loop."""


class _Child:
    """One ``python -m bot.banks.job_process``, and the pipes to it (blocking: used from threads)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.banks.job_process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        background(self.process.pid)  # before it has imported anything; the child repeats it in case this failed
        self.jobs = 0
        self.send(list(sys.path))

    @property
    def _stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    def send(self, value: Any) -> None:
        """One frame to the child."""
        write_frame(self._stdin, value)

    def receive(self) -> tuple[str, Any]:
        """The child's next frame; a child that ended (or was killed) without one has crashed."""
        assert self.process.stdout is not None
        try:
            return cast(tuple[str, Any], pickle.loads(read_frame(self.process.stdout)))
        except (EOFError, OSError):
            return "crashed", ("the process ended without an answer", "")

    def stop(self) -> None:
        """Kill the child and reap it."""
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


_idle: list[_Child] = []
_idle_lock = threading.Lock()


def _take() -> _Child:
    """An idle child, or a new one."""
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.process.poll() is None:
                return child
    return _Child()


def _give_back(child: _Child) -> None:
    """Keep a child that finished its job cleanly for the next one (one idle at most, and not a big one)."""
    child.jobs += 1
    keep = child.jobs < JOBS_PER_CHILD and _resident_bytes(child.process.pid) <= MAX_IDLE_CHILD_BYTES
    with _idle_lock:
        if keep and not _idle and child.process.poll() is None:
            _idle.append(child)
            return
    child.stop()


def _resident_bytes(pid: int) -> int:
    """A process's resident memory (Linux's ``/proc``; 0 where that cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


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
        try:
            child = await asyncio.to_thread(_take)
        except OSError:
            return "crashed", ("the job process could not be started", traceback.format_exc())
        clean = False
        try:
            await asyncio.to_thread(child.send, (job, args, answer is not None))
            while True:
                kind, value = await asyncio.to_thread(child.receive)
                if kind != "ask" or answer is None:
                    # A crash may have left the child broken (or gone): only a job that ended by itself gives it back.
                    clean = kind != "crashed"
                    return kind, value
                await asyncio.to_thread(child.send, await answer(value))
        except (BrokenPipeError, ConnectionError):
            return "crashed", ("the process ended without an answer", "")
        finally:
            if not clean:
                # At once, even if this task is cancelled again: a job stopped at its budget must not run on. Its
                # thread's read then ends too.
                child.process.kill()
            await asyncio.to_thread(_give_back if clean else _Child.stop, child)


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
