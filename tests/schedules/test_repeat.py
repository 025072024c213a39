"""``parse_repeat`` and ``check_recurrence``: friendly forms become RRULEs, bad rules are refused with examples."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedules import (
    ONCE,
    Recurrence,
    Repeat,
    RepeatKind,
    ScheduleError,
    anchor,
    check_recurrence,
    parse_repeat,
)

from .helpers import wall

UTC_ZONE = ZoneInfo("UTC")
START = wall(2026, 1, 1, 19, 30)  # a Thursday
FIRST = datetime(2026, 1, 1, 19, 30, tzinfo=UTC)
EXAMPLES = "Use `none`, `daily`, `weekly`, `weekly mon,wed,fri`, an RRULE such as"


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        ("", ONCE),
        ("None", ONCE),
        ("once", ONCE),
        ("daily", Repeat(RepeatKind.RRULE, "FREQ=DAILY")),
        ("Every  Day", Repeat(RepeatKind.RRULE, "FREQ=DAILY")),
        ("weekly", Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=TH")),
        ("weekly fri,mon,wed", Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=MO,WE,FR")),
        ("weekly Saturday sunday", Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=SA,SU")),
        ("RRULE:FREQ=WEEKLY;BYDAY=SA", Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=SA")),
        ("freq=monthly;bymonthday=1", Repeat(RepeatKind.RRULE, "FREQ=MONTHLY;BYMONTHDAY=1")),
        ("30 19 * * 1-5", Repeat(RepeatKind.CRON, "30 19 * * 1-5")),
        ("*/30  * * * *", Repeat(RepeatKind.CRON, "*/30 * * * *")),
    ],
)
def test_forms(text: str, repeat: Repeat) -> None:
    """Each accepted form becomes its canonical rule; plain weekly takes the start's weekday."""
    assert anchor(parse_repeat(text), START) == repeat


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fortnightly", f"I can't read `fortnightly` as a repeat. {EXAMPLES}"),
        ("monthly", f"I can't read `monthly` as a repeat. {EXAMPLES}"),
        ("weekly funday", "I can't read `funday` in `weekly funday` as a day of the week. Write the days like this"),
        ("weekly t", "I can't read `t` in `weekly t` as a day of the week."),
        ("FREQ=SOMETIMES", "That RRULE can't be read"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "Leave DTSTART and TZID out of the RRULE"),
        ("FREQ=DAILY;UNTIL=20261231T000000Z", "Write UNTIL as a local time, without the final Z"),
        ("61 19 * * *", "`61 19 * * *` is not a cron line I can use: give five fields"),
        ("0 30 19 * * *", "`0 30 19 * * *` is not a cron line I can use"),
        ("x" * 201, "That repeat rule is longer than 200 characters."),
    ],
)
def test_unreadable_rules_are_refused_with_examples(text: str, message: str) -> None:
    """Unknown words, bad days, broken RRULEs and cron lines get an error with a working example."""
    with pytest.raises(ScheduleError) as error:
        parse_repeat(text)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    "text",
    ["*/5 * * * *", "FREQ=MINUTELY;INTERVAL=5", "0,5 19 * * *", "FREQ=DAILY;BYHOUR=19;BYMINUTE=0,9"],
)
def test_rules_more_often_than_every_ten_minutes_are_refused(text: str) -> None:
    """A rule with two runs less than ten minutes apart is refused, naming the two runs."""
    recurrence = Recurrence(parse_repeat(text), START, UTC_ZONE)
    with pytest.raises(ScheduleError, match="Runs must be at least 10 minutes apart"):
        check_recurrence(recurrence, FIRST)


def test_every_ten_minutes_is_allowed() -> None:
    """Exactly ten minutes apart is the limit, and allowed."""
    recurrence = Recurrence(parse_repeat("*/10 * * * *"), START, UTC_ZONE)
    assert len(check_recurrence(recurrence, FIRST)) == 200


def test_a_rule_with_no_run_ahead_is_refused() -> None:
    """A rule whose runs all lie before the start is refused."""
    recurrence = Recurrence(parse_repeat("FREQ=DAILY;UNTIL=20251231T000000"), START, UTC_ZONE)
    with pytest.raises(ScheduleError, match="never runs after the start time"):
        check_recurrence(recurrence, FIRST)
