"""Question selection: a shuffled deck per bank, so no question repeats until the bank is used up.

The deck is plain data (the order and a cursor) that the store persists per guild and bank,
so selection survives restarts and is shared by every process using the same database.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.quiz.errors import NotEnoughQuestions


@dataclass(frozen=True, slots=True)
class Deck:
    """The order in which a guild plays one bank, and how far it has got."""

    order: tuple[str, ...] = ()
    cursor: int = 0

    @property
    def remaining(self) -> tuple[str, ...]:
        """The questions not yet played in this cycle."""
        return self.order[self.cursor :]


def _refresh(deck: Deck, question_ids: Sequence[str], rng: random.Random) -> Deck:
    """Drop questions the bank no longer has and slot new ones into the unplayed part."""
    current = set(question_ids)
    played = [q for q in deck.order[: deck.cursor] if q in current]
    remaining = [q for q in deck.order[deck.cursor :] if q in current]
    known = set(played) | set(remaining)
    new = [q for q in question_ids if q not in known]
    if new:
        remaining.extend(new)
        rng.shuffle(remaining)
    return Deck(tuple(played + remaining), len(played))


def _new_cycle(question_ids: Sequence[str], avoid: set[str], rng: random.Random) -> Deck:
    """A fresh shuffled cycle, with the questions in ``avoid`` moved to its end."""
    order = list(question_ids)
    rng.shuffle(order)
    order.sort(key=lambda q: q in avoid)  # stable: keeps the shuffle within each group
    return Deck(tuple(order), 0)


def draw(deck: Deck, question_ids: Sequence[str], count: int, rng: random.Random) -> tuple[list[str], Deck]:
    """Take ``count`` questions from one bank's deck; returns them and the advanced deck."""
    if count < 0:
        raise ValueError(f"cannot draw {count} questions")
    if count > len(question_ids):
        raise NotEnoughQuestions(count, len(question_ids))
    deck = _refresh(deck, question_ids, rng)
    picked: list[str] = []
    while len(picked) < count:
        if not deck.remaining:
            deck = _new_cycle(question_ids, set(picked), rng)
        take = deck.remaining[: count - len(picked)]
        picked.extend(take)
        deck = Deck(deck.order, deck.cursor + len(take))
    return picked, deck


def draw_round(
    decks: Mapping[str, Deck],
    banks: Mapping[str, Sequence[str]],
    count: int,
    rng: random.Random,
) -> tuple[list[tuple[str, str]], dict[str, Deck]]:
    """Pick ``count`` questions across banks, shared in proportion to their sizes.

    Returns ``(bank_id, question_id)`` pairs in play order and the new deck of every bank.
    """
    total = sum(len(ids) for ids in banks.values())
    if count > total:
        raise NotEnoughQuestions(count, total)
    shares = _shares(banks, count, rng)
    picks: dict[str, list[str]] = {}
    new_decks: dict[str, Deck] = {}
    for bank_id, ids in banks.items():
        picks[bank_id], new_decks[bank_id] = draw(decks.get(bank_id, Deck()), ids, shares[bank_id], rng)
    chosen = [(bank_id, qid) for bank_id, qids in picks.items() for qid in qids]
    rng.shuffle(chosen)
    return chosen, new_decks


def _shares(banks: Mapping[str, Sequence[str]], count: int, rng: random.Random) -> dict[str, int]:
    """Split ``count`` across banks in proportion to size (largest remainder), never above a bank's size."""
    total = sum(len(ids) for ids in banks.values())
    if total == 0:
        return dict.fromkeys(banks, 0)
    # Integer quotient and remainder keep the split exact; floats could floor a whole share down.
    shares = {b: count * len(ids) // total for b, ids in banks.items()}
    remainders = {b: count * len(ids) % total for b, ids in banks.items()}
    # Shuffle before the stable sort so that equal remainders are not always won by the first bank.
    order = list(banks)
    rng.shuffle(order)
    order.sort(key=lambda b: (remainders[b], len(banks[b])), reverse=True)
    for bank_id in order[: count - sum(shares.values())]:
        shares[bank_id] += 1
    return shares
