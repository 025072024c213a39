"""Runs of a rule in a zone: local wall times stay put across daylight saving, UTC instants move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.schedules import ONCE, Recurrence, Repeat, RepeatKind, format_wall, parse_repeat, parse_wall

from .helpers import wall

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
DAILY = Repeat(RepeatKind.RRULE, "FREQ=DAILY")


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "start", "after", "runs"),
    [
        # Berlin springs forward on 2026-03-29: 19:30 CET is 18:30Z, 19:30 CEST is 17:30Z.
        (
            BERLIN,
            wall(2026, 3, 27, 19, 30),
            utc(2026, 3, 27),
            [utc(2026, 3, 27, 18, 30), utc(2026, 3, 28, 18, 30), utc(2026, 3, 29, 17, 30), utc(2026, 3, 30, 17, 30)],
        ),
        # ...and falls back on 2026-10-25: 17:30Z in summer time, 18:30Z after.
        (
            BERLIN,
            wall(2026, 10, 23, 19, 30),
            utc(2026, 10, 23),
            [
                utc(2026, 10, 23, 17, 30),
                utc(2026, 10, 24, 17, 30),
                utc(2026, 10, 25, 18, 30),
                utc(2026, 10, 26, 18, 30),
            ],
        ),
        # New York springs forward on 2026-03-08 (19:30 EST = 00:30Z next day, EDT = 23:30Z).
        (
            NEW_YORK,
            wall(2026, 3, 6, 19, 30),
            utc(2026, 3, 6),
            [utc(2026, 3, 7, 0, 30), utc(2026, 3, 8, 0, 30), utc(2026, 3, 8, 23, 30), utc(2026, 3, 9, 23, 30)],
        ),
        # ...and falls back on 2026-11-01.
        (
            NEW_YORK,
            wall(2026, 10, 30, 19, 30),
            utc(2026, 10, 30),
            [utc(2026, 10, 30, 23, 30), utc(2026, 10, 31, 23, 30), utc(2026, 11, 2, 0, 30), utc(2026, 11, 3, 0, 30)],
        ),
    ],
    ids=["berlin-spring", "berlin-autumn", "new-york-spring", "new-york-autumn"],
)
def test_daily_keeps_local_time_across_daylight_saving(
    zone: ZoneInfo, start: datetime, after: datetime, runs: list[datetime]
) -> None:
    """A daily 19:30 runs at 19:30 on local clocks every day, so its UTC time shifts by the hour."""
    recurrence = Recurrence(DAILY, start, zone)
    assert recurrence.upcoming(after, 4) == runs
    assert {run.astimezone(zone).strftime("%H:%M") for run in runs} == {"19:30"}


def test_a_daily_run_in_the_skipped_hour_runs_when_the_clocks_jump() -> None:
    """A daily 02:30 in Berlin runs at 03:00 on the spring-forward day, and at 02:30 again after."""
    recurrence = Recurrence(DAILY, wall(2026, 3, 28, 2, 30), BERLIN)
    local = [run.astimezone(BERLIN).strftime("%d %H:%M") for run in recurrence.upcoming(utc(2026, 3, 28), 3)]
    assert local == ["28 02:30", "29 03:00", "30 02:30"]


def test_a_daily_run_in_the_repeated_hour_runs_once_at_the_first_pass() -> None:
    """A daily 02:30 in Berlin runs once on the fall-back day, at the first 02:30 (CEST)."""
    recurrence = Recurrence(DAILY, wall(2026, 10, 24, 2, 30), BERLIN)
    assert recurrence.upcoming(utc(2026, 10, 24), 3) == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 26, 1, 30),
    ]


def test_runs_in_a_skipped_hour_collapse_into_one() -> None:
    """Quarter-hourly runs across Berlin's skipped hour run once at the jump, never twice or out of order."""
    rule = Repeat(RepeatKind.RRULE, "FREQ=MINUTELY;INTERVAL=15")
    runs = Recurrence(rule, wall(2026, 3, 29, 1, 30), BERLIN).upcoming(utc(2026, 3, 29), 5)
    assert [run.astimezone(BERLIN).strftime("%H:%M") for run in runs] == ["01:30", "01:45", "03:00", "03:15", "03:30"]
    assert runs == sorted(set(runs))


def test_weekly_on_chosen_days() -> None:
    """'weekly mon,wed,fri' from a Thursday runs Friday, Monday, Wednesday, Friday."""
    recurrence = Recurrence(parse_repeat("weekly mon,wed,fri"), wall(2026, 1, 1, 19, 30), BERLIN)
    runs = recurrence.upcoming(utc(2026, 1, 1), 4)
    assert [run.astimezone(BERLIN).strftime("%a %d %H:%M") for run in runs] == [
        "Fri 02 19:30",
        "Mon 05 19:30",
        "Wed 07 19:30",
        "Fri 09 19:30",
    ]


def test_cron_runs_in_local_time() -> None:
    """A cron line is read in the schedule's zone: 19:30 on weekdays, Berlin time, across the spring change."""
    recurrence = Recurrence(parse_repeat("30 19 * * 1-5"), wall(2026, 3, 26, 0, 0), BERLIN)
    runs = recurrence.upcoming(utc(2026, 3, 26), 3)
    assert runs == [utc(2026, 3, 26, 18, 30), utc(2026, 3, 27, 18, 30), utc(2026, 3, 30, 17, 30)]


def test_next_after_is_strict_unless_inclusive() -> None:
    """next_after skips a run exactly at the given instant unless told to include it."""
    recurrence = Recurrence(DAILY, wall(2026, 1, 1, 19, 30), BERLIN)
    first = utc(2026, 1, 1, 18, 30)
    assert recurrence.next_after(first) == first + timedelta(days=1)
    assert recurrence.next_after(first, inclusive=True) == first


def test_rules_that_end() -> None:
    """A one-off has a single run, an RRULE with COUNT ends, and after the end there is no next run."""
    once = Recurrence(ONCE, wall(2026, 1, 1, 19, 30), BERLIN)
    assert once.upcoming(utc(2026, 1, 1), 3) == [utc(2026, 1, 1, 18, 30)]
    assert once.next_after(utc(2026, 1, 1, 18, 30)) is None
    counted = Recurrence(Repeat(RepeatKind.RRULE, "FREQ=DAILY;COUNT=2"), wall(2026, 1, 1, 19, 30), BERLIN)
    assert len(counted.upcoming(utc(2026, 1, 1), 5)) == 2


def test_runs_never_precede_the_start() -> None:
    """Asking from long before the start still begins at the start."""
    recurrence = Recurrence(DAILY, wall(2026, 6, 1, 8, 0), BERLIN)
    assert recurrence.next_after(utc(2026, 1, 1)) == utc(2026, 6, 1, 6, 0)


def test_an_aware_start_is_refused() -> None:
    """The start is a wall time: an aware datetime is a programming error."""
    with pytest.raises(ValueError, match="naive"):
        Recurrence(DAILY, utc(2026, 1, 1), BERLIN)


def test_wall_times_are_stored_as_text() -> None:
    """Wall times round-trip through their stored form."""
    stored = wall(2026, 12, 1, 19, 30)
    assert format_wall(stored) == "2026-12-01T19:30"
    assert parse_wall("2026-12-01T19:30") == stored
