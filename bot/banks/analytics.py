"""Per-question analytics for a bank's authors: how often each question was asked, how often it was got
right, how fast it was answered, and the wrong choice most often picked.

Pure functions over plain records, so the Discord command and ``quizbot stats`` share them and tests
need no database. A question nobody gets right, or everybody does, is flagged once it has been asked
and answered often enough for that to mean something.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from bot.quiz import Bank

#: A question must have been asked this many times before it is flagged...
MIN_ASKED = 3
#: ...and have this many scored answers.
MIN_ANSWERS = 3


class AnswerLike(Protocol):
    """One scored answer: which question, which of the bank's choices (original index), right or not, how fast."""

    @property
    def question_id(self) -> str: ...

    @property
    def choice_index(self) -> int: ...

    @property
    def correct(self) -> bool: ...

    @property
    def elapsed_ms(self) -> int: ...


class Flag(enum.StrEnum):
    """Why a question deserves an author's look."""

    NOBODY = "nobody gets it"
    EVERYBODY = "everybody gets it"


@dataclass(frozen=True, slots=True)
class QuestionReport:
    """One question's figures; ``prompt`` is None for a question no longer in the bank."""

    question_id: str
    prompt: str | None
    asked: int
    answers: int
    correct: int
    average_ms: int | None
    top_wrong: str | None
    top_wrong_count: int
    flag: Flag | None
    #: Players' reports of the question (``bot.reports``): still open, and all of them.
    open_reports: int = 0
    reports: int = 0

    @property
    def percent_correct(self) -> float | None:
        """The share of answers that were right, in percent; None before any answer."""
        return 100 * self.correct / self.answers if self.answers else None


def bank_report(
    bank: Bank,
    asked: Mapping[str, int],
    answers: Iterable[AnswerLike],
    *,
    min_asked: int = MIN_ASKED,
    min_answers: int = MIN_ANSWERS,
) -> list[QuestionReport]:
    """A report per question, in the bank's order, then questions played earlier but since removed.

    The most-picked wrong choice is named with the bank's current wording (choice indexes refer to the
    bank's own order, which shuffling never changes); an index the current version no longer has is shown
    as ``choice N``. Ties go to the choice listed first.
    """
    by_question: dict[str, list[AnswerLike]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    current = {question.id: question for question in bank.questions}
    removed = sorted((set(asked) | set(by_question)) - set(current))
    reports: list[QuestionReport] = []
    for question_id in [question.id for question in bank.questions] + removed:
        question = current.get(question_id)
        given = by_question.get(question_id, [])
        correct = sum(1 for answer in given if answer.correct)
        wrong = Counter(answer.choice_index for answer in given if not answer.correct)
        top_wrong: str | None = None
        top_count = 0
        if wrong:
            index, top_count = min(wrong.items(), key=lambda item: (-item[1], item[0]))
            if question is not None and 0 <= index < len(question.choices):
                top_wrong = question.choices[index]
            else:
                top_wrong = f"choice {index + 1}"
        times = asked.get(question_id, 0)
        flag: Flag | None = None
        if times >= min_asked and len(given) >= min_answers:
            if correct == 0:
                flag = Flag.NOBODY
            elif correct == len(given):
                flag = Flag.EVERYBODY
        reports.append(
            QuestionReport(
                question_id=question_id,
                prompt=question.prompt if question is not None else None,
                asked=times,
                answers=len(given),
                correct=correct,
                average_ms=round(sum(a.elapsed_ms for a in given) / len(given)) if given else None,
                top_wrong=top_wrong,
                top_wrong_count=top_count,
                flag=flag,
            )
        )
    return reports


def with_reports(reports: list[QuestionReport], counts: Mapping[str, tuple[int, int]]) -> list[QuestionReport]:
    """The reports with each question's (open, all) report counts beside its figures."""
    return [
        replace(report, open_reports=counts[report.question_id][0], reports=counts[report.question_id][1])
        if report.question_id in counts
        else report
        for report in reports
    ]


def reports_note(report: QuestionReport) -> str:
    """``2 open reports (3 in all)``, or "" for a question nobody reported."""
    if not report.reports:
        return ""
    noun = "report" if report.open_reports == 1 else "reports"
    return f"{report.open_reports} open {noun} ({report.reports} in all)"


def percent(report: QuestionReport) -> str:
    """The share right as people read it: ``67%``, or ``-`` before any answer."""
    share = report.percent_correct
    return "-" if share is None else f"{share:.0f}%"


def seconds(report: QuestionReport) -> str:
    """The average answer time: ``4.2 s``, or ``-`` before any answer."""
    return "-" if report.average_ms is None else f"{report.average_ms / 1000:.1f} s"
