"""Schedules without Discord: parsing ``when`` and ``repeat``, and the runs a rule makes in a time zone."""

from bot.schedules.describe import describe_repeat
from bot.schedules.errors import ScheduleError
from bot.schedules.recurrence import ONCE, Recurrence, Repeat, RepeatKind, format_wall, parse_wall
from bot.schedules.repeat import MIN_INTERVAL, anchor, check_recurrence, parse_repeat
from bot.schedules.when import When, parse_when
from bot.schedules.zones import in_gap, localize, wall_time

__all__ = [
    "MIN_INTERVAL",
    "ONCE",
    "Recurrence",
    "Repeat",
    "RepeatKind",
    "ScheduleError",
    "When",
    "anchor",
    "check_recurrence",
    "describe_repeat",
    "format_wall",
    "in_gap",
    "localize",
    "parse_repeat",
    "parse_wall",
    "parse_when",
    "wall_time",
]
