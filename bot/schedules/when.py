"""``when`` for a schedule: a strict parser for the few forms the help text documents.

Accepted, read in the guild's time zone and to the minute:

- ``2026-12-01 19:30``: a date and a time;
- ``19:30``: today if that is still ahead, else tomorrow;
- ``today 19:30``, ``tomorrow 18:00``;
- ``friday 19:30`` (or ``fri 19:30``): the next such day, today if the time is still ahead;
- ``in 2h``, ``in 90m``, ``in 1h30m``, ``in 1d``: from now.

Anything else, and any time already past, is a ``ScheduleError`` whose message shows
examples that work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.schedules.errors import ScheduleError
from bot.schedules.zones import localize, wall_time

EXAMPLES = "`2026-12-01 19:30`, `19:30`, `tomorrow 18:00`, `friday 19:30` or `in 2h`"
# Far enough for any plan, near enough that a typo in the year is caught.
MAX_AHEAD = timedelta(days=366)
ECHO_LENGTH = 40

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_DATE_TIME = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})[ t](?P<clock>\S+)")
_CLOCK = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})")
_DAY_CLOCK = re.compile(r"(?P<day>[a-z]+) (?P<clock>\S+)")
_IN = re.compile(r"in (?=\d)(?:(?P<days>\d{1,3}) ?d)? ?(?:(?P<hours>\d{1,4}) ?h)? ?(?:(?P<minutes>\d{1,6}) ?m(?:in)?)?")


@dataclass(frozen=True, slots=True)
class When:
    """A parsed ``when``: the local wall time (naive, to the minute) and the instant it names (aware UTC)."""

    wall: datetime
    at: datetime


def echo(text: str) -> str:
    """User input made safe to quote inside backticks in an error message."""
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= ECHO_LENGTH else flat[: ECHO_LENGTH - 1] + "…"


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> When:
    """The moment ``text`` names, after ``now``, in ``zone``; raises ScheduleError with examples."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    normal = " ".join(text.strip().lower().split())
    if not normal:
        raise ScheduleError(f"Say when the first round starts, for example {EXAMPLES}.")
    local_now = wall_time(now, zone)
    if match := _IN.fullmatch(normal):
        when = _relative(match, now, zone)
    elif match := _DATE_TIME.fullmatch(normal):
        when = _absolute(match, text, zone)
    elif match := _CLOCK.fullmatch(normal):
        when = _next_at(_clock(normal, text), local_now.date(), now, zone, step=timedelta(days=1))
    elif (match := _DAY_CLOCK.fullmatch(normal)) and (day := _day(match["day"], local_now.date())) is not None:
        step = timedelta(days=7) if match["day"] not in ("today", "tomorrow") else None
        when = _next_at(_clock(match["clock"], text), day, now, zone, step=step)
    else:
        raise ScheduleError(f"I can't read `{echo(text)}` as a time. Try {EXAMPLES}.")
    if when.at <= now:
        raise ScheduleError(
            f"{when.wall:%Y-%m-%d %H:%M} has already passed in {zone.key}: "
            "pick a later time, for example `tomorrow 18:00` or `in 2h`."
        )
    if when.at - now > MAX_AHEAD:
        raise ScheduleError("Schedules can start at most a year ahead: pick a nearer time, for example `in 2h`.")
    return when


def _clock(value: str, text: str) -> time:
    match = _CLOCK.fullmatch(value)
    if match is None:
        raise ScheduleError(f"I can't read `{echo(text)}` as a time of day: write it as `19:30` (24-hour clock).")
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise ScheduleError(
            f"`{echo(text)}` is not a time of day: hours go from 0 to 23 and minutes from 0 to 59, as in `19:30`."
        )
    return time(hour, minute)


def _day(word: str, today: date) -> date | None:
    """The date a day word names, at or after ``today``; None if ``word`` is no day word."""
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + timedelta(days=(index - today.weekday()) % 7)
    return None


def _next_at(clock: time, day: date, now: datetime, zone: ZoneInfo, *, step: timedelta | None) -> When:
    """``clock`` on ``day``; if that has passed, ``step`` later (or an error when there is no step)."""
    wall = datetime.combine(day, clock)
    at = localize(wall, zone)
    if at <= now:
        if step is None:
            raise ScheduleError(
                f"{wall:%H:%M} today has already passed in {zone.key}: pick a later time, for example `in 2h`."
            )
        wall += step
        at = localize(wall, zone)
    return When(wall, at)


def _absolute(match: re.Match[str], text: str, zone: ZoneInfo) -> When:
    clock = _clock(match["clock"], text)
    try:
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ScheduleError(
            f"`{echo(text)}` is not a date on the calendar: write it as `2026-12-01 19:30` (year-month-day)."
        ) from None
    wall = datetime.combine(day, clock)
    return When(wall, localize(wall, zone))


def _relative(match: re.Match[str], now: datetime, zone: ZoneInfo) -> When:
    days, hours, minutes = (int(match[name] or 0) for name in ("days", "hours", "minutes"))
    delta = timedelta(days=days, hours=hours, minutes=minutes)
    if delta < timedelta(minutes=1):
        raise ScheduleError("`in` needs at least a minute, for example `in 2h`, `in 90m` or `in 1h30m`.")
    if delta > MAX_AHEAD:
        raise ScheduleError("Schedules can start at most a year ahead: pick a nearer time, for example `in 2h`.")
    # To the minute, like every other form, so the stored start reads as a plain wall time.
    at = (now + delta).replace(second=0, microsecond=0)
    if at <= now:
        at += timedelta(minutes=1)
    return When(wall_time(at, zone), at)
