"""Wall-clock times in a time zone, turned into instants without guessing.

Daylight-saving rules (documented in docs/scheduling.md):

- A wall time that happens twice (clocks go back) means its first occurrence, unless the
  naive datetime carries ``fold=1`` (which ``parse_when`` sets for "in 30m" landing in the
  second pass).
- A wall time that never happens (clocks jump forward over it) runs at the first valid
  instant, the moment the clocks jump: a daily 02:30 in Europe/Berlin runs at 03:00 local
  time on the last Sunday of March.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall time of an aware instant in ``zone`` (``fold`` set for a repeated hour)."""
    if instant.tzinfo is None:
        raise ValueError("instant must be an aware datetime")
    return instant.astimezone(zone).replace(tzinfo=None)


def in_gap(wall: datetime, zone: ZoneInfo) -> bool:
    """True if ``wall`` never shows on clocks in ``zone`` (skipped by a forward jump)."""
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    return wall_time(instant, zone).replace(fold=0) != wall.replace(fold=0)


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """The aware UTC instant of a naive wall time in ``zone``, by the rules in the module docstring."""
    if wall.tzinfo is not None:
        raise ValueError("wall must be a naive local datetime")
    if not in_gap(wall, zone):
        return wall.replace(tzinfo=zone).astimezone(UTC)
    return _jump_instant(wall, zone)


def _jump_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant the clocks jump over ``wall``: the first valid time after it.

    With ``fold=0`` zoneinfo reads a skipped wall time with the offset before the jump,
    with ``fold=1`` with the offset after it, so the jump lies between those two instants;
    bisect on whole seconds (transitions fall on whole seconds) for where the offset changes.
    """
    late = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    early = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = min(early, late), max(early, late)
    before = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + timedelta(seconds=(high - low).total_seconds() // 2)
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high
