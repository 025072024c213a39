"""``repeat`` for a schedule: ``none``, ``daily``, ``weekly [days]``, an RRULE or a cron line.

Everything becomes a ``Repeat``: the friendly forms are stored as the RRULE they mean
(``daily`` is ``FREQ=DAILY``), so only dateutil and croniter ever compute dates. A rule that
would run more often than every ``MIN_INTERVAL`` is refused, to keep channels free of spam.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.schedules.errors import ScheduleError
from bot.schedules.recurrence import ONCE, Recurrence, Repeat, RepeatKind
from bot.schedules.when import WEEKDAYS, echo

MIN_INTERVAL = timedelta(minutes=10)
# How many runs the spacing check looks at: enough to catch a burst inside a day or a month.
CHECKED_RUNS = 200
MAX_RULE_LENGTH = 200

EXAMPLES = (
    "`none`, `daily`, `weekly`, `weekly mon,wed,fri`, an RRULE such as `FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0` "
    "or a cron line such as `30 19 * * 1-5`"
)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NONE_WORDS = frozenset({"", "none", "no", "once", "never"})
# A cron line's minute field starts like this; nothing else we accept does.
CRON_FIRST = frozenset("0123456789*")
_UTC_UNTIL = re.compile(r"UNTIL=\d{8}(T\d{6})?Z")


def parse_repeat(text: str) -> Repeat:
    """The rule ``text`` names (not yet checked against a start); raises ScheduleError with examples."""
    raw = " ".join(text.split())
    if len(raw) > MAX_RULE_LENGTH:
        raise ScheduleError(f"That repeat rule is longer than {MAX_RULE_LENGTH} characters. Use {EXAMPLES}.")
    lower = raw.lower()
    if lower in NONE_WORDS:
        return ONCE
    if lower in ("daily", "every day"):
        return Repeat(RepeatKind.RRULE, "FREQ=DAILY")
    if lower == "weekly" or lower.startswith("weekly "):
        return _weekly(lower.removeprefix("weekly").strip(), raw)
    if lower.startswith(("rrule:", "freq=", "dtstart")):
        return _rrule(raw)
    if raw[0] in CRON_FIRST:
        return _cron(raw)
    raise ScheduleError(f"I can't read `{echo(raw)}` as a repeat. Use {EXAMPLES}.")


def anchor(repeat: Repeat, start: datetime) -> Repeat:
    """``repeat`` made concrete for its start: plain ``weekly`` runs on the start's weekday."""
    if repeat.kind is RepeatKind.RRULE and repeat.rule == "FREQ=WEEKLY":
        return Repeat(RepeatKind.RRULE, f"FREQ=WEEKLY;BYDAY={RRULE_DAYS[start.weekday()]}")
    return repeat


def check_recurrence(recurrence: Recurrence, first: datetime) -> list[datetime]:
    """The runs from ``first`` on (at most CHECKED_RUNS); raises unless there is one and they are spaced out."""
    try:
        runs = recurrence.upcoming(first, CHECKED_RUNS, inclusive=True)
    except (ValueError, TypeError, OverflowError) as error:
        raise ScheduleError(f"That repeat rule can't be used: {error}. Use {EXAMPLES}.") from None
    if not runs:
        raise ScheduleError(
            "That repeat rule never runs after the start time: check its dates, or start earlier with `when`."
        )
    for earlier, later in pairwise(runs):
        if later - earlier < MIN_INTERVAL:
            zone = recurrence.zone
            raise ScheduleError(
                f"That repeats too often: it would run at {_clock(earlier, zone)} and again at {_clock(later, zone)}. "
                f"Runs must be at least {MIN_INTERVAL.seconds // 60} minutes apart, for example `daily`."
            )
    return runs


def _clock(instant: datetime, zone: ZoneInfo) -> str:
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M}"


def _weekly(days_text: str, raw: str) -> Repeat:
    if not days_text:
        return Repeat(RepeatKind.RRULE, "FREQ=WEEKLY")
    indices: set[int] = set()
    for word in days_text.replace(",", " ").split():
        found = [i for i, name in enumerate(WEEKDAYS) if len(word) >= 2 and name.startswith(word)]
        if len(found) != 1:
            raise ScheduleError(
                f"I can't read `{echo(word)}` in `{echo(raw)}` as a day of the week. "
                "Write the days like this: `weekly mon,wed,fri`."
            )
        indices.add(found[0])
    return Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=" + ",".join(RRULE_DAYS[i] for i in sorted(indices)))


def _rrule(raw: str) -> Repeat:
    rule = raw.upper().removeprefix("RRULE:").replace(" ", "")
    if "DTSTART" in rule or "TZID" in rule or ":" in rule:
        raise ScheduleError(
            "Leave DTSTART and TZID out of the RRULE: the start comes from `when` and the zone from the server's "
            "settings. For example `FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0`."
        )
    if _UTC_UNTIL.search(rule):
        raise ScheduleError(
            "Write UNTIL as a local time, without the final Z: for example `FREQ=DAILY;UNTIL=20261231T235900`."
        )
    from dateutil.rrule import rrulestr  # here, not at start-up: see recurrence.walls

    try:
        # Any naive start will do to check the syntax; the real start is checked by check_recurrence.
        rrulestr(rule, dtstart=datetime(2026, 1, 1))  # noqa: DTZ001 - rules run on naive wall times
    except (ValueError, TypeError) as error:
        raise ScheduleError(
            f"That RRULE can't be read ({echo(str(error))}). For example `FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0`."
        ) from None
    return Repeat(RepeatKind.RRULE, rule)


def _cron(raw: str) -> Repeat:
    from croniter import croniter  # here, not at start-up: see recurrence.walls

    fields = raw.split(" ")
    if len(fields) != 5 or not croniter.is_valid(raw):
        raise ScheduleError(
            f"`{echo(raw)}` is not a cron line I can use: give five fields (minute hour day month weekday), "
            "for example `30 19 * * 1-5` for 19:30 on weekdays."
        )
    return Repeat(RepeatKind.CRON, raw)
