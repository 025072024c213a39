"""Player statistics: totals, accuracy, all-time rank and per-question counts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos import QuestionStat, player_stats

from ..helpers import GUILD, OTHER_GUILD, play_question


async def test_player_stats(session: AsyncSession) -> None:
    """Stats add up the player's rounds, answers and points, rank them and break them down by question."""
    await play_question(session, {1: 900, 2: 1000}, bank_id="a")
    await play_question(session, {1: 0, 2: 0}, bank_id="a")
    await play_question(session, {1: 600}, bank_id="b")
    stats = await player_stats(session, GUILD, 1)
    assert stats is not None
    assert (stats.rounds_played, stats.answered, stats.correct, stats.points) == (3, 3, 2, 1500)
    assert stats.accuracy == 2 / 3
    assert stats.best_streak == 1
    assert stats.rank == 1
    # Every one-question round plays its bank's "q1".
    assert stats.per_question == (QuestionStat("a", "q1", 2, 1), QuestionStat("b", "q1", 1, 1))
    second = await player_stats(session, GUILD, 2)
    assert second is not None
    assert (second.rank, second.accuracy) == (2, 0.5)


async def test_unknown_player_has_no_stats(session: AsyncSession) -> None:
    """A player with nothing scored in the guild has no stats, even if they played elsewhere."""
    await play_question(session, {1: 900}, guild_id=OTHER_GUILD)
    assert await player_stats(session, GUILD, 1) is None
