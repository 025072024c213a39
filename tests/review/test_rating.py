"""The rating rule: wrong or unanswered Again, right but slow Hard, right Good, right and fast Easy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.review import Rating, rate, schedule

LIMIT = timedelta(seconds=20)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("correct", "elapsed", "expected"),
    [
        (False, timedelta(seconds=1), Rating.Again),
        (None, None, Rating.Again),
        (True, None, Rating.Again),
        (True, timedelta(seconds=0), Rating.Easy),
        (True, timedelta(seconds=5), Rating.Easy),
        (True, timedelta(seconds=5.1), Rating.Good),
        (True, timedelta(seconds=15), Rating.Good),
        (True, timedelta(seconds=15.1), Rating.Hard),
        (True, timedelta(seconds=20), Rating.Hard),
    ],
)
def test_an_answer_is_rated_by_rightness_and_speed(
    correct: bool | None, elapsed: timedelta | None, expected: Rating
) -> None:
    """A quarter of the time limit or less is fast; past three quarters is slow."""
    assert rate(correct, elapsed, LIMIT) is expected


@pytest.mark.parametrize(("rating", "days"), [(Rating.Again, 1), (Rating.Hard, 1), (Rating.Good, 2), (Rating.Easy, 8)])
def test_a_new_card_is_due_after_days_set_by_its_rating(rating: Rating, days: int) -> None:
    """No learning steps: a first answer schedules its card days ahead, the better the later."""
    assert schedule(None, rating, T0).due == T0 + timedelta(days=days)


def test_a_missed_card_answered_right_when_due_waits_longer() -> None:
    """Again then Good on the due day pushes the card out further than Again then Again."""
    missed = schedule(None, Rating.Again, T0)
    good = schedule(missed, Rating.Good, missed.due)
    again = schedule(missed, Rating.Again, missed.due)
    assert good.due - missed.due > again.due - missed.due >= timedelta(days=1)
    assert schedule(missed, Rating.Good, missed.due) == good  # no fuzz: the same history, the same date
