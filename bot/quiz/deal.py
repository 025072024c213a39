"""Dealing a one-off round: fresh decks, so nothing is remembered between rounds (practice, terminal)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from bot.quiz.questions import Bank
from bot.quiz.round import PlayedQuestion
from bot.quiz.selection import Deck, draw_round


def deal(banks: Sequence[Bank], count: int, seed: int) -> list[PlayedQuestion]:
    """Draw ``count`` questions across ``banks`` with their choices shuffled, reproducibly from ``seed``."""
    by_id = {bank.id: bank for bank in banks}
    chosen, _ = draw_round(
        {bank.id: Deck() for bank in banks},
        {bank.id: bank.question_ids for bank in banks},
        count,
        random.Random(seed),
        {bank.id: bank.groups for bank in banks},
    )
    return [
        PlayedQuestion.shuffled(number, by_id[bank_id].question(question_id), seed)
        for number, (bank_id, question_id) in enumerate(chosen, start=1)
    ]
