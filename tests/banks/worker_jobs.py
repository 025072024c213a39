"""Jobs for the bank worker's tests, in a module of their own that imports next to nothing.

The worker's child imports a job's module to run it: this one keeps the child as small as a real job's (the test
module, with pytest and the database fixtures, would not), which the test of its memory limit relies on.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from bot.banks.errors import FileTooBig


def spin(seconds: float) -> int:
    """Burn CPU in pure Python for ``seconds``."""
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        count += 1
    return count


def too_big() -> None:
    """Refuse as the upload check does."""
    raise FileTooBig("big.yaml", 2_000, 1_000, "bank")


def deep(depth: int) -> int:
    """Recurse until Python gives up."""
    return deep(depth + 1) + 1


def pid() -> int:
    """The process the job ran in."""
    return os.getpid()


def scheduling() -> tuple[int, int]:
    """The job's scheduling policy and nice value."""
    return os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, 0)


def discord_loaded() -> bool:
    """Whether discord.py is imported in the job's process."""
    return "discord" in sys.modules


def chatty(size: int) -> bytes:
    """Print to stdout, then return ``size`` bytes."""
    print("a job's print goes to stderr, not among the frames")
    return bytes(range(256)) * (size // 256)


def exits() -> None:
    """End the process without an answer."""
    os._exit(3)


def asks(ask: Callable[[str], str], first: str, second: str) -> str:
    """Ask the parent twice."""
    return ask(first) + ask(second)


def hoard(megabytes: int) -> int:
    """Leave ``megabytes`` of memory held in the job's process, and return its id."""
    _held.append(bytearray(megabytes << 20))
    return os.getpid()


_held: list[bytearray] = []
