"""The outbox: messages owed to a channel, recorded in the same transaction as the change that owes them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxRow
from bot.db.repos._sql import table

REVEAL = "reveal"


async def owe_reveal(session: AsyncSession, round_question_id: int) -> int:
    """Record that the question's reveal is still to be posted; the outbox entry's id."""
    outbox = table(OutboxRow)
    result = await session.execute(
        insert(outbox).values(round_question_id=round_question_id, kind=REVEAL).returning(outbox.c.id)
    )
    return int(result.scalar_one())


async def owed_reveals(session: AsyncSession, round_question_ids: Collection[int]) -> dict[int, int]:
    """The questions among these whose reveal is still owed: question id -> outbox entry id."""
    if not round_question_ids:
        return {}
    outbox = table(OutboxRow)
    query = select(outbox.c.round_question_id, outbox.c.id).where(
        outbox.c.kind == REVEAL, outbox.c.round_question_id.in_(list(round_question_ids))
    )
    return {int(row.round_question_id): int(row.id) for row in await session.execute(query)}


async def delivered(session: AsyncSession, entry_id: int) -> None:
    """Forget an outbox entry once its message is posted."""
    outbox = table(OutboxRow)
    await session.execute(delete(outbox).where(outbox.c.id == entry_id))
