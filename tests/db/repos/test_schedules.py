"""Schedules in the store: listing, pausing, due times, and claims that exactly one caller wins."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repos import (
    StoredSchedule,
    claim_reminder,
    claim_run,
    create_schedule,
    delete_schedule,
    due_schedules,
    get_guild_settings,
    get_schedule,
    guild_schedules,
    move_next_run,
    next_schedule_due,
    pause_schedule,
    reminder_time,
    resume_schedule,
    set_guild_reminders,
)
from bot.schedules import ONCE, Repeat, RepeatKind

from ..helpers import CHANNEL, GUILD, OTHER_GUILD, STARTER, T0

DAILY = Repeat(RepeatKind.RRULE, "FREQ=DAILY")
RUN = T0 + timedelta(hours=1)
REMIND = RUN - timedelta(minutes=10)


async def _add(
    session: AsyncSession, *, guild_id: int = GUILD, run: datetime = RUN, repeat: Repeat = DAILY
) -> StoredSchedule:
    """A daily schedule (by default) whose next run is ``run``, reminding 10 minutes before."""
    return await create_schedule(
        session,
        guild_id=guild_id,
        channel_id=CHANNEL,
        created_by=STARTER,
        timezone="Europe/Berlin",
        starts_local=run.replace(tzinfo=None) + timedelta(hours=1),
        repeat=repeat,
        next_run_at=run,
        remind_at=reminder_time(run, 10),
        bank_id="bank",
        questions=3,
        seconds=20,
        ping_role_id=2**62,
        created_at=T0,
    )


async def test_create_and_read_back(session: AsyncSession) -> None:
    """A stored schedule reads back whole, and only in its own guild."""
    made = await _add(session)
    assert made.repeat == DAILY and made.starts_local.hour == 14
    assert (made.next_run_at, made.remind_at, made.paused, made.ping_role_id) == (RUN, REMIND, False, 2**62)
    assert made.reminder_pending
    assert await get_schedule(session, made.id) == made
    assert await get_schedule(session, made.id, guild_id=OTHER_GUILD) is None
    assert await guild_schedules(session, GUILD) == [made]
    assert await guild_schedules(session, OTHER_GUILD) == []


async def test_guild_settings_carry_the_schedule_defaults(session: AsyncSession) -> None:
    """Guilds start with a 10-minute reminder and a 15-minute grace window."""
    settings = await get_guild_settings(session, GUILD)
    assert (settings.reminder_minutes, settings.grace_minutes) == (10, 15)


async def test_next_due_is_the_earliest_pending_reminder_or_run(session: AsyncSession) -> None:
    """The dispatcher wakes for the earliest pending reminder or run of an active schedule."""
    assert await next_schedule_due(session) is None
    first = await _add(session)
    later = await _add(session, run=RUN + timedelta(hours=5))
    assert await next_schedule_due(session) == REMIND
    assert await claim_reminder(session, first.id, run_at=RUN)
    assert await next_schedule_due(session) == RUN
    assert await pause_schedule(session, first.id)
    assert await next_schedule_due(session) == later.remind_at


async def test_due_schedules(session: AsyncSession) -> None:
    """Due means a run or a pending reminder at or before now, on an active schedule."""
    made = await _add(session)
    assert await due_schedules(session, REMIND - timedelta(seconds=1)) == []
    assert [s.id for s in await due_schedules(session, REMIND)] == [made.id]
    await claim_reminder(session, made.id, run_at=RUN)
    assert await due_schedules(session, REMIND) == []
    assert [s.id for s in await due_schedules(session, RUN)] == [made.id]
    await pause_schedule(session, made.id, reason="gone")
    assert await due_schedules(session, RUN) == []


async def test_claim_run_moves_the_schedule_on_once(session: AsyncSession) -> None:
    """A run is claimed once: a second claim of the same due time, or of a paused schedule, matches nothing."""
    made = await _add(session)
    following = RUN + timedelta(days=1)
    claim = {"due": RUN, "next_run_at": following, "remind_at": reminder_time(following, 10), "outcome": "started"}
    assert await claim_run(session, made.id, **claim)
    assert not await claim_run(session, made.id, **claim)
    stored = await get_schedule(session, made.id)
    assert stored is not None
    assert (stored.next_run_at, stored.last_run_at, stored.last_outcome) == (following, RUN, "started")
    assert stored.reminder_pending  # the next run gets its own reminder

    await pause_schedule(session, made.id)
    assert not await claim_run(session, made.id, **(claim | {"due": following}))


async def test_claim_reminder_once_per_run(session: AsyncSession) -> None:
    """A run's reminder is claimed once, never for a run the schedule no longer has."""
    made = await _add(session)
    assert not await claim_reminder(session, made.id, run_at=RUN + timedelta(days=1))
    assert await claim_reminder(session, made.id, run_at=RUN)
    assert not await claim_reminder(session, made.id, run_at=RUN)


