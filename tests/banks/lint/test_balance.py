"""Answer position and true/false balance."""

from __future__ import annotations

from bot.banks.lint import Kind
from bot.banks.lint.balance import position_warnings, true_false_warnings

from .helpers import bank, numbered, question

TF = ("True", "False")


def test_answers_piled_on_one_position_are_flagged() -> None:
    """Twelve four-choice questions all answered by choice 1 (chance: 3) are flagged once, bank-wide."""
    questions = [question(f"q{n}", (f"A{n}", f"B{n}", f"C{n}", f"D{n}"), 0) for n in range(12)]
    (warning,) = position_warnings(bank(*questions))
    assert (warning.kind, warning.field) == (Kind.POSITION, "questions")
    assert "choice 1 in 12 of 12 questions" in warning.message


def test_answers_spread_over_positions_are_not_flagged() -> None:
    """Answers that rotate through the positions are fine."""
    assert position_warnings(bank(*numbered(12))) == []


def test_true_false_all_answered_true_is_flagged() -> None:
    """Two true/false questions both answered True: the warning names both."""
    one, two = question("one", TF, 0), question("two", TF, 0)
    (warning,) = true_false_warnings(bank(one, two))
    assert (warning.kind, warning.field, warning.question_id) == (Kind.TRUE_FALSE, "questions[0].answer", "one")
    assert "all 2 true/false questions (one, two) are answered 'True'" in warning.message


def test_true_false_with_both_answers_is_not_flagged() -> None:
    """One True and one False, or a single true/false question, is fine."""
    assert true_false_warnings(bank(question("one", TF, 0), question("two", ("False", "True"), 0))) == []
    assert true_false_warnings(bank(question("one", TF, 0))) == []
