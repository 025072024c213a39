"""A schedule's rule as a ``Recurrence``, and the runs it has between two instants."""

from __future__ import annotations

from datetime import datetime
from itertools import takewhile
from typing import Protocol

from bot.schedules.recurrence import Recurrence, Repeat, RepeatKind
from bot.schedules.timezones import guild_zone

# After a long outage, count at most this many missed runs (the notice only needs a number).
MAX_COUNTED = 1000


class ScheduleRule(Protocol):
    """What the run times of a schedule depend on (a stored schedule has these)."""

    @property
    def repeat(self) -> Repeat:
        """How it repeats."""
        ...

    @property
    def starts_local(self) -> datetime:
        """Its first run, as a naive wall time in ``timezone``."""
        ...

    @property
    def timezone(self) -> str:
        """The IANA name of the zone it was created in."""
        ...


def recurrence_of(schedule: ScheduleRule) -> Recurrence:
    """The schedule's rule anchored at its local start, in the zone it was created in."""
    return Recurrence(schedule.repeat, schedule.starts_local, guild_zone(schedule.timezone))


def following_run(schedule: ScheduleRule, after: datetime) -> datetime | None:
    """The schedule's first run after ``after``; None for a one-off, or a rule that has ended."""
    if schedule.repeat.kind is RepeatKind.ONCE:
        return None
    return recurrence_of(schedule).next_after(after)


def runs_between(schedule: ScheduleRule, due: datetime, now: datetime) -> list[datetime]:
    """The runs from ``due`` (inclusive) up to ``now``: ``[due]`` unless the bot was away across more."""
    if schedule.repeat.kind is RepeatKind.ONCE:
        return [due]
    later = takewhile(lambda run: run <= now, recurrence_of(schedule).instants(due))
    runs = [due]
    for run in later:
        runs.append(run)
        if len(runs) >= MAX_COUNTED:
            break
    return runs
