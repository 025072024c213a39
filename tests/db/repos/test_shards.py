"""What a process of some shards reads: only its guilds' due schedules and running rounds (issue 12, ownership)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos import create_schedule, due_schedules, next_schedule_due, reminder_time, unfinished_rounds
from bot.schedules import Repeat, RepeatKind
from bot.shards import EVERY_SHARD, Shards, shard_of

from ..helpers import CHANNEL, STARTER, T0, start_round

COUNT = 4
# Two guilds on different shards of four (the formula, not an assumption: checked below).
A_GUILD = 111_111_111_111_111_111
B_GUILD = 222_222_222_222_222_222


async def _schedule(session: AsyncSession, guild_id: int, minutes: int) -> int:
    run = T0 + timedelta(minutes=minutes)
    stored = await create_schedule(
        session,
        guild_id=guild_id,
        channel_id=CHANNEL,
        created_by=STARTER,
        timezone="UTC",
        starts_local=run.replace(tzinfo=None),
        repeat=Repeat(RepeatKind.RRULE, "FREQ=DAILY"),
        next_run_at=run,
        remind_at=reminder_time(run, 0),
        bank_id="bank",
        questions=3,
        seconds=20,
        ping_role_id=None,
        created_at=T0,
    )
    return stored.id


def test_the_two_guilds_sit_on_different_shards() -> None:
    """The guilds below really belong to different processes."""
    assert shard_of(A_GUILD, COUNT) != shard_of(B_GUILD, COUNT)


async def test_a_process_sees_only_its_guilds_schedules(session: AsyncSession) -> None:
    """Due schedules and the next due time count only the guilds on the process's shards."""
    mine = Shards.of(COUNT, [shard_of(A_GUILD, COUNT)])
    theirs = Shards.of(COUNT, [shard_of(B_GUILD, COUNT)])
    a_id = await _schedule(session, A_GUILD, minutes=30)
    b_id = await _schedule(session, B_GUILD, minutes=10)
    now = T0 + timedelta(hours=1)
    assert [s.id for s in await due_schedules(session, now, mine)] == [a_id]
    assert [s.id for s in await due_schedules(session, now, theirs)] == [b_id]
    assert {s.id for s in await due_schedules(session, now, EVERY_SHARD)} == {a_id, b_id}
    assert await next_schedule_due(session, mine) == T0 + timedelta(minutes=30)
    assert await next_schedule_due(session, theirs) == T0 + timedelta(minutes=10)
    assert await next_schedule_due(session, Shards.of(COUNT)) == T0 + timedelta(minutes=10)


async def test_a_restarted_process_resumes_only_its_guilds_rounds(session: AsyncSession) -> None:
    """After a restart a process rebuilds the running rounds of its shards' guilds, not another process's."""
    a_round = await start_round(session, guild_id=A_GUILD, channel_id=CHANNEL)
    b_round = await start_round(session, guild_id=B_GUILD, channel_id=CHANNEL + 1)
    mine = Shards.of(COUNT, [shard_of(A_GUILD, COUNT)])
    theirs = Shards.of(COUNT, [shard_of(B_GUILD, COUNT)])
    assert [r.id for r in await unfinished_rounds(session, shards=mine)] == [a_round.id]
    assert [r.id for r in await unfinished_rounds(session, shards=theirs)] == [b_round.id]
    assert [r.id for r in await unfinished_rounds(session)] == [a_round.id, b_round.id]
