"""The rules of a round drawn from some banks: how many questions, how long each, and how they score.

One rule for every kind of round (a channel round, a scheduled one, practice, the terminal), so a
bank's own ``seconds`` and ``points`` mean the same wherever it is played.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.quiz.questions import Bank
from bot.quiz.scoring import Scoring

#: The seconds to answer a question, and the most points a correct answer earns, that a bank may set
#: (the bank schema checks them; a round's and a guild's own settings keep within the same seconds).
SECONDS_RANGE = (5, 120)
POINTS_RANGE = (100, 10_000)


@dataclass(frozen=True, slots=True)
class RoundRules:
    """How a round plays: its number of questions, the seconds to answer each, and its scoring."""

    questions: int
    seconds: float
    scoring: Scoring


def scoring_of(banks: Sequence[Bank]) -> Scoring:
    """The scoring of a round from these banks: the first one's own ``points``, if one sets them."""
    for bank in banks:
        if bank.points:
            return Scoring(max_points=bank.points)
    return Scoring()


def round_rules(
    banks: Sequence[Bank],
    *,
    questions: int | None,
    seconds: float | None,
    default_questions: int,
    default_seconds: float,
) -> RoundRules:
    """The rules of a round drawn from ``banks``: what was asked for, else the banks' own, else the defaults.

    The count is capped at what one round can deal: one question of each group of related ones. A bank's
    own ``seconds`` applies when the round is drawn from that bank alone; its ``points`` as ``scoring_of`` says.
    """
    available = sum(bank.round_capacity for bank in banks)
    own_seconds = banks[0].seconds if len(banks) == 1 else None
    return RoundRules(
        questions=min(questions or default_questions, available),
        seconds=seconds or own_seconds or default_seconds,
        scoring=scoring_of(banks),
    )
