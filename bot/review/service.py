"""A player's review cards: folding their ratings through FSRS, the due cards, and turning review off.

Everything here reads and writes one player's cards, so its cost grows with that player's cards, never
with the guild's. Ratings recorded as questions close are folded in (oldest first) before any read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.errors import UnknownBank
from bot.banks.library import BankLibrary
from bot.db.repos import cards as repo
from bot.quiz import Question
from bot.review.rating import Rating
from bot.review.scheduler import CardState, retention, schedule

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
#: A review round serves at most this many cards.
REVIEW_SIZE = 10


@dataclass(frozen=True, slots=True)
class DueCard:
    """A due card with its question as the bank has it now."""

    question: Question
    card: repo.StoredCard


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """What ``/quiz review`` and ``/quiz stats`` say about a player's cards."""

    cards: int
    due: int
    next_due: datetime | None
    retention: float | None


def _state(card: repo.StoredCard) -> CardState:
    return CardState(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


def reviewed(
    card: repo.StoredCard | None, key: repo.CardKey, rating: int, choice: int | None, at: datetime
) -> repo.StoredCard:
    """The card after one rating: rescheduled by FSRS, its retention counts and last wrong choice updated."""
    state = schedule(None if card is None else _state(card), Rating(rating), at)
    repeats = 0 if card is None else card.repeats + 1
    recalled = 0 if card is None else card.recalled + (rating != Rating.Again)
    last_choice = choice if rating == Rating.Again else (None if card is None else card.last_choice)
    return repo.StoredCard(
        key[0],
        key[1],
        state.state,
        state.step,
        state.stability,
        state.difficulty,
        state.due,
        state.last_review,
        repeats,
        recalled,
        last_choice,
    )


class ReviewService:
    """Reads and updates players' review cards; each call is one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock) -> None:
        self._sessions = sessions
        self._library = library
        self._clock = clock

    async def fold(self, session: AsyncSession, guild_id: int, user_id: int) -> None:
        """Fold the player's recorded ratings into their cards, and drop cards whose question is gone."""
        pending = await repo.pending_ratings(session, guild_id, user_id)
        keys = {(p.bank_id, p.question_id) for p in pending}
        cards = await repo.player_cards(session, guild_id, user_id, keys)
        changed: dict[repo.CardKey, repo.StoredCard] = {}
        for rating in pending:
            key = (rating.bank_id, rating.question_id)
            changed[key] = cards[key] = reviewed(cards.get(key), key, rating.rating, rating.choice, rating.reviewed_at)
        await repo.save_cards(session, guild_id, user_id, changed.values())
        await repo.delete_pending(session, [p.id for p in pending])

    def _question(self, guild_id: int, key: repo.CardKey) -> Question | None:
        try:
            return self._library.question(key[0], key[1], guild_id)
        except (UnknownBank, KeyError):
            return None

    async def due(self, guild_id: int, user_id: int, limit: int = REVIEW_SIZE) -> list[DueCard]:
        """The player's due cards, oldest due first; cards whose question was deleted are dropped on the way."""
        now = self._clock()
        async with self._sessions.begin() as session:
            await self.fold(session, guild_id, user_id)
            while True:
                found = await repo.due_cards(session, guild_id, user_id, now, limit)
                gone = [c.key for c in found if self._question(guild_id, c.key) is None]
                if not gone:
                    break
                log.info("Dropping %d review card(s) of deleted questions for user %s", len(gone), user_id)
                await repo.drop_cards(session, guild_id, user_id, gone)
        return [DueCard(q, c) for c in found if (q := self._question(guild_id, c.key)) is not None]

    async def summary(self, guild_id: int, user_id: int) -> ReviewSummary:
        """The player's card count, due count, next due time and retention."""
        async with self._sessions.begin() as session:
            await self.fold(session, guild_id, user_id)
            found = await repo.card_summary(session, guild_id, user_id, self._clock())
        return ReviewSummary(found.cards, found.due, found.next_due, retention(found.recalled, found.repeats))

    async def record(self, guild_id: int, ratings: list[repo.Rated]) -> None:
        """Record ratings given outside a channel round (practice, review): folded like a round's."""
        async with self._sessions.begin() as session:
            await repo.record_ratings(session, guild_id, ratings, self._clock())

    async def review(self, guild_id: int, rated: repo.Rated) -> repo.StoredCard | None:
        """Apply one review answer now and return the rescheduled card (None if the player opted out)."""
        async with self._sessions.begin() as session:
            if not await repo.record_ratings(session, guild_id, [rated], self._clock()):
                return None
            await self.fold(session, guild_id, rated.user_id)
            found = await repo.player_cards(session, guild_id, rated.user_id, [(rated.bank_id, rated.question_id)])
        return found.get((rated.bank_id, rated.question_id))

    async def is_opted_out(self, guild_id: int, user_id: int) -> bool:
        """True if the player turned review off here."""
        async with self._sessions.begin() as session:
            return bool(await repo.opted_out(session, guild_id, [user_id]))

    async def set_opted_out(self, guild_id: int, user_id: int, out: bool) -> int:
        """Turn the player's review off (deleting their cards; returns how many) or on again."""
        async with self._sessions.begin() as session:
            if out:
                await self.fold(session, guild_id, user_id)  # so the count includes cards not yet folded
            return await repo.set_opted_out(session, guild_id, user_id, out)
