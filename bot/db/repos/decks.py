"""Decks: the persisted ``bot.quiz.Deck`` of each guild and bank."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DeckRow
from bot.db.repos._sql import table, upsert
from bot.quiz import Deck


async def load_decks(session: AsyncSession, guild_id: int, bank_ids: Iterable[str] | None = None) -> dict[str, Deck]:
    """The guild's stored decks by bank id (all of them, or those of ``bank_ids``); banks never played are absent."""
    decks = table(DeckRow)
    query = select(decks.c.bank_id, decks.c.question_order, decks.c.cursor).where(decks.c.guild_id == guild_id)
    if bank_ids is not None:
        query = query.where(decks.c.bank_id.in_(list(bank_ids)))
    rows = (await session.execute(query)).all()
    return {row.bank_id: Deck(tuple(row.question_order), row.cursor) for row in rows}


async def save_decks(session: AsyncSession, guild_id: int, decks: Mapping[str, Deck]) -> None:
    """Store the guild's decks, replacing what was stored for those banks."""
    if not decks:
        return
    target = table(DeckRow)
    statement = upsert(session, target)
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "bank_id"],
        set_={"question_order": statement.excluded.question_order, "cursor": statement.excluded.cursor},
    )
    params = [
        {"guild_id": guild_id, "bank_id": bank_id, "question_order": list(deck.order), "cursor": deck.cursor}
        for bank_id, deck in decks.items()
    ]
    await session.execute(statement, params)
