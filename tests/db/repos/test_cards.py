"""Review ratings as a question closes: appended exactly (SQLite's driver fast path included), opt-outs left out."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos.cards import Rated, pending_ratings, record_ratings, set_opted_out

AT = datetime(2026, 1, 1, 0, 0, 20, 123456, tzinfo=UTC)


async def test_ratings_are_stored_as_given_and_read_back_in_order(session: AsyncSession) -> None:
    """Every field survives the trip, the time to the microsecond and aware; a player's ratings come oldest first."""
    later = AT.replace(second=59)
    assert await record_ratings(session, 1, [Rated(5, "b", "q2", 3, 0), Rated(6, "b", "q1", 1, None)], later) == 2
    assert await record_ratings(session, 1, [Rated(5, "b", "q1", 1, 2)], AT) == 1
    await session.commit()
    found = await pending_ratings(session, 1, 5)
    assert [(p.question_id, p.rating, p.choice, p.reviewed_at) for p in found] == [
        ("q1", 1, 2, AT),
        ("q2", 3, 0, later),
    ]
    assert [(p.question_id, p.choice) for p in await pending_ratings(session, 1, 6)] == [("q1", None)]
    assert await pending_ratings(session, 2, 5) == []


async def test_opted_out_players_ratings_are_not_stored(session: AsyncSession) -> None:
    """A player who turned review off gets no ratings; the others in the same close do."""
    await set_opted_out(session, 1, 5, True)
    assert await record_ratings(session, 1, [Rated(5, "b", "q", 1, 0), Rated(6, "b", "q", 1, 0)], AT) == 1
    assert await pending_ratings(session, 1, 5) == []
