"""FSRS scheduling of one player's card, through the ``fsrs`` package (the scheduler Anki uses).

Cards are plain data here (``CardState``) so the store never sees an ``fsrs`` object. Fuzzing is off:
a card's next due date follows from its history alone, which keeps reviews reproducible and testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

# No learning steps: a quiz question comes back after days, not minutes, so a review round is worth
# opening once a day rather than straight after the round that asked it.
_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True, slots=True)
class CardState:
    """What FSRS knows of a card: its learning state and step, its memory model, and when it is due."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def schedule(card: CardState | None, rating: Rating, at: datetime) -> CardState:
    """The card after a review rated ``rating`` at ``at`` (a new card if ``card`` is None)."""
    # A fixed card_id: fsrs otherwise derives one from the clock and sleeps a millisecond per new card.
    current = Card(card_id=1, due=at) if card is None else _to_fsrs(card)
    reviewed, _ = _SCHEDULER.review_card(current, rating, _utc(at))
    return CardState(
        state=int(reviewed.state),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
    )


def retention(recalled: int, repeats: int) -> float | None:
    """The share of repeat answers the player remembered, or None before any repeat."""
    return recalled / repeats if repeats else None


def _to_fsrs(card: CardState) -> Card:
    return Card(
        card_id=1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=None if card.last_review is None else _utc(card.last_review),
    )


def _utc(moment: datetime) -> datetime:
    """fsrs insists on ``datetime.timezone.utc`` itself, not merely an aware UTC time."""
    return moment.astimezone(UTC)
