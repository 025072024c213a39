"""How an answer becomes an FSRS rating: wrong or unanswered Again, right but slow Hard, right Good, fast Easy."""

from __future__ import annotations

from datetime import timedelta

from fsrs import Rating

__all__ = ["FAST_SHARE", "SLOW_SHARE", "Rating", "rate"]

#: A right answer within this share of the time limit is "Easy"; after ``SLOW_SHARE`` of it, "Hard".
FAST_SHARE = 0.25
SLOW_SHARE = 0.75


def rate(correct: bool | None, elapsed: timedelta | None, limit: timedelta) -> Rating:
    """The rating of one answer: ``correct`` None (or ``elapsed`` None) means the player did not answer."""
    if not correct or elapsed is None:
        return Rating.Again
    if limit <= timedelta(0):
        return Rating.Good
    share = elapsed / limit
    if share <= FAST_SHARE:
        return Rating.Easy
    if share > SLOW_SHARE:
        return Rating.Hard
    return Rating.Good