async def test_two_processes_claim_a_due_run_once(maker: async_sessionmaker[AsyncSession]) -> None:
    """Two sessions that both read a due run and claim it at once: exactly one claim wins."""
    async with maker.begin() as session:
        made = await _add(session)
    seen = []
    for _ in range(2):
        async with maker.begin() as session:
            seen.append(await due_schedules(session, RUN))
    assert [[s.next_run_at for s in due] for due in seen] == [[RUN], [RUN]]

    async def claim() -> bool:
        async with maker.begin() as session:
            return await claim_run(
                session, made.id, due=RUN, next_run_at=RUN + timedelta(days=1), remind_at=None, outcome="started"
            )

    assert sorted(await asyncio.gather(claim(), claim())) == [False, True]
    async with maker.begin() as session:
        stored = await get_schedule(session, made.id)
    assert stored is not None and stored.next_run_at == RUN + timedelta(days=1)


async def test_two_processes_claim_a_reminder_once(maker: async_sessionmaker[AsyncSession]) -> None:
    """Concurrent reminder claims for one run: exactly one wins."""
    async with maker.begin() as session:
        made = await _add(session)

    async def claim() -> bool:
        async with maker.begin() as session:
            return await claim_reminder(session, made.id, run_at=RUN)

    assert sorted(await asyncio.gather(claim(), claim(), claim())) == [False, False, True]


async def test_pause_resume_move_and_delete(session: AsyncSession) -> None:
    """Pausing records a reason; resuming sets the next run; skip moves only from the expected run."""
    made = await _add(session)
    assert await pause_schedule(session, made.id, reason="its channel was deleted", guild_id=GUILD)
    paused = await get_schedule(session, made.id)
    assert paused is not None and paused.paused and paused.pause_reason == "its channel was deleted"
    assert not await resume_schedule(session, made.id, guild_id=OTHER_GUILD, next_run_at=RUN, remind_at=None)
    later = RUN + timedelta(days=2)
    assert await resume_schedule(session, made.id, guild_id=GUILD, next_run_at=later, remind_at=None)
    resumed = await get_schedule(session, made.id)
    assert resumed is not None and not resumed.paused and resumed.pause_reason is None
    assert resumed.next_run_at == later and not resumed.reminder_pending

    assert not await move_next_run(session, made.id, expected=RUN, next_run_at=RUN, remind_at=None)
    assert await move_next_run(session, made.id, expected=later, next_run_at=later + timedelta(days=1), remind_at=None)
    assert not await delete_schedule(session, made.id, guild_id=OTHER_GUILD)
    assert await delete_schedule(session, made.id, guild_id=GUILD)
    assert await get_schedule(session, made.id) is None


async def test_finished_one_offs_are_not_listed(session: AsyncSession) -> None:
    """A one-off whose run was claimed has no next run and leaves the list, unless it is paused."""
    made = await _add(session, repeat=ONCE)
    await claim_run(session, made.id, due=RUN, next_run_at=None, remind_at=None, outcome="started")
    assert await guild_schedules(session, GUILD) == []
    await pause_schedule(session, made.id, reason="the bank is gone")
    assert [s.id for s in await guild_schedules(session, GUILD)] == [made.id]


async def test_new_reminder_lead_time_keeps_sent_reminders_sent(session: AsyncSession) -> None:
    """Changing the lead time moves pending reminders; one already sent is not sent again; 0 clears them."""
    sent = await _add(session)
    await claim_reminder(session, sent.id, run_at=RUN)
    pending = await _add(session, run=RUN + timedelta(hours=3))
    assert await set_guild_reminders(session, GUILD, 30) == 2
    after_sent = await get_schedule(session, sent.id)
    after_pending = await get_schedule(session, pending.id)
    assert after_sent is not None and not after_sent.reminder_pending
    assert after_pending is not None and after_pending.remind_at == RUN + timedelta(hours=3, minutes=-30)
    await set_guild_reminders(session, GUILD, 0)
    cleared = await get_schedule(session, pending.id)
    assert cleared is not None and cleared.remind_at is None and not cleared.reminder_pending


def test_reminder_time() -> None:
    """A reminder is due minutes before its run; none without a run or with a zero lead time."""
    assert reminder_time(RUN, 10) == REMIND
    assert reminder_time(RUN, 0) is None
    assert reminder_time(None, 10) is None
