"""The rank index: the same ranks and boards as counting in SQL, reloaded only when the guild's scores change."""

from __future__ import annotations

import random

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repos import LeaderboardRow, count_players, rank_of, top
from bot.db.repos.ranks import MAX_MOVES_IN_PLACE, RankIndex, Standings

from ..helpers import GUILD, OTHER_GUILD, T0, play_question, store_names


async def test_ranks_match_the_sql_count_with_ties(session: AsyncSession) -> None:
    """For every player, the cached rank equals repos.rank_of, ties included."""
    rng = random.Random(5)
    await play_question(session, {user: rng.choice([0, 500, 700, 900]) for user in range(1, 40)})
    await play_question(session, {user: rng.choice([0, 600, 800]) for user in range(20, 60)})
    index = RankIndex()
    for user in range(1, 60):
        assert await index.rank_of(session, GUILD, user) == await rank_of(session, GUILD, user)
    assert index.loads == 1
    assert await index.rank_of(session, GUILD, 999) is None


async def test_a_score_change_invalidates_the_copy(session: AsyncSession) -> None:
    """Closing a question bumps the guild's scores version, and the next rank reflects it."""
    index = RankIndex()
    await play_question(session, {1: 900, 2: 500})
    assert (await index.rank_of(session, GUILD, 2)).rank == 2  # type: ignore[union-attr]
    await play_question(session, {2: 1000}, at=T0)
    assert (await index.rank_of(session, GUILD, 2)).rank == 1  # type: ignore[union-attr]
    assert (await index.rank_of(session, GUILD, 1)).rank == 2  # type: ignore[union-attr]
    assert index.loads == 2


async def test_guilds_are_cached_apart(session: AsyncSession) -> None:
    """Another guild's scores neither share nor invalidate this guild's copy."""
    index = RankIndex()
    await play_question(session, {1: 900, 2: 500})
    await play_question(session, {1: 100, 3: 800}, guild_id=OTHER_GUILD)
    assert (await index.rank_of(session, GUILD, 1)).rank == 1  # type: ignore[union-attr]
    assert (await index.rank_of(session, OTHER_GUILD, 1)).rank == 2  # type: ignore[union-attr]
    await play_question(session, {3: 50}, guild_id=OTHER_GUILD)
    assert (await index.rank_of(session, GUILD, 2)).rank == 2  # type: ignore[union-attr]
    assert index.loads == 2  # GUILD's copy survived OTHER_GUILD's change
    assert (await index.snapshot(session, GUILD)).above(600) == 1


async def test_another_process_changing_scores_is_seen(maker: async_sessionmaker[AsyncSession]) -> None:
    """A change committed through another connection (as another process would) is picked up."""
    index = RankIndex()
    async with maker.begin() as session:
        await play_question(session, {1: 900, 2: 500})
    async with maker() as session:
        assert (await index.rank_of(session, GUILD, 2)).rank == 2  # type: ignore[union-attr]
    async with maker.begin() as other_process:
        await play_question(other_process, {2: 1000}, at=T0)
    async with maker() as session:
        assert (await index.rank_of(session, GUILD, 2)).rank == 1  # type: ignore[union-attr]


async def _all_ranks(index: RankIndex, session: AsyncSession, users: range) -> list[int | None]:
    rows = [await index.rank_of(session, GUILD, user) for user in users]
    return [row.rank if row else None for row in rows]


async def test_a_recorded_close_updates_the_copy_without_a_reload(session: AsyncSession) -> None:
    """The process that closed a question applies it in place: same ranks as a fresh index, no second load."""
    rng = random.Random(11)
    index = RankIndex()
    await play_question(session, {user: rng.choice([0, 500, 900]) for user in range(1, 30)}, ranks=index)
    first = await _all_ranks(index, session, range(1, 40))
    assert index.loads == 1
    # Some players climb, one newcomer scores nothing, another joins at the top.
    await play_question(session, {3: 1000, 7: 0, 31: 0, 32: 950, 12: 700}, ranks=index, at=T0)
    assert await _all_ranks(index, session, range(1, 40)) == await _all_ranks(RankIndex(), session, range(1, 40))
    assert await _all_ranks(index, session, range(1, 40)) != first
    assert (index.loads, index.updates) == (1, 1)


