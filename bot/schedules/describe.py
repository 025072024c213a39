"""Schedules in words, for replies and ``/quiz schedule list``."""

from __future__ import annotations

from datetime import datetime

from bot.schedules.recurrence import Repeat, RepeatKind
from bot.schedules.repeat import RRULE_DAYS
from bot.schedules.when import WEEKDAYS


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_repeat(repeat: Repeat, start: datetime, zone_name: str) -> str:
    """How often a schedule runs, in words: ``every day at 19:30 (Europe/Berlin)``."""
    at = f"at {start:%H:%M} ({zone_name})"
    match repeat.kind:
        case RepeatKind.ONCE:
            return "once"
        case RepeatKind.CRON:
            return f"cron `{repeat.rule}` ({zone_name})"
    if repeat.rule == "FREQ=DAILY":
        return f"every day {at}"
    prefix = "FREQ=WEEKLY;BYDAY="
    if repeat.rule.startswith(prefix):
        codes = repeat.rule.removeprefix(prefix).split(",")
        if all(code in RRULE_DAYS for code in codes):
            names = [WEEKDAYS[RRULE_DAYS.index(code)].capitalize() for code in codes]
            return f"every {_and(names)} {at}"
    return f"RRULE `{repeat.rule}` from {start:%Y-%m-%d %H:%M} ({zone_name})"
