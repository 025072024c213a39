"""Difficulty labels against play: the share of players who get a question right (its facility)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.banks.analytics import QuestionReport
from bot.banks.lint.warning import Kind, LintWarning, at
from bot.quiz import Bank, Difficulty

#: A question needs this many scored answers before its facility says anything.
MIN_ANSWERS = 10
#: The facility (share right, 0 to 1) each label expects; outside it, the label is questioned.
EXPECTED: dict[Difficulty, tuple[float, float]] = {
    Difficulty.EASY: (0.7, 1.0),
    Difficulty.MEDIUM: (0.4, 0.85),
    Difficulty.HARD: (0.0, 0.55),
}


def suggested(facility: float) -> Difficulty:
    """The label a facility suggests: easy from 70% right, hard below 40%, medium between."""
    if facility >= EXPECTED[Difficulty.EASY][0]:
        return Difficulty.EASY
    if facility < EXPECTED[Difficulty.MEDIUM][0]:
        return Difficulty.HARD
    return Difficulty.MEDIUM


def difficulty_warnings(
    bank: Bank, reports: Iterable[QuestionReport], *, min_answers: int = MIN_ANSWERS
) -> list[LintWarning]:
    """A warning per question, answered often enough, whose facility falls outside its label's range."""
    index_of = {question.id: index for index, question in enumerate(bank.questions)}
    warnings: list[LintWarning] = []
    for report in reports:
        index = index_of.get(report.question_id)
        if index is None or report.answers < min_answers:
            continue
        facility = report.correct / report.answers
        label = bank.questions[index].difficulty
        low, high = EXPECTED[label]
        if not low <= facility <= high:
            warnings.append(
                LintWarning(
                    Kind.DIFFICULTY,
                    at(index, "difficulty"),
                    f"labelled {label.value}, but {facility:.0%} of {report.answers} answers were right: "
                    f"{suggested(facility).value} fits better",
                    report.question_id,
                )
            )
    return warnings
