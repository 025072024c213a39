"""Tests for bot/quiz/deal.py: one-off rounds keep a bank's related questions apart."""

from __future__ import annotations

from bot.quiz import Bank
from bot.quiz.deal import deal

from .helpers import SOURCE, make_question


def test_a_dealt_round_never_holds_two_related_questions() -> None:
    """Over many seeds, a practice or terminal round takes at most one question of each related group."""
    questions = tuple(make_question(f"q{i}") for i in range(12))
    related = (("q0", "q1", "q2"), ("q3", "q4"), ("q5", "q6", "q7"))
    bank = Bank(id="bank", title="T", source=SOURCE, questions=questions, related=related)
    group_of = bank.groups
    for seed in range(300):
        dealt = [played.question.id for played in deal([bank], bank.round_capacity, seed)]
        assert len(dealt) == bank.round_capacity == 7
        groups = [group_of[q] for q in dealt if q in group_of]
        assert len(groups) == len(set(groups)) == 3, (seed, dealt)
