"""The round service keeps the engine and the store in step: answers committed, closes awarded, rounds replayed."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.models import AnswerRow, ScoreRow
from bot.db.repos import GuildSettings
from bot.quiz import AlreadyAnswered, Bank, QuestionClosed
from bot.rounds.errors import (
    AllBanksDisabled,
    ChannelNotAllowed,
    MissingPermissions,
    NoBanks,
    RoundAlreadyRunning,
    RuleOutOfRange,
)
from bot.rounds.service import LiveRound, RoundService
from tests.db.helpers import CHANNEL, GUILD, STARTER
from tests.quiz.helpers import SOURCE, make_question

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def library() -> BankLibrary:
    questions = tuple(make_question(f"q{i}") for i in range(6))
    return BankLibrary([Bank(id="bank", title="A bank", source=SOURCE, questions=questions)])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def service(engine: AsyncEngine, library: BankLibrary, clock: Clock) -> AsyncIterator[RoundService]:
    service = RoundService(engine, library, clock)
    yield service
    await service.aclose()


async def _start(service: RoundService, count: int) -> LiveRound:
    """Plan and start a round of ``count`` questions of the bank in CHANNEL."""
    plan = await service.plan(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank="bank", questions=count, seconds=20
    )
    return await service.start(plan)


async def _open_one_question(service: RoundService) -> tuple[LiveRound, int]:
    """Start a one-question round in CHANNEL and open its question; the round and the question's store id."""
    live = await _start(service, 1)
    await service.open_next(live)
    assert live.current_question_id is not None
    return live, live.current_question_id


