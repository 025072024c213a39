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


def _new_cycle(question_ids: Sequence[str], first: set[str], avoid: set[str], rng: random.Random) -> Deck:
    """A fresh shuffled cycle: the questions in ``first`` lead it, those in ``avoid`` end it."""
    order = list(question_ids)
    rng.shuffle(order)
    order.sort(key=lambda q: 2 if q in avoid else 0 if q in first else 1)  # stable: keeps the shuffle in each group
    return Deck(tuple(order), 0)


def _group_key(question_id: str, group_of: Mapping[str, str]) -> tuple[str, str]:
    """A question's group, or the question itself when it has no related ones (kept apart from group names)."""
    group = group_of.get(question_id)
    return ("question", question_id) if group is None else ("group", group)


def _take(deck: Deck, count: int, used: set[tuple[str, str]], group_of: Mapping[str, str]) -> tuple[list[str], Deck]:
    """Take up to ``count`` unplayed questions whose group is not in ``used``; the skipped ones stay unplayed."""
    taken: list[str] = []
    skipped: list[str] = []
    remaining = deck.remaining
    for position, question_id in enumerate(remaining):
        if len(taken) == count:
            skipped.extend(remaining[position:])
            break
        group = _group_key(question_id, group_of)
        if group in used:
            skipped.append(question_id)
        else:
            used.add(group)
            taken.append(question_id)
    order = deck.order[: deck.cursor] + tuple(taken) + tuple(skipped)
    return taken, Deck(order, deck.cursor + len(taken))


def independent(question_ids: Sequence[str], group_of: Mapping[str, str] | None = None) -> int:
    """How many of ``question_ids`` one round can hold: one per group of related questions."""
    groups = group_of or {}
    return len({_group_key(q, groups) for q in question_ids})


def draw(
    deck: Deck,
    question_ids: Sequence[str],
    count: int,
    rng: random.Random,
    group_of: Mapping[str, str] | None = None,
) -> tuple[list[str], Deck]:
    """Take ``count`` questions from one bank's deck; returns them and the advanced deck.

    ``group_of`` maps a question id to its group of related questions: at most one question of a group
    is taken, and the others wait, unplayed, for a later draw.
    """
    groups = group_of or {}
    if count < 0:
        raise ValueError(f"cannot draw {count} questions")
    available = independent(question_ids, groups)
    if count > available:
        raise NotEnoughQuestions(count, available)
    deck = _refresh(deck, question_ids, rng)
    picked: list[str] = []
    used: set[tuple[str, str]] = set()
    while len(picked) < count:
        if not deck.remaining:
            deck = _new_cycle(question_ids, set(), set(picked), rng)
        taken, deck = _take(deck, count - len(picked), used, groups)
        picked.extend(taken)
        if len(picked) < count:
            # What is left of this cycle (if anything) is related to questions already taken: start the next
            # cycle with those left-overs first, so that they are dealt soon.
            deck = _new_cycle(question_ids, set(deck.remaining), set(picked), rng)
    return picked, deck


def draw_round(
    decks: Mapping[str, Deck],
    banks: Mapping[str, Sequence[str]],
    count: int,
    rng: random.Random,
    groups: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[list[tuple[str, str]], dict[str, Deck]]:
    """Pick ``count`` questions across banks, shared in proportion to their sizes.

    ``groups`` gives each bank's groups of related questions (see `draw`); a round never holds two
    questions of one group. Returns ``(bank_id, question_id)`` pairs in play order and the new deck of
    every bank.
    """
    related = groups or {}
    sizes = {bank_id: independent(ids, related.get(bank_id)) for bank_id, ids in banks.items()}
    total = sum(sizes.values())
    if count > total:
        raise NotEnoughQuestions(count, total)
    shares = _shares(sizes, count, rng)
    picks: dict[str, list[str]] = {}
    new_decks: dict[str, Deck] = {}
    for bank_id, ids in banks.items():
        picks[bank_id], new_decks[bank_id] = draw(
            decks.get(bank_id, Deck()), ids, shares[bank_id], rng, related.get(bank_id)
        )
    chosen = [(bank_id, qid) for bank_id, qids in picks.items() for qid in qids]
    rng.shuffle(chosen)
    return chosen, new_decks


def _shares(sizes: Mapping[str, int], count: int, rng: random.Random) -> dict[str, int]:
    """Split ``count`` across banks in proportion to size (largest remainder), never above a bank's size."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    # Integer quotient and remainder keep the split exact; floats could floor a whole share down.
    shares = {b: count * size // total for b, size in sizes.items()}
    remainders = {b: count * size % total for b, size in sizes.items()}
    # Shuffle before the stable sort so that equal remainders are not always won by the first bank.
    order = list(sizes)
    rng.shuffle(order)
    order.sort(key=lambda b: (remainders[b], sizes[b]), reverse=True)
    for bank_id in order[: count - sum(shares.values())]:
        shares[bank_id] += 1
    return shares
