"""Aiken import: choices in both styles, multi-line questions, and what is skipped."""

from __future__ import annotations

import pytest

from bot.banks.importers import ImportIssue, read_import
from bot.banks.importers.aiken import parse_aiken

from .helpers import DATA


def test_sample_questions_are_read() -> None:
    """The sample's three good questions are read, with 'A.' and 'A)' choices and a two-line question."""
    imported = read_import((DATA / "caucasus-aiken.txt").read_bytes(), "aiken")
    assert [(d.prompt, d.choices, d.correct_choice, d.where) for d in imported.drafts] == [
        (
            "Who is Armenia's prime minister, according to the article?",
            ("Ilham Aliyev", "Nikol Pashinyan", "Vladimir Putin", "Recep Tayyip Erdogan"),
            "Nikol Pashinyan",
            "line 1",
        ),
        ("In which city did the two leaders meet on July 10?", ("Baku", "Yerevan", "Abu Dhabi"), "Abu Dhabi", "line 8"),
        (
            "Which region did the Soviet leadership allocate to Azerbaijan, to Armenia's displeasure?",
            ("Nakhchivan", "Nagorno-Karabakh", "Adjara"),
            "Nagorno-Karabakh",
            "line 13",
        ),
    ]
    assert all(draft.explanation == "" and draft.title == "" for draft in imported.drafts)


def test_sample_skips_are_reported() -> None:
    """A wrong answer letter, two answers and a missing ANSWER line are skipped, naming the question's line."""
    imported = read_import((DATA / "caucasus-aiken.txt").read_bytes(), "aiken")
    assert [str(issue) for issue in imported.issues] == [
        "line 20: skipped: 'ANSWER: D' is not one of the choices A, B",
        "line 25: skipped: 'ANSWER: A, C' names 2 answers; a question here has exactly one",
        "line 31: skipped: no 'ANSWER:' line before the end of the file",
    ]


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("Q\nANSWER: A", ImportIssue("line 1", "skipped: no choices before 'ANSWER:' on line 2")),
        (
            "Q\nA. x\nstray text\nB. y\nANSWER: A",
            ImportIssue("line 1", "skipped: line 3 is neither a choice ('B. text') nor 'ANSWER: B'"),
        ),
        ("Q\nA. x\nA. y\nANSWER: A", ImportIssue("line 1", "skipped: two choices have the same letter")),
    ],
)
def test_malformed_questions_are_skipped(text: str, issue: ImportIssue) -> None:
    """Malformed questions are skipped with a reason."""
    imported = parse_aiken(text)
    assert imported.drafts == []
    assert imported.issues[0] == issue


def test_question_text_that_looks_like_a_choice() -> None:
    """The first line of a question is its text even when it starts like a choice ('A. Lincoln ...')."""
    imported = parse_aiken("A. Lincoln was president in which century?\nA. 18th\nB. 19th\nanswer: b")
    assert [(d.prompt, d.correct_choice) for d in imported.drafts] == [
        ("A. Lincoln was president in which century?", "19th")
    ]
