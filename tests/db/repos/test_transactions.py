"""Repositories never commit: the caller's rollback undoes everything they wrote."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AnswerRow, Base, DeckRow, GuildRow, PlayerRow, RoundRow, ScoreRow
from bot.db.repos import (
    AnswerResult,
    close_question,
    finish_round,
    get_guild_settings,
    mark_question_opened,
    save_decks,
)
from bot.quiz import Deck

from ..helpers import GUILD, T0, answer, start_round, store_names

Write = Callable[[AsyncSession], Awaitable[object]]


async def _scored_round(session: AsyncSession) -> None:
    rnd = await start_round(session)
    await answer(session, rnd, 0, 1, 0)
    await close_question(session, rnd.questions[0].id, T0, [AnswerResult(1, True, 500, 1)])
    await finish_round(session, rnd.id, ended_at=T0)


async def _opened(session: AsyncSession) -> None:
    rnd = await start_round(session)
    await mark_question_opened(session, rnd.questions[0].id, opened_at=T0, deadline=T0)


@pytest.mark.parametrize(
    ("write", "model"),
    [
        (lambda s: get_guild_settings(s, GUILD), GuildRow),
        (lambda s: store_names(s, GUILD, {1: "Name"}), PlayerRow),
        (lambda s: save_decks(s, GUILD, {"bank": Deck(("q1",), 0)}), DeckRow),
        (start_round, RoundRow),
        (_opened, RoundRow),
        (_scored_round, AnswerRow),
        (_scored_round, ScoreRow),
    ],
)
async def test_rollback_discards_repository_writes(
    maker: async_sessionmaker[AsyncSession], write: Write, model: type[Base]
) -> None:
    """Whatever a repository function writes disappears when the caller rolls back."""
    async with maker() as session:
        await write(session)
        assert (await session.execute(select(func.count()).select_from(model))).scalar_one() > 0
        await session.rollback()
    async with maker() as session:
        assert (await session.execute(select(func.count()).select_from(model))).scalar_one() == 0
