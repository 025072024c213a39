"""Why a player reports a question: the stored value and the words players and authors see."""

from __future__ import annotations

WRONG_ANSWER = "wrong_answer"
#: Stored value -> label, in the order the report form lists them.
REASONS: dict[str, str] = {
    WRONG_ANSWER: "Wrong answer",
    "several_right": "More than one right answer",
    "unclear": "Unclear",
    "typo": "Typo",
    "gives_away": "Gives away another question",
    "other": "Other",
}


def reason_label(reason: str) -> str:
    """The words for a stored reason (an unknown one is shown as stored)."""
    return REASONS.get(reason, reason)
