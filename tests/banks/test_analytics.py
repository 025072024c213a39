"""Per-question analytics: counts, shares, times, the favourite wrong choice and the flags."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.banks.analytics import Flag, QuestionReport, bank_report, percent, seconds
from bot.quiz import Bank, Question, Source

SOURCE = Source(title="An article", author="A. Writer")


def make_bank(*question_ids: str) -> Bank:
    """A bank whose questions have the choices Paris, Lyon, Nice (answer Paris)."""
    return Bank(
        id="demo",
        title="Demo",
        source=SOURCE,
        questions=tuple(
            Question(
                id=qid,
                bank_id="demo",
                prompt=f"Prompt {qid}?",
                choices=("Paris", "Lyon", "Nice"),
                answer=0,
                explanation="Because.",
                passage="A passage.",
                source=SOURCE,
            )
            for qid in question_ids
        ),
    )


@dataclass(frozen=True)
class Fact:
    """An answer record as the repository gives it."""

    question_id: str
    choice_index: int
    correct: bool
    elapsed_ms: int


def right(qid: str, ms: int = 1000) -> Fact:
    """A right answer (choice 0)."""
    return Fact(qid, 0, True, ms)


def wrong(qid: str, choice: int, ms: int = 1000) -> Fact:
    """A wrong answer picking ``choice``."""
    return Fact(qid, choice, False, ms)


def only(reports: list[QuestionReport], qid: str) -> QuestionReport:
    """The report of one question."""
    (found,) = [r for r in reports if r.question_id == qid]
    return found


def test_counts_share_time_and_favourite_wrong_choice() -> None:
    """Asked, answers, right, average time and the most-picked wrong choice by its text."""
    answers = [right("q1", 2000), wrong("q1", 2, 4000), wrong("q1", 2, 3000), wrong("q1", 1, 1000)]
    report = only(bank_report(make_bank("q1"), {"q1": 2}, answers), "q1")
    assert (report.asked, report.answers, report.correct) == (2, 4, 1)
    assert report.percent_correct == 25
    assert report.average_ms == 2500
    assert (report.top_wrong, report.top_wrong_count) == ("Nice", 2)
    assert report.prompt == "Prompt q1?"
    assert (percent(report), seconds(report)) == ("25%", "2.5 s")


def test_a_tie_between_wrong_choices_goes_to_the_one_listed_first() -> None:
    """Two wrong choices picked equally often: the bank's earlier choice is named."""
    report = only(bank_report(make_bank("q1"), {"q1": 1}, [wrong("q1", 2), wrong("q1", 1)]), "q1")
    assert (report.top_wrong, report.top_wrong_count) == ("Lyon", 1)


def test_unasked_question_has_empty_figures() -> None:
    """A question never asked is listed with zeros and dashes, not left out."""
    report = only(bank_report(make_bank("q1", "q2"), {"q1": 1}, [right("q1")]), "q2")
    assert (report.asked, report.answers, report.average_ms, report.top_wrong, report.flag) == (0, 0, None, None, None)
    assert report.percent_correct is None
    assert (percent(report), seconds(report)) == ("-", "-")


def test_reports_follow_the_bank_order_then_removed_questions() -> None:
    """Questions come in the bank's order; ones played but since removed come last, without a prompt."""
    reports = bank_report(make_bank("b", "a"), {"gone": 3, "a": 1}, [wrong("gone", 7)])
    assert [r.question_id for r in reports] == ["b", "a", "gone"]
    gone = reports[-1]
    assert gone.prompt is None
    assert gone.top_wrong == "choice 8"


@pytest.mark.parametrize(
    ("asked", "answers", "flag"),
    [
        (3, [wrong("q", 1)] * 3, Flag.NOBODY),
        (3, [right("q")] * 3, Flag.EVERYBODY),
        (5, [right("q")] * 2 + [wrong("q", 1)], None),
        (2, [wrong("q", 1)] * 3, None),
        (3, [wrong("q", 1)] * 2, None),
        (4, [right("q")] * 4, Flag.EVERYBODY),
    ],
    ids=["nobody", "everybody", "mixed", "asked-too-rarely", "answered-too-rarely", "four-of-four"],
)
def test_flags_need_enough_asks_and_answers(asked: int, answers: list[Fact], flag: Flag | None) -> None:
    """Only a question asked at least 3 times with 3 answers is flagged, at 0% or 100% right."""
    assert only(bank_report(make_bank("q"), {"q": asked}, answers), "q").flag is flag
