"""Group commit for answers: every click waits for a commit, but clicks that arrive together share one.

The first answer of a batch waits ``window`` seconds for company, and while one batch commits the
next one gathers; so under a burst each transaction carries many answers, for a few milliseconds
of latency. A caller is only told its answer is stored after the transaction holding it has
committed. The transactions run on a ``WriteRunner`` (on SQLite, one hand-off to a thread per batch).
"""

from __future__ import annotations

import asyncio
import logging

from bot.db import repos
from bot.db.batches import Write, WriteRunner

log = logging.getLogger(__name__)

Pending = tuple[repos.NewAnswer, str | None, asyncio.Future[None]]


class AnswerWriter:
    """Stores answers in shared transactions; ``await write(...)`` returns once its answer is committed."""

    def __init__(self, runner: WriteRunner, *, window: float = 0.0) -> None:
        # Core statements, not an ORM session: the click path needs no identity map or unit of work.
        self._runner = runner
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
        try:
            await self._runner.run(self._writes(batch))
        except Exception as error:
            if len(batch) == 1:
                await self._commit_alone(batch[0], error)
                return
            # One bad row must not cost the others their answers: each is tried again in its own transaction.
            log.warning("Storing %d answers together failed (%s); storing them one by one", len(batch), error)
            for pending in batch:
                await self._commit_one(pending)
            return
        self._stored(batch)

    async def _commit_one(self, pending: Pending) -> None:
        try:
            await self._runner.run(self._writes([pending]))
        except Exception as error:
            await self._commit_alone(pending, error)
        else:
            self._stored([pending])

    async def _commit_alone(self, pending: Pending, error: Exception) -> None:
        """A single answer failed: without its new name, if it had one; else its caller is told."""
        answer, name, done = pending
        if name is not None:
            try:
                await self._runner.run(self._writes([(answer, None, done)]))
            except Exception as again:
                error = again
            else:
                log.warning("Stored the answer of user %s without their new name: %s", answer.user_id, error)
                self._stored([pending])
                return
        log.error("Storing the answer of user %s failed", answer.user_id, exc_info=error)
        if not done.done():
            done.set_exception(error)

    def _stored(self, batch: list[Pending]) -> None:
        self.batches += 1
        self.written += len(batch)
        for _, _, done in batch:
            if not done.done():
                done.set_result(None)

    def _writes(self, batch: list[Pending]) -> list[Write]:
        """The batch's statements: players' new names first, then the answers."""
        dialect = self._runner.dialect
        names: dict[int, dict[int, str]] = {}
        for answer, name, _ in batch:
            if name is not None:
                names.setdefault(answer.guild_id, {})[answer.user_id] = name
        writes = [repos.names_write(dialect, guild_id, guild_names) for guild_id, guild_names in names.items()]
        writes.append(repos.answers_write(dialect, [answer for answer, _, _ in batch]))
        return writes

    async def aclose(self) -> None:
        """Let the batch in flight commit, then release the runner."""
        if self._flushing is not None:
            await asyncio.shield(self._flushing)
        await self._runner.aclose()
