"""``parse_when``: each documented form, read in the guild's zone, and an example in every error."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedules import ScheduleError, parse_when

from .helpers import wall

BERLIN = ZoneInfo("Europe/Berlin")
# Thursday 2026-01-01 10:15:30 UTC, 11:15:30 in Berlin.
NOW = datetime(2026, 1, 1, 10, 15, 30, tzinfo=UTC)
EXAMPLES = "`2026-12-01 19:30`, `19:30`, `tomorrow 18:00`, `friday 19:30` or `in 2h`"


@pytest.mark.parametrize(
    ("text", "wall", "at"),
    [
        ("2026-12-01 19:30", wall(2026, 12, 1, 19, 30), datetime(2026, 12, 1, 18, 30, tzinfo=UTC)),
        ("2026-7-4 09:05", wall(2026, 7, 4, 9, 5), datetime(2026, 7, 4, 7, 5, tzinfo=UTC)),
        ("19:30", wall(2026, 1, 1, 19, 30), datetime(2026, 1, 1, 18, 30, tzinfo=UTC)),
        ("11:00", wall(2026, 1, 2, 11, 0), datetime(2026, 1, 2, 10, 0, tzinfo=UTC)),
        ("  Today   12:00 ", wall(2026, 1, 1, 12, 0), datetime(2026, 1, 1, 11, 0, tzinfo=UTC)),
        ("tomorrow 18:00", wall(2026, 1, 2, 18, 0), datetime(2026, 1, 2, 17, 0, tzinfo=UTC)),
        ("friday 19:30", wall(2026, 1, 2, 19, 30), datetime(2026, 1, 2, 18, 30, tzinfo=UTC)),
        ("thu 19:30", wall(2026, 1, 1, 19, 30), datetime(2026, 1, 1, 18, 30, tzinfo=UTC)),
        ("thursday 08:00", wall(2026, 1, 8, 8, 0), datetime(2026, 1, 8, 7, 0, tzinfo=UTC)),
        ("in 2h", wall(2026, 1, 1, 13, 15), datetime(2026, 1, 1, 12, 15, tzinfo=UTC)),
        ("in 90m", wall(2026, 1, 1, 12, 45), datetime(2026, 1, 1, 11, 45, tzinfo=UTC)),
        ("in 1h30m", wall(2026, 1, 1, 12, 45), datetime(2026, 1, 1, 11, 45, tzinfo=UTC)),
        ("IN 1 h 30 min", wall(2026, 1, 1, 12, 45), datetime(2026, 1, 1, 11, 45, tzinfo=UTC)),
        ("in 1d", wall(2026, 1, 2, 11, 15), datetime(2026, 1, 2, 10, 15, tzinfo=UTC)),
    ],
)
def test_documented_forms(text: str, wall: datetime, at: datetime) -> None:
    """Each documented form names the wall time in the zone and its instant, to the minute."""
    when = parse_when(text, NOW, BERLIN)
    assert (when.wall, when.at) == (wall, at)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"Say when the first round starts, for example {EXAMPLES}."),
        ("soon", f"I can't read `soon` as a time. Try {EXAMPLES}."),
        ("12/01 19:30", f"I can't read `12/01 19:30` as a time. Try {EXAMPLES}."),
        ("in 5", f"I can't read `in 5` as a time. Try {EXAMPLES}."),
        ("noday 19:30", f"I can't read `noday 19:30` as a time. Try {EXAMPLES}."),
        ("`rm` 19:30", f"I can't read `'rm' 19:30` as a time. Try {EXAMPLES}."),
        ("24:00", "`24:00` is not a time of day: hours go from 0 to 23 and minutes from 0 to 59, as in `19:30`."),
        ("friday 7pm", "I can't read `friday 7pm` as a time of day: write it as `19:30` (24-hour clock)."),
        ("2026-13-01 10:00", "`2026-13-01 10:00` is not a date on the calendar: write it as `2026-12-01 19:30`"),
        ("2026-01-01 10:00", "2026-01-01 10:00 has already passed in Europe/Berlin: pick a later time, for example"),
        ("today 11:00", "11:00 today has already passed in Europe/Berlin: pick a later time, for example `in 2h`."),
        ("in 0h", "`in` needs at least a minute, for example `in 2h`, `in 90m` or `in 1h30m`."),
        ("in 400d", "Schedules can start at most a year ahead: pick a nearer time, for example `in 2h`."),
        ("2028-01-01 10:00", "Schedules can start at most a year ahead: pick a nearer time, for example `in 2h`."),
    ],
)
def test_errors_show_a_form_that_works(text: str, message: str) -> None:
    """Unreadable, impossible, past and too-distant times are refused with a working example."""
    with pytest.raises(ScheduleError) as error:
        parse_when(text, NOW, BERLIN)
    assert str(error.value).startswith(message)


def test_a_skipped_wall_time_runs_when_the_clocks_jump() -> None:
    """02:30 on the spring-forward night (it never shows on Berlin clocks) means 03:00 local, 01:00Z."""
    when = parse_when("2026-03-29 02:30", NOW, BERLIN)
    assert when.at == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_in_keeps_the_exact_instant_in_a_repeated_hour() -> None:
    """'in 30m' during the second 02:xx of the fall-back night names that second pass, not the first."""
    now = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 02:10 CET, the second time 02:10 shows
    when = parse_when("in 30m", now, BERLIN)
    assert when.at == datetime(2026, 10, 25, 1, 40, tzinfo=UTC)
    assert (when.wall.hour, when.wall.minute, when.wall.fold) == (2, 40, 1)


def test_naive_now_is_refused() -> None:
    """The clock must be aware: a naive now is a programming error, not user input."""
    with pytest.raises(ValueError, match="aware"):
        parse_when("19:30", wall(2026, 1, 1), BERLIN)
