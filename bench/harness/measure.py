"""Small statistics and waiting helpers shared by the workloads."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (q in 0-100) of a non-empty sample."""
    if not values:
        raise ValueError("percentile of an empty sample")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float, every: float = 0.05) -> bool:
    """Poll ``check`` until it is true or ``timeout`` passes; returns whether it came true."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        if await check():
            return True
        await asyncio.sleep(every)
    return await check()
