"""Spaced-review cards: ratings appended as questions close, and each player's cards as FSRS left them.

Closing a question only appends ratings (``pending_reviews``), one executemany whatever the number of
players; the review service folds a player's ratings into their cards when that player next looks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PendingReviewRow, ReviewCardRow, ReviewOptOutRow
from bot.db.repos._sql import dialect_name, table, upsert

CardKey = tuple[str, str]  # (bank id, question id)


@dataclass(frozen=True, slots=True)
class Rated:
    """One player's rating of one question, as a question closes or a review is answered."""

    user_id: int
    bank_id: str
    question_id: str
    rating: int
    #: The original index of the chosen choice; None if the player did not answer.
    choice: int | None


@dataclass(frozen=True, slots=True)
class PendingRating:
    """A stored rating not yet folded into its card."""

    id: int
    bank_id: str
    question_id: str
    rating: int
    choice: int | None
    reviewed_at: datetime


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A player's card as stored: FSRS's fields, and the counts behind the player's retention."""

    bank_id: str
    question_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    repeats: int = 0
    recalled: int = 0
    last_choice: int | None = None

    @property
    def key(self) -> CardKey:
        """The card's (bank id, question id)."""
        return (self.bank_id, self.question_id)


@dataclass(frozen=True, slots=True)
class CardSummary:
    """How many cards a player has, how many are due, when the next one is, and the retention counts."""

    cards: int
    due: int
    next_due: datetime | None
    repeats: int
    recalled: int


async def opted_out(session: AsyncSession, guild_id: int, user_ids: Collection[int] | None = None) -> set[int]:
    """The players (of ``user_ids``, or all) who turned review off in the guild."""
    rows = table(ReviewOptOutRow)
    query = select(rows.c.user_id).where(rows.c.guild_id == guild_id)
    if user_ids is not None:
        query = query.where(rows.c.user_id.in_(list(user_ids)))
    return {int(user_id) for user_id in (await session.execute(query)).scalars()}


async def record_ratings(session: AsyncSession, guild_id: int, ratings: Sequence[Rated], at: datetime) -> int:
    """Append the ratings of players who keep cards; returns how many were stored."""
    if not ratings:
        return 0
    if dialect_name(session) == "sqlite":
        return await _record_on_sqlite(session, guild_id, ratings, at)
    # The opt-out list of a guild is short; one read of it beats a subquery per inserted row.
    out = await opted_out(session, guild_id)
    params = [
        {
            "guild_id": guild_id,
            "user_id": r.user_id,
            "bank_id": r.bank_id,
            "question_id": r.question_id,
            "rating": r.rating,
            "choice": r.choice,
            "reviewed_at": at,
        }
        for r in ratings
        if r.user_id not in out
    ]
    if params:
        await session.execute(insert(table(PendingReviewRow)), params)
    return len(params)


async def _record_on_sqlite(session: AsyncSession, guild_id: int, ratings: Sequence[Rated], at: datetime) -> int:
    """The same insert straight to the driver's executemany, opt-outs checked per row inside SQLite.

    Closing a question a thousand players answered runs this: Core's per-row parameter handling, and the
    extra hop for reading the opt-outs, cost several times the work SQLite itself does.
    """
    dialect = session.get_bind().dialect
    sql, stamp = _sqlite_pending_insert(dialect)
    when = stamp(at) if stamp is not None else at  # the same instant for every row: converted once
    rows = [
        (guild_id, r.user_id, r.bank_id, r.question_id, r.rating, r.choice, when, guild_id, r.user_id) for r in ratings
    ]
    result = await (await session.connection()).exec_driver_sql(sql, rows)
    return int(result.rowcount)


@functools.cache
def _sqlite_pending_insert(dialect: Dialect) -> tuple[str, Callable[[Any], Any] | None]:
    """The SQLite insert of pending ratings that skips opted-out players, and the processor of its timestamp."""
    pending, opt_outs = table(PendingReviewRow), table(ReviewOptOutRow)
    sql = (
        f"INSERT INTO {pending.name} (guild_id, user_id, bank_id, question_id, rating, choice, reviewed_at) "
        f"SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
        f"(SELECT 1 FROM {opt_outs.name} WHERE guild_id = ? AND user_id = ?)"
    )
    return sql, pending.c.reviewed_at.type.bind_processor(dialect)


async def pending_ratings(session: AsyncSession, guild_id: int, user_id: int) -> list[PendingRating]:
    """The player's ratings not yet folded into cards, oldest first."""
    rows = table(PendingReviewRow)
    query = (
        select(rows)
        .where(rows.c.guild_id == guild_id, rows.c.user_id == user_id)
        .order_by(rows.c.reviewed_at, rows.c.id)
    )
    return [
        PendingRating(int(r.id), r.bank_id, r.question_id, int(r.rating), r.choice, r.reviewed_at)
        for r in await session.execute(query)
    ]


