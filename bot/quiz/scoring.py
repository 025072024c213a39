"""Speed-based scoring, as Kahoot does it, plus a streak bonus.

A correct answer earns ``max_points * (1 - elapsed / limit / 2)`` rounded half up: the full
``max_points`` for an instant answer, half of it at the deadline. A streak of correct
answers in a row adds ``streak_step`` for every answer after the first, up to
``streak_cap``. A wrong or missing answer earns nothing and resets the streak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Scoring:
    """The scoring rule of a round."""

    max_points: int = 1000
    streak_step: int = 100
    streak_cap: int = 500

    def speed_points(self, elapsed: timedelta, limit: timedelta) -> int:
        """Points for a correct answer given after ``elapsed`` of ``limit``."""
        if limit <= timedelta(0):
            return self.max_points
        # Whole microseconds and integer division, not floats: round() rounds half to even and
        # float error moves the .5 boundaries, so the published formula would not be exact.
        total = limit // _MICROSECOND
        taken = min(max(elapsed // _MICROSECOND, 0), total)
        return (self.max_points * (2 * total - taken) + total) // (2 * total)

    def streak_bonus(self, streak: int) -> int:
        """Bonus for the ``streak``-th correct answer in a row (1 for the first)."""
        return min(max(streak - 1, 0) * self.streak_step, self.streak_cap)

    def points(self, *, correct: bool, elapsed: timedelta, limit: timedelta, streak: int) -> int:
        """Total points for one answer; ``streak`` counts this answer when it is correct."""
        if not correct:
            return 0
        return self.speed_points(elapsed, limit) + self.streak_bonus(streak)