async def test_a_close_that_does_not_follow_the_copy_is_left_to_a_reload(session: AsyncSession) -> None:
    """If another close came in between (another process), the copy is not patched; the next read reloads it."""
    index = RankIndex()
    await play_question(session, {1: 900, 2: 500}, ranks=index)
    assert (await index.rank_of(session, GUILD, 2)).rank == 2  # type: ignore[union-attr]
    await play_question(session, {2: 600}, at=T0)  # not recorded: as if another process closed it
    await play_question(session, {1: 100}, at=T0, ranks=index)  # recorded, but two versions ahead of the copy
    assert index.updates == 0
    assert (await index.rank_of(session, GUILD, 2)).rank == 1  # type: ignore[union-attr]
    assert index.loads == 2


async def test_a_close_with_many_players_drops_the_copy(session: AsyncSession) -> None:
    """Past MAX_MOVES_IN_PLACE players a close is not patched in (one sorted read is cheaper) but still seen."""
    index = RankIndex()
    await play_question(session, {1: 900}, ranks=index)
    assert (await index.rank_of(session, GUILD, 1)).rank == 1  # type: ignore[union-attr]
    crowd = {user: 1000 for user in range(2, MAX_MOVES_IN_PLACE + 3)}
    await play_question(session, crowd, ranks=index, at=T0)
    assert index.updates == 0
    assert (await index.rank_of(session, GUILD, 1)).rank == len(crowd) + 1  # type: ignore[union-attr]
    assert index.loads == 2


async def _sql_board(session: AsyncSession, viewer: int, page: int) -> Standings:
    """The board as the SQL repositories compute it from the scores table."""
    rows = await top(session, GUILD, limit=10, offset=page * 10)
    return Standings(rows, await rank_of(session, GUILD, viewer), await count_players(session, GUILD))


@pytest.mark.parametrize("sole_writer", [False, True])
async def test_the_board_from_memory_equals_the_board_from_sql(
    maker: async_sessionmaker[AsyncSession], sole_writer: bool
) -> None:
    """Every page and every viewer's line, ties and unnamed players included, before and after recorded closes."""
    rng = random.Random(23)
    index = RankIndex(sole_writer=sole_writer)
    async with maker.begin() as session:
        await play_question(session, {user: rng.choice([0, 300, 500, 900]) for user in range(1, 35)}, ranks=index)
        await store_names(session, GUILD, {user: f"name {user}" for user in range(1, 30)})  # 30 and up stay unnamed
    for round_number in range(3):
        for page in range(5):
            for viewer in (1, 7, 33, 34, 99):
                board = await index.board(maker, GUILD, viewer, offset=page * 10, limit=10)
                async with maker() as session:
                    assert board == await _sql_board(session, viewer, page), (round_number, page, viewer)
        async with maker.begin() as session:
            movers = {user: rng.choice([0, 400, 1000]) for user in rng.sample(range(1, 45), 8)}
            await store_names(session, GUILD, {user: f"renamed {user}" for user in movers})
            await play_question(session, movers, ranks=index, at=T0)
    assert (index.loads, index.updates) == (1, 3)


async def test_a_sole_writer_serves_a_named_page_without_a_round_trip(maker: async_sessionmaker[AsyncSession]) -> None:
    """Once loaded and named, the board is read from memory; an index that shares the database asks each time."""
    shared, sole = RankIndex(), RankIndex(sole_writer=True)
    async with maker.begin() as session:
        await play_question(session, {user: user * 10 for user in range(1, 30)}, ranks=sole)
        await store_names(session, GUILD, {user: f"name {user}" for user in range(1, 30)})
    for index in (shared, sole):
        await index.board(maker, GUILD, 3, offset=0, limit=10)
        before = index.round_trips
        for _ in range(5):
            board = await index.board(maker, GUILD, 3, offset=0, limit=10)
        assert [row.display_name for row in board.rows][:2] == ["name 29", "name 28"]
        assert board.mine == LeaderboardRow(27, 3, "name 3", 30)
        assert index.round_trips - before == (0 if index is sole else 5)


async def test_an_unknown_guild_has_an_empty_board(maker: async_sessionmaker[AsyncSession]) -> None:
    """No guild row: no players, no line, and nothing cached."""
    assert await RankIndex().board(maker, 424242, 1, offset=0, limit=10) == Standings([], None, 0)


async def test_preload_loads_only_big_guilds(maker: async_sessionmaker[AsyncSession]) -> None:
    """Guilds at or past the threshold are loaded ahead; smaller ones wait for their first read."""
    index = RankIndex(sole_writer=True)
    async with maker.begin() as session:
        await play_question(session, {user: 5 for user in range(1, 6)})
        await play_question(session, {user: 5 for user in range(1, 3)}, guild_id=OTHER_GUILD)
    assert await index.preload(maker, min_players=5) == 1
    assert index.loads == 1
    await index.board(maker, GUILD, 1, offset=0, limit=10)
    assert index.loads == 1
