"""Scheduled rounds: create, list, change, and claim due runs and reminders exactly once.

A claim is a conditional UPDATE: it moves a schedule on only if the schedule still shows the
run (or reminder) the caller saw, and the caller acts only if the UPDATE changed a row. On
PostgreSQL the second of two concurrent claims waits on the row lock, then re-checks its
WHERE clause against the committed row and changes nothing; on SQLite writers take turns.
Either way one claim wins. A claimed run the process dies before starting is lost (at most
once): running it twice would be worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ScheduleNumberRow, ScheduleRow
from bot.db.repos._sql import on_shards, rowcount, table, upsert
from bot.db.repos.guilds import ensure_guild
from bot.db.types import utcnow
from bot.schedules import Repeat, RepeatKind, format_wall, parse_wall
from bot.shards import EVERY_SHARD, Shards


class Outcome:
    """What became of a schedule's last run, as stored in ``last_outcome``."""

    STARTED = "started"
    MISSED = "missed"
    SKIPPED = "skipped"
    PAUSED = "paused"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    """A schedule as stored; ``starts_local`` is a naive wall time in ``timezone``."""

    id: int
    guild_id: int
    #: What moderators call it (``#3``): counted per guild, never reused.
    number: int
    channel_id: int
    created_by: int
    timezone: str
    starts_local: datetime
    repeat: Repeat
    bank_id: str | None
    questions: int | None
    seconds: int | None
    ping_role_id: int | None
    next_run_at: datetime | None
    remind_at: datetime | None
    reminded_for: datetime | None
    paused: bool
    pause_reason: str | None
    last_run_at: datetime | None
    last_outcome: str | None
    created_at: datetime

    @property
    def reminder_pending(self) -> bool:
        """True if the next run has a reminder that has not gone out yet."""
        return (
            self.remind_at is not None
            and self.next_run_at is not None
            and (self.reminded_for is None or self.reminded_for != self.next_run_at)
        )


def reminder_time(next_run_at: datetime | None, minutes: int) -> datetime | None:
    """When the reminder for a run is due: ``minutes`` before it, or None without reminders."""
    if next_run_at is None or minutes <= 0:
        return None
    return next_run_at - timedelta(minutes=minutes)


def _schedule(row: Row[tuple[object, ...]] | ScheduleRow) -> StoredSchedule:
    return StoredSchedule(
        id=row.id,
        guild_id=row.guild_id,
        number=row.number,
        channel_id=row.channel_id,
        created_by=row.created_by,
        timezone=row.timezone,
        starts_local=parse_wall(row.starts_local),
        repeat=Repeat(RepeatKind(row.repeat_kind), row.repeat_rule),
        bank_id=row.bank_id,
        questions=row.questions,
        seconds=row.seconds,
        ping_role_id=row.ping_role_id,
        next_run_at=row.next_run_at,
        remind_at=row.remind_at,
        reminded_for=row.reminded_for,
        paused=row.paused,
        pause_reason=row.pause_reason,
        last_run_at=row.last_run_at,
        last_outcome=row.last_outcome,
        created_at=row.created_at,
    )


def _pending_reminder() -> ColumnElement[bool]:
    schedules = table(ScheduleRow)
    return schedules.c.remind_at.is_not(None) & or_(
        schedules.c.reminded_for.is_(None), schedules.c.reminded_for != schedules.c.next_run_at
    )


async def create_schedule(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    created_by: int,
    timezone: str,
    starts_local: datetime,
    repeat: Repeat,
    next_run_at: datetime,
    remind_at: datetime | None,
    bank_id: str | None = None,
    questions: int | None = None,
    seconds: int | None = None,
    ping_role_id: int | None = None,
    created_at: datetime | None = None,
) -> StoredSchedule:
    """Store a new, active schedule with the guild's next schedule number, and return it."""
    await ensure_guild(session, guild_id)
    row = ScheduleRow(
        guild_id=guild_id,
        number=await _next_number(session, guild_id),
        channel_id=channel_id,
        created_by=created_by,
        timezone=timezone,
        starts_local=format_wall(starts_local),
        repeat_kind=repeat.kind.value,
        repeat_rule=repeat.rule,
        bank_id=bank_id,
        questions=questions,
        seconds=seconds,
        ping_role_id=ping_role_id,
        next_run_at=next_run_at,
        remind_at=remind_at,
        paused=False,
        created_at=created_at or utcnow(),
    )
    session.add(row)
    await session.flush()
    return _schedule(row)