async def _answers(maker: async_sessionmaker[AsyncSession]) -> int:
    async with maker() as session:
        return int((await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one())


async def test_round_is_stored_played_and_finished(
    service: RoundService, maker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """Answers are committed as they come; closing awards points; finishing ranks the players."""
    live = await _start(service, 2)
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    clock.now += timedelta(seconds=4)
    await service.answer(live, question_id, 1, "alice", opened.played.correct_position)
    assert await _answers(maker) == 1  # committed before answer() returned
    with pytest.raises(AlreadyAnswered):
        await service.answer(live, question_id, 1, "alice", 0)
    clock.now += timedelta(seconds=16)
    reveal = await service.close(live)
    assert [a.player_id for a in reveal.correct_answers] == [1]
    with pytest.raises(QuestionClosed):
        await service.answer(live, question_id, 2, "bob", 0)

    await service.open_next(live)
    await service.close(live)
    standings, changes = await service.finish(live)
    assert [(s.player_id, s.points) for s in standings] == [(1, reveal.correct_answers[0].points)]
    assert [(c.user_id, c.before, c.after) for c in changes] == [(1, None, 1)]
    async with maker() as session:
        assert (await repos.rank_of(session, GUILD, 1)) is not None


async def _all_time_points(maker: async_sessionmaker[AsyncSession]) -> dict[int, int]:
    async with maker() as session:
        rows = (
            await session.execute(select(ScoreRow.user_id, ScoreRow.points).where(ScoreRow.guild_id == GUILD))
        ).all()
    return {int(user): int(points) for user, points in rows}


def _rank(points: dict[int, int], user: int) -> int:
    return 1 + sum(1 for other in points.values() if other > points[user])


async def _play_round(service: RoundService, clock: Clock, players: dict[int, list[bool]]) -> LiveRound:
    """One round in which each player answers each question right or wrong, at a speed of their own."""
    live = await _start(service, 3)
    for index in range(3):
        opened = await service.open_next(live)
        question_id = live.current_question_id
        assert question_id is not None
        for user, verdicts in players.items():
            clock.now += timedelta(milliseconds=50 + 40 * (user % 5))  # under 20 s for all 31 players
            right = opened.played.correct_position
            await service.answer(live, question_id, user, f"p{user}", right if verdicts[index] else (right + 1) % 4)
        clock.now += timedelta(seconds=20)
        await service.close(live)
    return live


async def test_rank_changes_match_the_leaderboard_before_and_after(
    service: RoundService, maker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """Each player's move is exactly their all-time rank before the round and after it, overtakes and ties included."""
    rng = random.Random(7)
    everyone = {user: [rng.random() < 0.5 for _ in range(3)] for user in range(1, 31)}
    live = await _play_round(service, clock, everyone)
    await service.finish(live)
    before = await _all_time_points(maker)

    # Half the guild plays again; the others keep their points and can be overtaken.
    second = {user: [rng.random() < 0.7 for _ in range(3)] for user in range(1, 31) if rng.random() < 0.5}
    second[31] = [True, True, False]  # a newcomer
    live = await _play_round(service, clock, second)
    _, changes = await service.finish(live)
    after = await _all_time_points(maker)

    assert {c.user_id for c in changes} == set(second)
    for change in changes:
        expected_before = _rank(before, change.user_id) if before.get(change.user_id, 0) > 0 else None
        assert (change.before, change.after) == (expected_before, _rank(after, change.user_id)), change.user_id
    assert any(c.before is not None and c.after < c.before for c in changes)  # somebody climbed


async def test_second_round_in_a_channel_is_refused(service: RoundService) -> None:
    """One running round per channel."""
    plan = await service.plan(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank="bank", questions=1)
    await service.start(plan)
    with pytest.raises(RoundAlreadyRunning):
        await _start(service, 1)  # refused by the plan: this process runs a round there
    with pytest.raises(RoundAlreadyRunning):
        await service.start(plan)  # refused by the store, as for a round another process started


async def test_a_burst_of_answers_shares_transactions(
    service: RoundService, maker: async_sessionmaker[AsyncSession]
) -> None:
    """200 simultaneous clicks are all committed, in far fewer transactions than clicks."""
    live, question_id = await _open_one_question(service)
    await asyncio.gather(*(service.answer(live, question_id, user, f"p{user}", user % 4) for user in range(200)))
    assert await _answers(maker) == 200
    writer = service._writer
    assert writer.written == 200 and writer.batches < 50
    reveal = await service.close(live)
    assert sum(reveal.distribution) == 200


async def test_a_batch_window_gathers_clicks(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock
) -> None:
    """With a 20 ms window, 50 clicks a millisecond apart are committed in a handful of transactions."""
    service = RoundService(engine, library, clock, batch_window=0.02)
    live, question_id = await _open_one_question(service)

    async def click(user: int) -> None:
        await asyncio.sleep(user / 1000)
        await service.answer(live, question_id, user, f"p{user}", 0)

    await asyncio.gather(*(click(user) for user in range(50)))
    assert await _answers(maker) == 50
    assert service._writer.batches <= 10
    await service.aclose()


async def test_a_failed_write_withdraws_the_answer(
    service: RoundService, maker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When storing an answer fails, the player is not told it counted and may answer again."""
    live, question_id = await _open_one_question(service)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(repos, "answers_write", broken)
    with pytest.raises(OSError, match="disk full"):
        await service.answer(live, question_id, 1, "alice", 0)
    monkeypatch.undo()
    await service.answer(live, question_id, 1, "alice", 1)
    assert await _answers(maker) == 1


async def test_restore_replays_the_stored_round(
    service: RoundService, engine: AsyncEngine, library: BankLibrary, clock: Clock
) -> None:
    """A new service on the same database rebuilds the round with the same answers and totals."""
    live = await _start(service, 3)
    for _ in range(2):
        opened = await service.open_next(live)
        question_id = live.current_question_id
        assert question_id is not None
        clock.now += timedelta(seconds=2)
        await service.answer(live, question_id, 1, "alice", opened.played.correct_position)
        await service.answer(live, question_id, 2, "bob", (opened.played.correct_position + 1) % 4)
        clock.now += timedelta(seconds=18)
        await service.close(live)
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    await service.answer(live, question_id, 2, "bob", opened.played.correct_position)

    (restored,) = await RoundService(engine, library, clock).restore()
    assert restored.id == live.id and restored.current_question_id == question_id
    assert restored.engine.tallies.keys() == live.engine.tallies.keys()
    assert {p: t.points for p, t in restored.engine.tallies.items()} == {
        p: t.points for p, t in live.engine.tallies.items()
    }
    assert restored.engine.answer_of(2) == live.engine.answer_of(2)
    assert restored.names == {1: "alice", 2: "bob"}


async def test_a_skipped_question_ends_the_stored_streak(
    service: RoundService, maker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """The engine's streak rule reaches the store: a player who skips a question loses their all-time streak."""
    live = await _start(service, 2)
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    await service.answer(live, question_id, 1, "alice", opened.played.correct_position)
    await service.answer(live, question_id, 2, "bob", opened.played.correct_position)
    await service.close(live)
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    await service.answer(live, question_id, 2, "bob", opened.played.correct_position)
    clock.now += timedelta(seconds=20)
    reveal = await service.close(live)
    assert reveal.broken_streaks == (1,)
    async with maker() as session:
        alice, bob = await repos.player_stats(session, GUILD, 1), await repos.player_stats(session, GUILD, 2)
    assert alice is not None and bob is not None
    assert (alice.current_streak, alice.best_streak) == (0, 1)
    assert (bob.current_streak, bob.best_streak) == (2, 2)


async def _settings(service: RoundService, maker: async_sessionmaker[AsyncSession], **changes: Any) -> GuildSettings:
    async with maker.begin() as session:
        return dataclasses.replace(await repos.get_guild_settings(session, GUILD), **changes)


async def test_a_plan_checks_the_channel_and_the_permissions(
    service: RoundService, maker: async_sessionmaker[AsyncSession]
) -> None:
    """Rounds run only in the allowed channels and where the bot has what it needs; practice has no channel."""
    elsewhere = await _settings(service, maker, allowed_channel_ids=(CHANNEL + 1,))
    with pytest.raises(ChannelNotAllowed):
        await service.plan(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, settings=elsewhere)
    with pytest.raises(MissingPermissions, match="Embed Links"):
        await service.plan(
            guild_id=GUILD, channel_id=CHANNEL + 1, started_by=STARTER, missing_permissions=["Embed Links"]
        )
    practice = await service.plan(guild_id=GUILD, channel_id=None, started_by=STARTER, questions=2, settings=elsewhere)
    assert (practice.channel_id, practice.bank_ids, practice.rules.questions) == (None, ("bank",), 2)


async def test_a_plan_takes_the_banks_own_rules_and_the_servers_defaults(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """A bank's own seconds and points apply to a round of it; the server's defaults fill in the rest."""
    questions = tuple(make_question(f"q{i}", bank_id="timed") for i in range(4))
    timed = Bank(id="timed", title="Timed", source=SOURCE, questions=questions, seconds=45, points=500)
    service = RoundService(engine, BankLibrary([timed]), clock)
    try:
        settings = await _settings(service, maker, default_questions=3, default_seconds=25)
        plan = await service.plan(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, settings=settings)
        assert (plan.rules.questions, plan.rules.seconds, plan.rules.scoring.max_points) == (3, 45, 500)
        live = await service.start(plan)
        assert (live.total, live.engine.seconds, live.engine.scoring.max_points) == (3, 45, 500)
    finally:
        await service.aclose()


async def test_a_plan_without_banks_says_whether_they_are_switched_off(
    service: RoundService, library: BankLibrary, engine: AsyncEngine, clock: Clock
) -> None:
    """Every bank switched off in the guild is AllBanksDisabled; no bank at all is NoBanks."""
    library.set_disabled(GUILD, "bank", True)
    with pytest.raises(AllBanksDisabled):
        await service.plan(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER)
    empty = RoundService(engine, BankLibrary(), clock)
    try:
        with pytest.raises(NoBanks) as refused:
            await empty.plan(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER)
        assert not isinstance(refused.value, AllBanksDisabled)
    finally:
        await empty.aclose()


async def test_names_the_database_cannot_store_cost_no_answer(
    service: RoundService, maker: async_sessionmaker[AsyncSession]
) -> None:
    """A NUL or a name past the column's 100 characters (PostgreSQL refused both): every answer of the batch kept."""
    live, question_id = await _open_one_question(service)
    names = {user: (f"p{user}\x00evil" if user % 2 else "n" * 150) for user in range(40)}
    await asyncio.gather(*(service.answer(live, question_id, user, names[user], user % 4) for user in range(40)))
    assert await _answers(maker) == 40
    async with maker() as session:
        stored = await repos.player_names(session, GUILD, set(range(40)))
    assert stored[1] == "p1evil" and stored[2] == "n" * 100


async def test_one_failing_row_does_not_lose_the_rest_of_its_batch(
    service: RoundService, maker: async_sessionmaker[AsyncSession]
) -> None:
    """A row the database refuses fails alone; the others in its transaction are stored and their callers told."""
    _, question_id = await _open_one_question(service)
    good = [repos.NewAnswer(question_id, GUILD, user, "bank", "q0", 0, 0, T0, 100) for user in range(1, 20)]
    bad = dataclasses.replace(good[0], round_question_id=question_id + 10_000, user_id=99)  # no such question
    writer = service._writer
    results = await asyncio.gather(*(writer.write(answer, None) for answer in [*good, bad]), return_exceptions=True)
    assert [r for r in results[:-1] if r is not None] == []
    assert isinstance(results[-1], Exception)
    assert await _answers(maker) == 19


@pytest.mark.parametrize(("questions", "seconds"), [(-1, None), (0, None), (51, None), (None, 4), (None, 10**12)])
async def test_a_plan_refuses_counts_and_times_out_of_bounds(
    service: RoundService, questions: int | None, seconds: int | None
) -> None:
    """The service checks the bounds itself (``questions:-1`` raised ValueError, a huge time OverflowError)."""
    with pytest.raises(RuleOutOfRange):
        await service.plan(
            guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank="bank", questions=questions, seconds=seconds
        )