async def delete_pending(session: AsyncSession, ids: Collection[int]) -> None:
    """Forget folded ratings."""
    if ids:
        rows = table(PendingReviewRow)
        await session.execute(delete(rows).where(rows.c.id.in_(list(ids))))


async def player_cards(
    session: AsyncSession, guild_id: int, user_id: int, keys: Collection[CardKey] | None = None
) -> dict[CardKey, StoredCard]:
    """The player's cards (those of ``keys``, or all), by (bank id, question id)."""
    cards = table(ReviewCardRow)
    query = select(cards).where(cards.c.guild_id == guild_id, cards.c.user_id == user_id)
    if keys is not None:
        if not keys:
            return {}
        query = query.where(tuple_(cards.c.bank_id, cards.c.question_id).in_(list(keys)))
    return {(r.bank_id, r.question_id): _card(r) for r in await session.execute(query)}


async def save_cards(session: AsyncSession, guild_id: int, user_id: int, cards: Collection[StoredCard]) -> None:
    """Store the player's cards, replacing the ones they had for the same questions."""
    if not cards:
        return
    rows = table(ReviewCardRow)
    statement = upsert(session, rows)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id", "bank_id", "question_id"],
        set_={
            name: getattr(excluded, name)
            for name in (
                "state",
                "step",
                "stability",
                "difficulty",
                "due",
                "last_review",
                "repeats",
                "recalled",
                "last_choice",
            )
        },
    )
    await session.execute(
        statement,
        [
            {
                "guild_id": guild_id,
                "user_id": user_id,
                "bank_id": c.bank_id,
                "question_id": c.question_id,
                "state": c.state,
                "step": c.step,
                "stability": c.stability,
                "difficulty": c.difficulty,
                "due": c.due,
                "last_review": c.last_review,
                "repeats": c.repeats,
                "recalled": c.recalled,
                "last_choice": c.last_choice,
            }
            for c in cards
        ],
    )


async def due_cards(session: AsyncSession, guild_id: int, user_id: int, now: datetime, limit: int) -> list[StoredCard]:
    """The player's cards due by ``now``, the longest overdue first, at most ``limit``."""
    cards = table(ReviewCardRow)
    query = (
        select(cards)
        .where(cards.c.guild_id == guild_id, cards.c.user_id == user_id, cards.c.due <= now)
        .order_by(cards.c.due, cards.c.bank_id, cards.c.question_id)
        .limit(limit)
    )
    return [_card(r) for r in await session.execute(query)]


async def card_summary(session: AsyncSession, guild_id: int, user_id: int, now: datetime) -> CardSummary:
    """The player's card count, due count, next due time and retention counts, in one read."""
    cards = table(ReviewCardRow)
    query = select(
        func.count(),
        func.count().filter(cards.c.due <= now),
        func.min(cards.c.due).filter(cards.c.due > now),
        func.coalesce(func.sum(cards.c.repeats), 0),
        func.coalesce(func.sum(cards.c.recalled), 0),
    ).where(cards.c.guild_id == guild_id, cards.c.user_id == user_id)
    total, due, next_due, repeats, recalled = (await session.execute(query)).one()
    return CardSummary(int(total), int(due), next_due, int(repeats), int(recalled))


async def drop_cards(session: AsyncSession, guild_id: int, user_id: int, keys: Collection[CardKey]) -> None:
    """Delete some of the player's cards (their questions are gone)."""
    if keys:
        cards = table(ReviewCardRow)
        await session.execute(
            delete(cards).where(
                cards.c.guild_id == guild_id,
                cards.c.user_id == user_id,
                tuple_(cards.c.bank_id, cards.c.question_id).in_(list(keys)),
            )
        )


async def set_opted_out(session: AsyncSession, guild_id: int, user_id: int, out: bool) -> int:
    """Turn the player's review off (deleting their cards and ratings; returns how many cards) or back on."""
    opt_outs = table(ReviewOptOutRow)
    if not out:
        await session.execute(delete(opt_outs).where(opt_outs.c.guild_id == guild_id, opt_outs.c.user_id == user_id))
        return 0
    await session.execute(
        upsert(session, opt_outs)
        .values(guild_id=guild_id, user_id=user_id)
        .on_conflict_do_nothing(index_elements=["guild_id", "user_id"])
    )
    cards, pending = table(ReviewCardRow), table(PendingReviewRow)
    count = (
        await session.execute(select(func.count()).where(cards.c.guild_id == guild_id, cards.c.user_id == user_id))
    ).scalar_one()
    await session.execute(delete(cards).where(cards.c.guild_id == guild_id, cards.c.user_id == user_id))
    await session.execute(delete(pending).where(pending.c.guild_id == guild_id, pending.c.user_id == user_id))
    return int(count)


def _card(row: Any) -> StoredCard:
    return StoredCard(
        bank_id=row.bank_id,
        question_id=row.question_id,
        state=int(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        repeats=int(row.repeats),
        recalled=int(row.recalled),
        last_choice=row.last_choice,
    )
