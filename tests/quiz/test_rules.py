"""Tests for bot/quiz/rules.py: one rule for a round's count, seconds and scoring, whatever starts it."""

from __future__ import annotations

import dataclasses

import pytest

from bot.quiz import Bank, RoundRules, Scoring, round_rules, scoring_of
from tests.quiz.helpers import make_bank

PLAIN = make_bank("plain", size=3)
TIMED = dataclasses.replace(make_bank("timed", size=4), seconds=45, points=500)
POINTED = dataclasses.replace(make_bank("pointed", size=2), points=2000)


@pytest.mark.parametrize(
    ("banks", "questions", "seconds", "expected"),
    [
        ([PLAIN], None, None, RoundRules(3, 20, Scoring())),  # the defaults, the count capped at the bank's size
        ([PLAIN], 2, 30, RoundRules(2, 30, Scoring())),  # what was asked for
        ([TIMED], None, None, RoundRules(4, 45, Scoring(max_points=500))),  # a bank played alone sets its own
        ([TIMED], 1, 10, RoundRules(1, 10, Scoring(max_points=500))),  # asking beats the bank's seconds
        ([PLAIN, TIMED], 5, None, RoundRules(5, 20, Scoring(max_points=500))),  # several banks: default seconds
        ([POINTED, TIMED], 9, None, RoundRules(6, 20, Scoring(max_points=2000))),  # the first bank with points
    ],
    ids=["defaults", "asked", "bank-alone", "asked-over-bank", "several-banks", "first-points"],
)
def test_round_rules(banks: list[Bank], questions: int | None, seconds: int | None, expected: RoundRules) -> None:
    """Asked-for values win, then a bank's own, then the defaults; the count never exceeds the questions held."""
    rules = round_rules(banks, questions=questions, seconds=seconds, default_questions=5, default_seconds=20)
    assert rules == expected


def test_scoring_without_points_is_the_default() -> None:
    """Banks that set no points score as the engine's default."""
    assert scoring_of([PLAIN]) == Scoring()