async def _next_number(session: AsyncSession, guild_id: int) -> int:
    """Hand out the guild's next schedule number (1, 2, ...); the counter outlives deleted schedules."""
    counters = table(ScheduleNumberRow)
    insert = upsert(session, counters).values(guild_id=guild_id, last_number=1)
    statement = insert.on_conflict_do_update(
        index_elements=["guild_id"], set_={"last_number": counters.c.last_number + 1}
    ).returning(counters.c.last_number)
    return int((await session.execute(statement)).scalar_one())


async def schedules_made(session: AsyncSession, guild_id: int) -> int:
    """How many schedules the guild ever made (its last schedule number), deleted ones included."""
    counters = table(ScheduleNumberRow)
    query = select(counters.c.last_number).where(counters.c.guild_id == guild_id)
    return int((await session.execute(query)).scalar_one_or_none() or 0)


async def schedule_by_number(session: AsyncSession, guild_id: int, number: int) -> StoredSchedule | None:
    """The guild's schedule with this number, or None."""
    schedules = table(ScheduleRow)
    query = select(schedules).where(schedules.c.guild_id == guild_id, schedules.c.number == number)
    row = (await session.execute(query)).one_or_none()
    return None if row is None else _schedule(row)


async def get_schedule(
    session: AsyncSession, schedule_id: int, *, guild_id: int | None = None
) -> StoredSchedule | None:
    """A schedule by id (only if it belongs to ``guild_id``, when given), or None."""
    schedules = table(ScheduleRow)
    query = select(schedules).where(schedules.c.id == schedule_id)
    if guild_id is not None:
        query = query.where(schedules.c.guild_id == guild_id)
    row = (await session.execute(query)).one_or_none()
    return None if row is None else _schedule(row)


async def guild_schedules(session: AsyncSession, guild_id: int) -> list[StoredSchedule]:
    """The guild's schedules that still have a run ahead or are paused, oldest first."""
    schedules = table(ScheduleRow)
    query = (
        select(schedules)
        .where(
            schedules.c.guild_id == guild_id,
            or_(schedules.c.next_run_at.is_not(None), schedules.c.paused.is_(True)),
        )
        .order_by(schedules.c.id)
    )
    return [_schedule(row) for row in (await session.execute(query)).all()]


async def delete_schedule(session: AsyncSession, schedule_id: int, *, guild_id: int | None = None) -> bool:
    """Delete a schedule; False if there was none (in ``guild_id``, when given)."""
    schedules = table(ScheduleRow)
    statement = delete(schedules).where(schedules.c.id == schedule_id)
    if guild_id is not None:
        statement = statement.where(schedules.c.guild_id == guild_id)
    return await rowcount(session, statement) == 1


async def pause_schedule(
    session: AsyncSession, schedule_id: int, *, reason: str | None = None, guild_id: int | None = None
) -> bool:
    """Pause a schedule, with the reason to show moderators (None: a moderator paused it); False if none."""
    schedules = table(ScheduleRow)
    statement = update(schedules).where(schedules.c.id == schedule_id).values(paused=True, pause_reason=reason)
    if guild_id is not None:
        statement = statement.where(schedules.c.guild_id == guild_id)
    return await rowcount(session, statement) == 1


async def resume_schedule(
    session: AsyncSession, schedule_id: int, *, guild_id: int, next_run_at: datetime, remind_at: datetime | None
) -> bool:
    """Unpause a paused schedule with its next run from now on; False if it was not paused."""
    schedules = table(ScheduleRow)
    statement = (
        update(schedules)
        .where(schedules.c.id == schedule_id, schedules.c.guild_id == guild_id, schedules.c.paused.is_(True))
        .values(paused=False, pause_reason=None, next_run_at=next_run_at, remind_at=remind_at)
    )
    return await rowcount(session, statement) == 1


