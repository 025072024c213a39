"""Rules in words, as ``/quiz schedule list`` and the add reply show them."""

from __future__ import annotations

import pytest

from bot.schedules import ONCE, Repeat, RepeatKind, describe_repeat

from .helpers import wall

START = wall(2026, 1, 1, 19, 30)


@pytest.mark.parametrize(
    ("repeat", "words"),
    [
        (ONCE, "once"),
        (Repeat(RepeatKind.RRULE, "FREQ=DAILY"), "every day at 19:30 (Europe/Berlin)"),
        (Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=TH"), "every Thursday at 19:30 (Europe/Berlin)"),
        (Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=MO,FR"), "every Monday and Friday at 19:30 (Europe/Berlin)"),
        (
            Repeat(RepeatKind.RRULE, "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
            "every Monday, Wednesday and Friday at 19:30 (Europe/Berlin)",
        ),
        (
            Repeat(RepeatKind.RRULE, "FREQ=MONTHLY;BYMONTHDAY=1"),
            "RRULE `FREQ=MONTHLY;BYMONTHDAY=1` from 2026-01-01 19:30 (Europe/Berlin)",
        ),
        (Repeat(RepeatKind.CRON, "30 19 * * 1-5"), "cron `30 19 * * 1-5` (Europe/Berlin)"),
    ],
)
def test_describe(repeat: Repeat, words: str) -> None:
    """Friendly rules read as sentences; power-user rules are quoted as written."""
    assert describe_repeat(repeat, START, "Europe/Berlin") == words
