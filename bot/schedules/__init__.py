"""Schedules without Discord: parsing ``when`` and ``repeat``, and the runs a rule makes in a time zone."""

from bot.schedules.describe import describe_repeat
from bot.schedules.errors import ScheduleError
from bot.schedules.recurrence import ONCE, Recurrence, Repeat, RepeatKind, format_wall, parse_wall
from bot.schedules.repeat import MIN_INTERVAL, anchor, check_recurrence, parse_repeat
from bot.schedules.runs import ScheduleRule, following_run, recurrence_of, runs_between
from bot.schedules.timezones import guild_zone, parse_zone, week_start
from bot.schedules.when import When, parse_when
from bot.schedules.zones import in_gap, localize, wall_time

__all__ = [
    "MIN_INTERVAL",
    "ONCE",
    "Recurrence",
    "Repeat",
    "RepeatKind",
    "ScheduleError",
    "ScheduleRule",
    "When",
    "anchor",
    "check_recurrence",
    "describe_repeat",
    "following_run",
    "format_wall",
    "guild_zone",
    "in_gap",
    "localize",
    "parse_repeat",
    "parse_wall",
    "parse_when",
    "parse_zone",
    "recurrence_of",
    "runs_between",
    "wall_time",
    "week_start",
]