async def move_next_run(
    session: AsyncSession,
    schedule_id: int,
    *,
    expected: datetime,
    next_run_at: datetime | None,
    remind_at: datetime | None,
) -> bool:
    """Move a schedule's next run on from ``expected`` (skip-next); False if it no longer shows ``expected``."""
    schedules = table(ScheduleRow)
    statement = (
        update(schedules)
        .where(schedules.c.id == schedule_id, schedules.c.next_run_at == expected)
        .values(next_run_at=next_run_at, remind_at=remind_at)
    )
    return await rowcount(session, statement) == 1


async def next_schedule_due(session: AsyncSession, shards: Shards = EVERY_SHARD) -> datetime | None:
    """The earliest time an active schedule (of a guild on ``shards``) needs attention: a run or a pending reminder."""
    schedules = table(ScheduleRow)
    active = schedules.c.paused.is_(False) & on_shards(schedules.c.guild_id, shards)
    run = (
        await session.execute(
            select(func.min(schedules.c.next_run_at)).where(active, schedules.c.next_run_at.is_not(None))
        )
    ).scalar_one()
    reminder = (
        await session.execute(select(func.min(schedules.c.remind_at)).where(active, _pending_reminder()))
    ).scalar_one()
    times: list[datetime] = [t for t in (run, reminder) if t is not None]
    return min(times, default=None)


async def due_schedules(session: AsyncSession, now: datetime, shards: Shards = EVERY_SHARD) -> list[StoredSchedule]:
    """Active schedules (of guilds on ``shards``) whose run or pending reminder is due at ``now``, earliest first."""
    schedules = table(ScheduleRow)
    query = (
        select(schedules)
        .where(
            schedules.c.paused.is_(False),
            on_shards(schedules.c.guild_id, shards),
            schedules.c.next_run_at.is_not(None),
            or_(schedules.c.next_run_at <= now, _pending_reminder() & (schedules.c.remind_at <= now)),
        )
        .order_by(schedules.c.next_run_at, schedules.c.id)
    )
    return [_schedule(row) for row in (await session.execute(query)).all()]


async def claim_run(
    session: AsyncSession,
    schedule_id: int,
    *,
    due: datetime,
    next_run_at: datetime | None,
    remind_at: datetime | None,
    outcome: str,
) -> bool:
    """Claim the run due at ``due`` and move the schedule on; True for exactly one claimer.

    The UPDATE only matches while the schedule is active and still due at ``due``, so a
    second process (or a moderator's skip, pause or removal in between) makes it match nothing.
    """
    schedules = table(ScheduleRow)
    statement = (
        update(schedules)
        .where(schedules.c.id == schedule_id, schedules.c.next_run_at == due, schedules.c.paused.is_(False))
        .values(next_run_at=next_run_at, remind_at=remind_at, last_run_at=due, last_outcome=outcome)
    )
    return await rowcount(session, statement) == 1


async def record_schedule_outcome(session: AsyncSession, schedule_id: int, outcome: str) -> None:
    """Record what became of the last run, once it is known (skipped, paused, failed)."""
    schedules = table(ScheduleRow)
    await session.execute(update(schedules).where(schedules.c.id == schedule_id).values(last_outcome=outcome))


async def claim_reminder(session: AsyncSession, schedule_id: int, *, run_at: datetime) -> bool:
    """Claim the reminder for the run at ``run_at``; True for exactly one claimer, once per run."""
    schedules = table(ScheduleRow)
    statement = (
        update(schedules)
        .where(
            schedules.c.id == schedule_id,
            schedules.c.next_run_at == run_at,
            schedules.c.paused.is_(False),
            or_(schedules.c.reminded_for.is_(None), schedules.c.reminded_for != run_at),
        )
        .values(reminded_for=run_at)
    )
    return await rowcount(session, statement) == 1


async def set_guild_reminders(session: AsyncSession, guild_id: int, minutes: int) -> int:
    """Recompute every guild schedule's reminder time for a new lead time; returns how many changed.

    Reminders already sent for the coming run (``reminded_for``) are not sent again.
    """
    schedules = table(ScheduleRow)
    rows = (
        await session.execute(
            select(schedules.c.id, schedules.c.next_run_at).where(
                schedules.c.guild_id == guild_id, schedules.c.next_run_at.is_not(None)
            )
        )
    ).all()
    for row in rows:
        await session.execute(
            update(schedules).where(schedules.c.id == row.id).values(remind_at=reminder_time(row.next_run_at, minutes))
        )
    return len(rows)
