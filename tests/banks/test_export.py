"""GIFT export: escaping, the quizbot comments, and a lossless round trip through import."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.banks import BankError
from bot.banks.export import export_gift, gift_escape, read_bank_model
from bot.banks.importers import BankOptions, import_bank
from bot.banks.importers.gift import parse_gift
from bot.banks.model import BankModel
from bot.banks.yaml_source import read_yaml

from .helpers import GOOD_BANK, WriteBank

SHIPPED = Path(__file__).parents[2] / "questions" / "south-caucasus-russia.yaml"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain text", "plain text"),
        ("a ~ b = c # d", r"a \~ b \= c \# d"),
        ("{x}: y", r"\{x\}\: y"),
        ("back\\slash", r"back\\slash"),
        ("two\nlines", r"two\nlines"),
        ("[html] looks like a marker", "[plain][html] looks like a marker"),
        ("[1918] is not a marker", "[1918] is not a marker"),
    ],
)
def test_gift_escape(text: str, escaped: str) -> None:
    """GIFT's special characters, backslashes and line breaks are escaped; a marker-like start is protected."""
    assert gift_escape(text) == escaped


@pytest.mark.parametrize(
    "text",
    ["a ~ b = c # d", "{x}: y", "back\\slash \\n", "two\nlines", "[html] <b>not html</b>", "::not a title::"],
)
def test_escaped_text_imports_back_exactly(text: str) -> None:
    """Whatever a prompt or choice holds, export then import gives it back unchanged."""
    gift = f"::q::{gift_escape(text)} {{\n={gift_escape(text)}\n~other\n####{gift_escape(text)}\n}}"
    (draft,) = parse_gift(gift).drafts
    assert (draft.prompt, draft.choices[0], draft.explanation) == (text, text, text)


def test_question_layout() -> None:
    """A question is its comments, ::id::prompt {, one line per choice in order, #### explanation and }."""
    gift = export_gift(read_bank_model(SHIPPED))
    block = gift[gift.index('// quizbot passage: "At a time when') :].split("\n\n")[0]
    assert block.splitlines() == [
        '// quizbot passage: "At a time when Vladimir Putin needs friends in his neighbourhood, he appears instead '
        'to be losing them in the South Caucasus."',
        '// quizbot difficulty: "easy"',
        '// quizbot tags: ["overview"]',
        "::losing-friends::According to the article, where does Vladimir Putin appear to be losing friends? {",
        "~Central Asia",
        "=The South Caucasus",
        "~The Western Balkans",
        "~The Baltic states",
        "####The article opens by noting that just when Putin needs friends in his neighbourhood, he seems to be "
        "losing them in the South Caucasus.",
        "}",
    ]


def test_shipped_bank_round_trips_with_nothing_lost() -> None:
    """Exporting the shipped bank to GIFT and importing it back gives the same bank, field for field."""
    original = read_bank_model(SHIPPED)
    text, issues = import_bank(export_gift(original).encode(), "gift", BankOptions(), name="export.gift")
    assert issues == []
    assert "# TODO" not in text
    again = BankModel.model_validate(read_yaml(text).data)
    assert again == original
    assert len(again.questions) == 55
    assert again.related == original.related != []


def test_round_trip_keeps_defaults_and_quoting(write_bank: WriteBank) -> None:
    """The test bank (url, defaults, numeric choices) round-trips too, and still loads against its article."""
    original = read_bank_model(write_bank(GOOD_BANK))
    text, _ = import_bank(export_gift(original).encode(), "gift", BankOptions(), name="bank.gift")
    imported = write_bank(text, name="again.yaml")
    assert read_bank_model(imported) == original


def test_invalid_bank_is_not_exported(write_bank: WriteBank) -> None:
    """A bank that fails the check raises BankError rather than exporting half-checked data."""
    path = write_bank(GOOD_BANK.replace("answer: 1994", "answer: 1995"))
    with pytest.raises(BankError):
        read_bank_model(path)
