"""Leaderboards: shared ranks for ties, ranks beyond the first page, weekly and per-bank scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos import LeaderboardRow, count_players, rank_of, top

from ..helpers import GUILD, OTHER_GUILD, T0, play_question, user_ids


async def test_ties_share_a_rank(session: AsyncSession) -> None:
    """Equal points share a rank and the next rank skips past them."""
    await play_question(session, {1: 900, 2: 700, 3: 700, 4: 500, 5: 0})
    rows = await top(session, GUILD)
    assert [(r.rank, r.points) for r in rows] == [(1, 900), (2, 700), (2, 700), (4, 500), (5, 0)]
    assert user_ids(rows) == [1, 3, 2, 4, 5]


async def test_page_starting_mid_tie_keeps_the_shared_rank(session: AsyncSession) -> None:
    """A page that starts inside a tie numbers it like the first page would."""
    await play_question(session, {1: 900, 2: 700, 3: 700, 4: 500})
    rows = await top(session, GUILD, limit=2, offset=2)
    assert [(r.rank, r.user_id, r.points) for r in rows] == [(2, 2, 700), (4, 4, 500)]
    assert await top(session, GUILD, offset=10) == []


async def test_rank_of_a_player_outside_the_top_ten(session: AsyncSession) -> None:
    """A player below the first page still gets their rank; unknown players get None."""
    await play_question(session, {user: 100 * user for user in range(1, 16)})
    first_page = await top(session, GUILD)
    assert len(first_page) == 10
    assert 2 not in user_ids(first_page)
    assert await rank_of(session, GUILD, 2) == LeaderboardRow(14, 2, None, 200)
    assert await rank_of(session, GUILD, 99) is None
    assert await count_players(session, GUILD) == 15


async def test_leaderboards_are_per_guild(session: AsyncSession) -> None:
    """Points earned in one guild never show in another."""
    await play_question(session, {1: 900})
    await play_question(session, {2: 100}, guild_id=OTHER_GUILD, channel_id=1)
    assert user_ids(await top(session, GUILD)) == [1]
    assert await rank_of(session, OTHER_GUILD, 1) is None


async def test_all_time_adds_up_every_round(session: AsyncSession) -> None:
    """All-time points are the sum over rounds."""
    await play_question(session, {1: 300, 2: 500})
    await play_question(session, {1: 400})
    assert [(r.user_id, r.points) for r in await top(session, GUILD)] == [(1, 700), (2, 500)]


async def test_weekly_scope_excludes_older_answers(session: AsyncSession) -> None:
    """The weekly board counts only answers at or after ``since``."""
    since = T0
    await play_question(session, {1: 900, 2: 100}, at=since - timedelta(days=1))
    await play_question(session, {2: 300, 3: 200}, at=since)
    rows = await top(session, GUILD, scope="week", since=since)
    assert [(r.rank, r.user_id, r.points) for r in rows] == [(1, 2, 300), (2, 3, 200)]
    assert await rank_of(session, GUILD, 1, scope="week", since=since) is None
    assert await count_players(session, GUILD, scope="week", since=since) == 2


async def test_bank_scope_counts_only_that_bank(session: AsyncSession) -> None:
    """The per-bank board sums points from that bank's questions only."""
    await play_question(session, {1: 900, 2: 100}, bank_id="caucasus")
    await play_question(session, {2: 500}, bank_id="caucasus")
    await play_question(session, {3: 1000}, bank_id="other")
    rows = await top(session, GUILD, scope="bank", bank_id="caucasus")
    assert [(r.rank, r.user_id, r.points) for r in rows] == [(1, 1, 900), (2, 2, 600)]
    assert await rank_of(session, GUILD, 2, scope="bank", bank_id="caucasus") == LeaderboardRow(2, 2, None, 600)


@pytest.mark.parametrize(
    ("scope", "kwargs", "message"),
    [
        ("week", {}, "needs since"),
        ("bank", {}, "needs bank_id"),
        ("all", {"bank_id": "x"}, "takes no bank_id"),
        ("all", {"since": T0}, "takes no bank_id or since"),
    ],
)
async def test_scope_arguments_are_checked(
    session: AsyncSession, scope: str, kwargs: dict[str, object], message: str
) -> None:
    """A scope without the filter it needs, or with one it ignores, is refused."""
    with pytest.raises(ValueError, match=message):
        await top(session, GUILD, scope=scope, **kwargs)  # type: ignore[arg-type]
