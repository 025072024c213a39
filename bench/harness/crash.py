"""Kill this bot process (SIGKILL, nothing of its shutdown runs) at one step of a scheduled start.

``python -m bench.harness.botproc --die-at STEP`` installs one of these before the bot starts. The
steps are those of a scheduled start (docs/scaling-exactly-once.md):

- ``claimed``: the run is claimed and its occurrence recorded, nothing posted yet;
- ``posted``: the announcement is posted, the round not yet recorded;
- ``recorded``: the round and its announcement are recorded under the fencing token.

Patched here, in the harness, so the bot itself carries no test hooks.
"""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from typing import Any

STEPS = ("claimed", "posted", "recorded")


def die() -> None:
    """SIGKILL this process now."""
    os.kill(os.getpid(), signal.SIGKILL)


def install(step: str | None, *, lease: float | None = None) -> None:
    """Die at ``step`` (None: never); ``lease`` shortens the dispatcher's lease, in seconds, so takeovers come soon."""
    from bot.exts.calendar import _dispatcher
    from bot.exts.play import _scheduled
    from bot.rounds.service import RoundService

    if lease is not None:
        _dispatcher.LEASE = timedelta(seconds=lease)
    if step is None:
        return
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; one of {', '.join(STEPS)}")
    if step == "claimed":
        words = _scheduled.announcement_of  # type: ignore[attr-defined]

        def announcement_then_die(*args: Any, **kwargs: Any) -> str:
            die()
            return words(*args, **kwargs)

        _scheduled.announcement_of = announcement_then_die  # type: ignore[attr-defined]
        return
    start = RoundService.start

    async def start_and_die(self: RoundService, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("occurrence") is None:
            return await start(self, *args, **kwargs)
        if step == "posted":
            die()
        live = await start(self, *args, **kwargs)
        die()
        return live

    RoundService.start = start_and_die  # type: ignore[method-assign]
