"""Scheduled runs as occurrences: recorded once, claimed with a lease and a fencing token, recorded as started once.

The dispatcher records an occurrence in the transaction that moves its schedule on (unique per
schedule and due time), holding a lease that ends ``lease`` after the database's clock says now.
Whoever holds the current fencing token posts the announcement (with a nonce derived from the
occurrence) and records the round and its message, but only while its token is still the current
one: a process whose lease ran out and was taken over changes nothing. A lease that runs out while
the occurrence is still ``claimed`` (its process died) is taken over by bumping the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ScheduleOccurrenceRow
from bot.db.repos._sql import dialect_name, rowcount, table
from bot.db.types import utcnow

CLAIMED = "claimed"
STARTED = "started"
DONE = "done"


class FenceLost(Exception):
    """The occurrence was taken over (its lease ran out): this process's token no longer holds."""


@dataclass(frozen=True, slots=True)
class OccurrenceClaim:
    """The right to start one due run, for as long as ``fence`` is the occurrence's current token."""

    id: int
    schedule_id: int
    guild_id: int
    due_at: datetime
    fence: int


async def database_now(session: AsyncSession) -> datetime:
    """The database's clock (PostgreSQL's ``now()``); SQLite has one process, so its clock is this one."""
    if dialect_name(session) == "postgresql":
        value: datetime = (await session.execute(select(func.now()))).scalar_one()
        return value
    return utcnow()


async def record_occurrence(
    session: AsyncSession, *, schedule_id: int, guild_id: int, due_at: datetime, owner: str, lease: timedelta
) -> OccurrenceClaim:
    """Record a due run as claimed by ``owner`` with token 1; the unique key refuses a second record."""
    occurrences = table(ScheduleOccurrenceRow)
    now = await database_now(session)
    statement = (
        occurrences.insert()
        .values(
            schedule_id=schedule_id,
            guild_id=guild_id,
            due_at=due_at,
            status=CLAIMED,
            fence=1,
            lease_until=now + lease,
            owner=owner,
            created_at=now,
        )
        .returning(occurrences.c.id)
    )
    occurrence_id = int((await session.execute(statement)).scalar_one())
    return OccurrenceClaim(occurrence_id, schedule_id, guild_id, due_at, 1)


async def expired_occurrences(session: AsyncSession, *, limit: int = 100) -> list[tuple[int, int]]:
    """``(id, guild_id)`` of claimed occurrences whose lease ran out by the database's clock.

    On PostgreSQL the rows are locked and rows another process is taking over are skipped
    (``FOR UPDATE SKIP LOCKED``), so several processes recovering at once split the work.
    """
    occurrences = table(ScheduleOccurrenceRow)
    now = await database_now(session)
    query = (
        select(occurrences.c.id, occurrences.c.guild_id)
        .where(occurrences.c.status == CLAIMED, occurrences.c.lease_until < now)
        .order_by(occurrences.c.lease_until)
        .limit(limit)
    )
    if dialect_name(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [(int(row.id), int(row.guild_id)) for row in (await session.execute(query)).all()]


async def take_over(
    session: AsyncSession, occurrence_id: int, *, owner: str, lease: timedelta
) -> OccurrenceClaim | None:
    """Take over a claimed occurrence whose lease ran out, with the next token; None if it is not (any more)."""
    occurrences = table(ScheduleOccurrenceRow)
    now = await database_now(session)
    statement = (
        update(occurrences)
        .where(occurrences.c.id == occurrence_id, occurrences.c.status == CLAIMED, occurrences.c.lease_until < now)
        .values(fence=occurrences.c.fence + 1, lease_until=now + lease, owner=owner)
        .returning(occurrences.c.schedule_id, occurrences.c.guild_id, occurrences.c.due_at, occurrences.c.fence)
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None
    return OccurrenceClaim(occurrence_id, int(row.schedule_id), int(row.guild_id), row.due_at, int(row.fence))


async def record_started(session: AsyncSession, claim: OccurrenceClaim, *, round_id: int, message_id: int) -> None:
    """Record the round and its announcement while the claim's token holds; raises `FenceLost` otherwise."""
    occurrences = table(ScheduleOccurrenceRow)
    statement = (
        update(occurrences)
        .where(occurrences.c.id == claim.id, occurrences.c.fence == claim.fence, occurrences.c.status == CLAIMED)
        .values(status=STARTED, round_id=round_id, message_id=message_id)
    )
    if await rowcount(session, statement) != 1:
        raise FenceLost(f"occurrence {claim.id} was taken over")


async def finish_occurrence(session: AsyncSession, claim: OccurrenceClaim, outcome: str) -> bool:
    """Close an occurrence that did not start a round (skipped, paused, missed); False if the token is stale."""
    occurrences = table(ScheduleOccurrenceRow)
    statement = (
        update(occurrences)
        .where(occurrences.c.id == claim.id, occurrences.c.fence == claim.fence, occurrences.c.status == CLAIMED)
        .values(status=DONE, outcome=outcome)
    )
    return await rowcount(session, statement) == 1


async def next_lease_expiry(session: AsyncSession, *, other_than: str) -> datetime | None:
    """When the earliest lease of a claimed occurrence not held by ``other_than`` runs out (database clock).

    A process leaves out its own claims: those it is still starting, or will finish as refused.
    """
    occurrences = table(ScheduleOccurrenceRow)
    query = select(func.min(occurrences.c.lease_until)).where(
        occurrences.c.status == CLAIMED, occurrences.c.owner != other_than
    )
    value: datetime | None = (await session.execute(query)).scalar_one()
    return value
