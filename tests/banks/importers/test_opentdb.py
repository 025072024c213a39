"""Open Trivia DB import: entities decoded, booleans, difficulty, category tags, and refusals."""

from __future__ import annotations

import json

import pytest

from bot.banks.importers import ImportFailed, read_import
from bot.quiz.questions import Difficulty

from .helpers import DATA


def test_sample_is_read() -> None:
    """Multiple and boolean questions are kept with decoded text, sorted choices, difficulty and a tag."""
    imported = read_import((DATA / "opentdb.json").read_bytes(), "opentdb")
    rows = [(d.prompt, d.choices, d.correct_choice, d.difficulty, d.tags) for d in imported.drafts]
    assert rows == [
        (
            "What is the capital of Azerbaijan?",
            ("Baku", "Ganja", "Tbilisi", "Yerevan"),
            "Baku",
            Difficulty.EASY,
            ("geography",),
        ),
        ("The Soviet Union collapsed in 1991.", ("True", "False"), "True", Difficulty.MEDIUM, ("history",)),
        (
            'In "Civilization V", which civilization\'s unique unit is the "Cossack"?',
            ("Byzantium", "Ottoman Empire", "Persia", "Russia"),
            "Russia",
            Difficulty.HARD,
            ("entertainment-video-games",),
        ),
        ("Water boils at 50°C at sea level.", ("True", "False"), "False", Difficulty.EASY, ("science-nature",)),
    ]
    assert [str(issue) for issue in imported.issues] == [
        "results[4]: skipped: question type 'open'; only 'multiple' and 'boolean' are importable"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not an Open Trivia Database response"),
        (b'{"response_code": 5, "results": []}', "response_code 5 (rate limited)"),
    ],
)
def test_what_is_not_a_response_is_refused(data: bytes, message: str) -> None:
    """A file that is not a successful OpenTDB response fails as a whole, saying why."""
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_import(data, "opentdb")


def test_incomplete_items_are_skipped() -> None:
    """An item without its answers, or that is not an object, is skipped by index."""
    data = {"response_code": 0, "results": ["text", {"type": "multiple", "question": "Q?"}]}
    imported = read_import(json.dumps(data).encode(), "opentdb")
    assert imported.drafts == []
    assert [str(issue) for issue in imported.issues] == [
        "results[0]: skipped: not a question object",
        "results[1]: skipped: 'question', 'correct_answer' and 'incorrect_answers' are required",
    ]


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "in results"])
def test_json_nested_100000_deep_is_refused(wrapped: bool) -> None:
    """JSON nested 100,000 deep is an import error, not a RecursionError."""
    nested = "[" * 100_000 + "]" * 100_000
    text = f'{{"response_code": 0, "results": {nested}}}' if wrapped else nested
    with pytest.raises(ImportFailed, match="nested too deeply"):
        read_import(text.encode(), "opentdb")
