"""The bank worker's child: ``python -m bot.banks.job_process`` runs the jobs sent on its stdin, one at a time.

The parent (`bot.banks.worker.Worker`) writes frames (an 8-byte length, then a pickle) to the child's stdin:
first the parent's ``sys.path``, so the jobs' modules can be imported here, then for each job ``(job, args,
conversational)``. For each job the child answers on its stdout with ``("ask", question)`` frames, each answered
by one frame on stdin, and ends with one outcome frame: ``("ok", result)``, ``("refused", BankRefused)`` or
``("crashed", (kind, traceback))``. Anything a job prints goes to stderr, so it cannot corrupt the frames. The
child ends when its stdin closes, when it is killed (a job past its budget), or when the bot that started it is
gone (a watchdog thread, since a job may run for seconds without reading its stdin).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading
import time
import traceback
from typing import IO, Any

#: Each frame: its pickle's length, big-endian, then the pickle.
FRAME_HEADER = struct.Struct(">Q")
#: How much lower a job's CPU priority is than the bot's (nice(2) increment), where SCHED_IDLE is not to be had.
CHILD_NICENESS = 19
#: How often the watchdog checks that the bot is still there, in seconds.
WATCHDOG_SECONDS = 1.0


def background(pid: int = 0) -> str:
    """Put a process (0: this one) behind every other on the machine's cores; returns how (``idle`` or ``nice``).

    SCHED_IDLE runs it only on a core nothing else wants, and any ordinary task that wakes preempts it at once:
    a nice value only weighs its share (at nice 10, about a tenth of a nice-0 task's, taken from the bot).
    """
    policy = getattr(os, "SCHED_IDLE", None)
    if policy is not None:
        with contextlib.suppress(OSError):
            os.sched_setscheduler(pid, policy, os.sched_param(0))
            return "idle"
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, CHILD_NICENESS)
    return "nice"


def read_frame(stream: IO[bytes]) -> bytes:
    """One frame's pickle from ``stream``; raises `EOFError` if the stream ends first."""
    header = stream.read(FRAME_HEADER.size)
    if len(header) < FRAME_HEADER.size:
        raise EOFError("the bot closed the pipe")
    (size,) = FRAME_HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the bot closed the pipe mid-frame")
    return data


def write_frame(stream: IO[bytes], value: Any) -> None:
    """``value`` as one frame on ``stream``."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME_HEADER.pack(len(data)) + data)
    stream.flush()


def _watch(parent: int) -> None:
    """End this process once the bot that started it is gone (its children are handed to another process)."""
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(0)


def main() -> None:
    """Run jobs until stdin closes."""
    background()  # the parent sets it too, as early as it can; this covers a parent that could not
    threading.Thread(target=_watch, args=(os.getppid(),), name="watchdog", daemon=True).start()
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a print in a job must not land among the frames
    try:
        sys.path[:] = pickle.loads(read_frame(requests))
        while True:
            _run_one(requests, replies)
    except (EOFError, BrokenPipeError):
        return  # the bot closed the pipe: it is stopping, or it stopped waiting for us


def _run_one(requests: IO[bytes], replies: IO[bytes]) -> None:
    """Read one job, run it, write its outcome; raises `EOFError` when there are no more."""
    from bot.banks.errors import BankRefused  # after sys.path: the parent's may differ from ours

    def ask(question: Any) -> Any:
        write_frame(replies, ("ask", question))
        return pickle.loads(read_frame(requests))

    request = read_frame(requests)
    outcome: tuple[str, Any]
    try:
        job, args, conversational = pickle.loads(request)
        outcome = ("ok", job(ask, *args) if conversational else job(*args))
    except (EOFError, BrokenPipeError):
        raise  # the pipe closed under a question: no one is waiting for the outcome
    except BankRefused as exc:
        outcome = ("refused", exc)
    except BaseException as exc:
        outcome = ("crashed", (type(exc).__name__, traceback.format_exc()))
    try:
        write_frame(replies, outcome)
    except BrokenPipeError:
        raise
    except Exception:
        write_frame(replies, ("crashed", ("unpicklable result", traceback.format_exc())))


if __name__ == "__main__":
    main()
