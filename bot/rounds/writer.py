"""Group commit for answers: every click waits for a commit, but clicks that arrive together share one.

The first answer of a batch waits ``window`` seconds for company, and while one batch commits the
next one gathers; so under a burst each transaction carries many answers, for a few milliseconds
of latency. A caller is only told its answer
is stored after the transaction holding it has committed.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import repos

log = logging.getLogger(__name__)

Pending = tuple[repos.NewAnswer, str | None, asyncio.Future[None]]


class AnswerWriter:
    """Stores answers in shared transactions; ``await write(...)`` returns once its answer is committed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, window: float = 0.0) -> None:
        # A Core connection, not an ORM session: the click path needs no identity map or unit of work.
        self._engine: AsyncEngine = sessions.kw["bind"]
        self._window = window
        self._pending: list[Pending] = []
        self._flushing: asyncio.Task[None] | None = None
        self.batches = 0
        self.written = 0

    async def write(self, answer: repos.NewAnswer, name: str | None) -> None:
        """Queue an answer (and the player's display name, if it changed) and wait until it is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((answer, name, done))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush(), name="answer-writer")
        await done

    async def _flush(self) -> None:
        try:
            while self._pending:
                if self._window:
                    await asyncio.sleep(self._window)
                batch, self._pending = self._pending, []
                await self._commit(batch)
        finally:
            self._flushing = None

    async def _commit(self, batch: list[Pending]) -> None:
        names = {(a.guild_id, a.user_id): name for a, name, _ in batch if name is not None}
        try:
            async with self._engine.begin() as session:
                for guild_id in {guild for guild, _ in names}:
                    await repos.upsert_players(
                        session, guild_id, {user: name for (guild, user), name in names.items() if guild == guild_id}
                    )
                await repos.record_answers(session, [answer for answer, _, _ in batch])
        except Exception as error:
            log.exception("Storing %d answer(s) failed", len(batch))
            for _, _, done in batch:
                if not done.done():
                    done.set_exception(error)
            return
        self.batches += 1
        self.written += len(batch)
        for _, _, done in batch:
            if not done.done():
                done.set_result(None)
