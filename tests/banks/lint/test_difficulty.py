"""Difficulty labels against how often players got each question right."""

from __future__ import annotations

from bot.banks.analytics import QuestionReport
from bot.banks.lint import Kind
from bot.banks.lint.difficulty import difficulty_warnings, suggested
from bot.quiz import Difficulty

from .helpers import bank, question


def report(question_id: str, answers: int, correct: int) -> QuestionReport:
    """A question's figures with ``correct`` of ``answers`` right."""
    return QuestionReport(question_id, "?", answers, answers, correct, 2000, None, 0, None)


def test_labels_that_disagree_with_play_are_flagged_with_a_better_label() -> None:
    """An 'easy' question 3 in 10 get right, and a 'hard' one 10 in 10 get right, are both questioned."""
    easy = question("easy-one", difficulty=Difficulty.EASY)
    hard = question("hard-one", difficulty=Difficulty.HARD)
    warnings = difficulty_warnings(bank(easy, hard), [report("easy-one", 10, 3), report("hard-one", 10, 10)])
    assert [(w.kind, w.field, w.question_id) for w in warnings] == [
        (Kind.DIFFICULTY, "questions[0].difficulty", "easy-one"),
        (Kind.DIFFICULTY, "questions[1].difficulty", "hard-one"),
    ]
    assert "labelled easy, but 30% of 10 answers were right: hard fits better" in warnings[0].message


def test_labels_that_fit_or_questions_answered_too_rarely_are_not_flagged() -> None:
    """A fitting label, a question with fewer than ten answers, and a question no longer in the bank: no warning."""
    easy = question("easy-one", difficulty=Difficulty.EASY)
    medium = question("medium-one", difficulty=Difficulty.MEDIUM)
    plays = [report("easy-one", 20, 18), report("medium-one", 9, 0), report("gone", 50, 0)]
    assert difficulty_warnings(bank(easy, medium), plays) == []


def test_suggested_label_bands() -> None:
    """70% right and above is easy, below 40% hard, between medium."""
    assert [suggested(share) for share in (0.95, 0.7, 0.69, 0.4, 0.39, 0.0)] == [
        Difficulty.EASY,
        Difficulty.EASY,
        Difficulty.MEDIUM,
        Difficulty.MEDIUM,
        Difficulty.HARD,
        Difficulty.HARD,
    ]
