"""A quality warning about a bank: not an error (the bank still loads), but something a player may notice."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """What a warning is about; `quizbot check` groups warnings by kind, in this order."""

    LENGTH = "length cue"
    POSITION = "answer position"
    TRUE_FALSE = "true/false balance"
    LEAK = "leak"
    DUPLICATE = "near-duplicate"
    PASSAGE_CHOICE = "passage names a wrong choice"
    PASSAGE = "passage"
    DIFFICULTY = "difficulty"


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One warning, pinned to a field of the bank file (``questions[3].choices``) and, if any, a question id."""

    kind: Kind
    field: str
    message: str
    question_id: str | None = None


def at(index: int, field: str = "") -> str:
    """The field path of a question's field: ``questions[3].passage``."""
    return f"questions[{index}].{field}" if field else f"questions[{index}]"
