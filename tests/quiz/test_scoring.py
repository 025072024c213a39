"""Tests for bot/quiz/scoring.py: speed points, the streak bonus and their sum."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.quiz import Scoring

LIMIT = timedelta(seconds=20)


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0.0, 1000),
        (5.0, 875),
        (10.0, 750),
        (15.0, 625),
        (20.0, 500),
        (1.0, 975),
        (0.02, 1000),  # 999.5 rounds half up
        (0.06, 999),  # 998.5 rounds half up (round() would give 998)
        (0.1, 998),  # 997.5 rounds half up
        (19.98, 501),  # 500.5 rounds half up
        (19.99, 500),  # 500.25 rounds down
        (25.0, 500),  # late answers never earn less than half
        (-3.0, 1000),  # clock skew never earns more than the maximum
    ],
)
def test_speed_points_table(elapsed: float, expected: int) -> None:
    """Speed points fall linearly from 1000 to 500 over the limit, rounded half up and clamped."""
    assert Scoring().speed_points(timedelta(seconds=elapsed), LIMIT) == expected


@pytest.mark.parametrize(("elapsed", "expected"), [(1, 833), (2, 667), (3, 500)])
def test_speed_points_round_to_nearest_for_thirds(elapsed: int, expected: int) -> None:
    """Non-half fractions round to the nearest point (833.3 -> 833, 666.7 -> 667)."""
    assert Scoring().speed_points(timedelta(seconds=elapsed), timedelta(seconds=3)) == expected


@pytest.mark.parametrize("limit", [timedelta(0), timedelta(seconds=-1)])
def test_speed_points_without_a_time_limit_are_full(limit: timedelta) -> None:
    """A zero or negative limit gives the full points instead of dividing by zero."""
    assert Scoring().speed_points(timedelta(seconds=4), limit) == 1000


def test_odd_maximum_earns_at_least_half_at_the_deadline() -> None:
    """At the deadline an odd maximum rounds its half up (1001 -> 501), never below max/2."""
    assert Scoring(max_points=1001).speed_points(LIMIT, LIMIT) == 501


@pytest.mark.parametrize(
    ("streak", "bonus"),
    [(0, 0), (1, 0), (2, 100), (3, 200), (4, 300), (5, 400), (6, 500), (7, 500), (50, 500)],
)
def test_streak_bonus_table(streak: int, bonus: int) -> None:
    """The bonus is +100 per correct answer in a row after the first, capped at +500."""
    assert Scoring().streak_bonus(streak) == bonus


@pytest.mark.parametrize(("streak", "bonus"), [(1, 0), (2, 50), (3, 100), (4, 120), (9, 120)])
def test_streak_bonus_uses_configured_step_and_cap(streak: int, bonus: int) -> None:
    """A custom step and cap replace the defaults, and the cap can fall between steps."""
    assert Scoring(streak_step=50, streak_cap=120).streak_bonus(streak) == bonus


@pytest.mark.parametrize(("elapsed", "streak", "expected"), [(0, 1, 1000), (5, 2, 975), (10, 4, 1050), (20, 7, 1000)])
def test_correct_answer_earns_speed_plus_streak(elapsed: int, streak: int, expected: int) -> None:
    """A correct answer earns its speed points plus the bonus for its place in the streak."""
    points = Scoring().points(correct=True, elapsed=timedelta(seconds=elapsed), limit=LIMIT, streak=streak)
    assert points == expected


@pytest.mark.parametrize("streak", [0, 1, 6])
def test_wrong_answer_earns_nothing(streak: int) -> None:
    """A wrong answer earns zero whatever the time and streak."""
    assert Scoring().points(correct=False, elapsed=timedelta(0), limit=LIMIT, streak=streak) == 0


micros = st.integers(min_value=-(10**8), max_value=10**9)
limits = st.integers(min_value=1, max_value=10**9)


@given(
    max_points=st.integers(min_value=0, max_value=10_000),
    step=st.integers(min_value=0, max_value=1000),
    cap=st.integers(min_value=0, max_value=5000),
    elapsed=micros,
    limit=limits,
    streak=st.integers(min_value=1, max_value=100),
)
def test_correct_points_stay_between_half_and_max_plus_cap(
    max_points: int, step: int, cap: int, elapsed: int, limit: int, streak: int
) -> None:
    """Any correct answer earns between max_points / 2 and max_points + streak_cap."""
    scoring = Scoring(max_points=max_points, streak_step=step, streak_cap=cap)
    points = scoring.points(
        correct=True, elapsed=timedelta(microseconds=elapsed), limit=timedelta(microseconds=limit), streak=streak
    )
    assert max_points / 2 <= points <= max_points + cap


@given(elapsed=micros, limit=limits, max_points=st.integers(min_value=0, max_value=10_000))
def test_speed_points_match_the_exact_formula(elapsed: int, limit: int, max_points: int) -> None:
    """Speed points equal max * (1 - t / 2T) with t clamped to [0, T], computed exactly and rounded half up."""
    t = min(max(elapsed, 0), limit)
    exact = Fraction(max_points) * (1 - Fraction(t, 2 * limit))
    expected = math.floor(exact + Fraction(1, 2))
    got = Scoring(max_points=max_points).speed_points(timedelta(microseconds=elapsed), timedelta(microseconds=limit))
    assert got == expected


@given(a=micros, b=micros, limit=limits)
def test_speed_points_never_reward_a_slower_answer(a: int, b: int, limit: int) -> None:
    """Answering later never earns more speed points."""
    scoring, lim = Scoring(), timedelta(microseconds=limit)
    early, late = sorted((a, b))
    assert scoring.speed_points(timedelta(microseconds=early), lim) >= scoring.speed_points(
        timedelta(microseconds=late), lim
    )
