"""When a schedule runs: occurrences of a rule in local wall time, turned into UTC instants.

Rules are computed on naive local datetimes (dateutil's rrule, or croniter for cron lines)
and only then localised with ``zones.localize``, so a daily 19:30 stays 19:30 on the clocks
across daylight-saving changes, while its UTC instant moves by the hour.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from bot.schedules.zones import localize, wall_time

# Walls up to this far before an instant's own wall time can still map after it: daylight
# saving moves clocks by at most two hours (Antarctica/Troll), and a gap shifts runs forward.
_LOOKBACK = timedelta(hours=3)
WALL_FORMAT = "%Y-%m-%dT%H:%M"


class RepeatKind(enum.StrEnum):
    """How a schedule repeats: not at all, by an RFC 5545 RRULE, or by a cron line."""

    ONCE = "once"
    RRULE = "rrule"
    CRON = "cron"


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeat rule as stored: its kind and its canonical text (empty for ONCE)."""

    kind: RepeatKind
    rule: str = ""


ONCE = Repeat(RepeatKind.ONCE)


def format_wall(wall: datetime) -> str:
    """A wall time as stored: ``2026-12-01T19:30``."""
    return wall.strftime(WALL_FORMAT)


def parse_wall(text: str) -> datetime:
    """A stored wall time back to a naive datetime."""
    return datetime.strptime(text, WALL_FORMAT)  # noqa: DTZ007 - a wall time, deliberately naive


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeat rule anchored at a local start (the rule's DTSTART) in a zone."""

    repeat: Repeat
    start: datetime
    zone: ZoneInfo

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None:
            raise ValueError("start must be a naive local wall time")

    def walls(self, since: datetime) -> Iterator[datetime]:
        """The rule's local wall times at or after ``since`` (naive) and its start, in order."""
        since = max(since.replace(fold=0), self.start)
        match self.repeat.kind:
            case RepeatKind.ONCE:
                if self.start >= since:
                    yield self.start
            case RepeatKind.RRULE:
                # Imported here: croniter brings dateutil.tz, a tenth of the bot's start-up, for rules only
                # some guilds have.
                from dateutil.rrule import rrule, rrulestr

                rule = rrulestr(self.repeat.rule, dtstart=self.start)
                assert isinstance(rule, rrule)
                yield from rule.xafter(since, inc=True)
            case RepeatKind.CRON:
                from croniter import croniter

                # get_next is strictly after its base; cron lines have whole minutes.
                times = croniter(self.repeat.rule, since - timedelta(seconds=1))
                while True:
                    yield times.get_next(datetime)

    def instants(self, after: datetime, *, inclusive: bool = False) -> Iterator[datetime]:
        """The rule's runs as aware UTC instants after ``after`` (or at it, if ``inclusive``), rising."""
        last: datetime | None = None
        for wall in self.walls(wall_time(after, self.zone) - _LOOKBACK):
            instant = localize(wall, self.zone)
            if instant < after or (instant == after and not inclusive):
                continue
            # Walls in a skipped hour all run at the jump: run once there.
            if last is not None and instant <= last:
                continue
            last = instant
            yield instant

    def next_after(self, after: datetime, *, inclusive: bool = False) -> datetime | None:
        """The first run after ``after``; None if the rule has ended."""
        return next(self.instants(after, inclusive=inclusive), None)

    def upcoming(self, after: datetime, count: int, *, inclusive: bool = False) -> list[datetime]:
        """The next ``count`` runs (fewer if the rule ends)."""
        return list(islice(self.instants(after, inclusive=inclusive), count))
