"""Every refusal of the bank service has words of its own in the Discord layer, never its plain message."""

from __future__ import annotations

import pytest

from bot.banks import errors
from bot.banks.errors import BankRefused
from bot.exts._common.replies import describe_error

#: Bases that are never raised themselves.
ABSTRACT = {errors.BankRefused, errors.ShippedBankRefused, errors.UploadUnreadable}

EXAMPLES: list[BankRefused] = [
    errors.UnknownBank("quiz`x"),
    errors.BankDisabled("quiz"),
    errors.ShippedNotUploaded("quiz"),
    errors.ShippedNotDeletable("quiz"),
    errors.ShippedIdTaken("quiz"),
    errors.NoSuchVersion("quiz", 9),
    errors.UploadRaced("quiz"),
    errors.UnsupportedFile("bank.pdf"),
    errors.FileTooBig("big.yaml", 2_000_000, 1_000_000, "bank"),
    errors.ArticleNotText("a.txt", "e9", 3),
    errors.QuizFileUnreadable("quiz.json", "no importable question in the file"),
]


def concrete(cls: type[BankRefused]) -> set[type[BankRefused]]:
    """``cls`` and its subclasses, minus the abstract bases."""
    found = {cls} - ABSTRACT
    for sub in cls.__subclasses__():
        found |= concrete(sub)
    return found


def test_every_refusal_has_an_example() -> None:
    """The examples cover every concrete refusal, so a new one cannot be added without words."""
    assert {type(example) for example in EXAMPLES} == concrete(BankRefused)


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda error: type(error).__name__)
def test_each_refusal_is_worded_for_discord(error: BankRefused) -> None:
    """The reply is the Discord layer's sentence, not the error's plain message, and user text stays in code."""
    words = describe_error(error)
    assert words is not None and words != str(error)
    assert words[0].isupper() or words.startswith("`")
    assert "quiz`x" not in words
