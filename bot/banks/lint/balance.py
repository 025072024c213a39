"""Balance across the bank: where the right answer sits among the choices, and how true/false ones fall."""

from __future__ import annotations

from collections import Counter

from bot.banks.lint.text import is_true_false
from bot.banks.lint.warning import Kind, LintWarning, at
from bot.banks.passages import normalise
from bot.quiz import Bank

#: A position is flagged when it holds the answer this many times as often as chance would...
POSITION_RATIO = 1.5
#: ...and at least this many more times,
POSITION_MARGIN = 3
#: in a bank of at least this many questions.
MIN_QUESTIONS_FOR_POSITION = 8
#: True/false questions are flagged when at least this many all have the same answer.
MIN_TRUE_FALSE = 2


def position_warnings(bank: Bank) -> list[LintWarning]:
    """A warning when one position (as written; play shuffles) holds the answer far more often than chance."""
    questions = [question for question in bank.questions if not is_true_false(question.choices)]
    if len(questions) < MIN_QUESTIONS_FOR_POSITION:
        return []
    observed = Counter(question.answer for question in questions)
    expected: dict[int, float] = {}
    for question in questions:
        for position in range(len(question.choices)):
            expected[position] = expected.get(position, 0.0) + 1 / len(question.choices)
    warnings: list[LintWarning] = []
    for position, count in sorted(observed.items()):
        chance = expected[position]
        if count >= POSITION_RATIO * chance and count - chance >= POSITION_MARGIN:
            warnings.append(
                LintWarning(
                    Kind.POSITION,
                    "questions",
                    f"the answer is choice {position + 1} in {count} of {len(questions)} questions, where chance "
                    f"would give about {chance:.0f}: exported or printed quizzes keep this order",
                )
            )
    return warnings


def true_false_warnings(bank: Bank) -> list[LintWarning]:
    """A warning when every true/false question (of at least two) has the same answer."""
    found = [(index, question) for index, question in enumerate(bank.questions) if is_true_false(question.choices)]
    answers = {normalise(question.correct_choice) for _, question in found}
    if len(found) < MIN_TRUE_FALSE or len(answers) != 1:
        return []
    answer = found[0][1].correct_choice
    listed = ", ".join(question.id for _, question in found)
    return [
        LintWarning(
            Kind.TRUE_FALSE,
            at(found[0][0], "answer"),
            f"all {len(found)} true/false questions ({listed}) are answered {answer!r}: players learn to pick it",
            found[0][1].id,
        )
    ]
