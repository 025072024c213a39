"""The outbox: messages owed to a channel, recorded in the same transaction as the change that owes them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxRow, RoundQuestionRow, RoundRow, RoundStatus
from bot.db.repos._sql import on_shards, rowcount, table
from bot.db.repos.rounds import StoredRound, _round, _rounds_query
from bot.shards import EVERY_SHARD, Shards

REVEAL = "reveal"
#: A finished round's final standings; kept on the round's last question (the table has no round column).
STANDINGS = "standings"


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


async def owe_standings(session: AsyncSession, last_question_id: int) -> int:
    """Record that a finished round's standings are still to be posted (on its last question); the entry's id."""
    outbox = table(OutboxRow)
    result = await session.execute(
        insert(outbox).values(round_question_id=last_question_id, kind=STANDINGS).returning(outbox.c.id)
    )
    return int(result.scalar_one())


async def forget_round(session: AsyncSession, round_id: int) -> int:
    """Drop everything a round still owed (it ended, or was abandoned); how many entries went."""
    outbox, questions = table(OutboxRow), table(RoundQuestionRow)
    of_round = select(questions.c.id).where(questions.c.round_id == round_id).scalar_subquery()
    return await rowcount(session, delete(outbox).where(outbox.c.round_question_id.in_(of_round)))


async def owed_standings(session: AsyncSession, *, shards: Shards = EVERY_SHARD) -> list[tuple[int, StoredRound]]:
    """Ended rounds (of guilds on ``shards``) whose standings are still owed: (entry id, round), oldest first."""
    outbox, questions, rounds = table(OutboxRow), table(RoundQuestionRow), table(RoundRow)
    owed = (
        select(outbox.c.id, questions.c.round_id)
        .join(questions, questions.c.id == outbox.c.round_question_id)
        .join(rounds, rounds.c.id == questions.c.round_id)
        .where(
            outbox.c.kind == STANDINGS,
            rounds.c.status != RoundStatus.RUNNING.value,
            on_shards(rounds.c.guild_id, shards),
        )
    )
    entries = {int(row.round_id): int(row.id) for row in await session.execute(owed)}
    if not entries:
        return []
    rows = (await session.execute(_rounds_query().where(RoundRow.id.in_(list(entries))))).scalars().all()
    return [(entries[row.id], _round(row)) for row in rows]
