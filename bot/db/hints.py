"""Hints between bot processes on one PostgreSQL database: NOTIFY after a change, LISTEN in every process.

A hint only says "this changed, look again"; the database stays the truth, so a hint that never
arrives costs a reload, never a wrong answer. PostgreSQL delivers a notification to every connected
listener once its transaction commits; one can only be missed while the listening connection is down,
so after every reconnect each subscriber is told to reload everything (its argument is None).
On SQLite (one process) hints are off: ``publish`` does nothing and nothing is ever heard.

Topics: ``schedules`` (the dispatcher re-reads its next due time), ``banks`` (``guild:bank`` to re-read
one guild bank, ``shipped`` to re-read the banks folder), ``scores`` (``guild:version``: the rank index
applies that close's score moves).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.repos._sql import dialect_name

log = logging.getLogger(__name__)

CHANNEL = "quizbot_hints"
# How often the listening connection is checked (a silently dead connection raises no event).
KEEPALIVE_SECONDS = 30.0
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

Callback = Callable[[str | None], Awaitable[None] | None]


def _payload(origin: str, topic: str, argument: str) -> str:
    return f"{origin}:{topic}:{argument}"


async def notify_in(session: AsyncSession, topic: str, argument: str, *, origin: str = "-") -> None:
    """Send a hint that is delivered only if (and when) the session's transaction commits; nothing on SQLite."""
    if dialect_name(session) == "postgresql":
        await session.execute(select(func.pg_notify(CHANNEL, _payload(origin, topic, argument))))


async def publish_to(engine: AsyncEngine, topic: str, argument: str = "", *, origin: str = "-") -> None:
    """Send a hint on the engine's database in a transaction of its own (PostgreSQL only)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as connection:
        await connection.execute(select(func.pg_notify(CHANNEL, _payload(origin, topic, argument))))


class Hints:
    """This process's end of the hints: publish after a change, and call subscribers when another process changed."""

    def __init__(self) -> None:
        self._engine: AsyncEngine | None = None
        self.origin = secrets.token_hex(4)
        self._subscribers: dict[str, list[Callback]] = {}
        self._task: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[Any]] = set()
        self.connected = asyncio.Event()
        self.heard = 0
        self.reconnects = 0

    @property
    def active(self) -> bool:
        """True on PostgreSQL, where several processes may share the database."""
        return self._engine is not None

    def subscribe(self, topic: str, callback: Callback) -> Callable[[], None]:
        """Call ``callback(argument)`` on each hint on ``topic`` from another process; ``None`` after a reconnect.

        Returns the function that ends the subscription (a feature that unloads calls it).
        """
        callbacks = self._subscribers.setdefault(topic, [])
        callbacks.append(callback)
        return lambda: callbacks.remove(callback) if callback in callbacks else None

    async def publish(self, topic: str, argument: str = "") -> None:
        """Tell the other processes that something on ``topic`` changed (after the change committed)."""
        if self._engine is None:
            return
        try:
            await publish_to(self._engine, topic, argument, origin=self.origin)
        except Exception:
            # A lost hint only delays the others until their next check or reconnect.
            log.warning("Could not publish the %s hint", topic, exc_info=True)

    def start(self, engine: AsyncEngine) -> None:
        """Start listening on the engine's database (PostgreSQL only), reconnecting whenever the connection drops."""
        if engine.dialect.name != "postgresql":
            return
        self._engine = engine
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen_forever(), name="quiz-hints")

    async def stop(self) -> None:
        """Stop listening."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _listen_forever(self) -> None:
        import asyncpg  # type: ignore[import-untyped]  # only on PostgreSQL, where it is installed

        assert self._engine is not None
        dsn = make_url(self._engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
        failures = 0
        first = True
        while True:
            connection: Any = None
            try:
                connection = await asyncpg.connect(dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _connection, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._heard)
                failures = 0
                self.connected.set()
                if not first:
                    self.reconnects += 1
                    log.info("Hints: listening again; reloading what may have changed meanwhile")
                    self.resync()
                first = False
                while not lost.is_set():
                    try:
                        await asyncio.wait_for(lost.wait(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        await connection.fetchval("SELECT 1", timeout=10)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("Hints: the listening connection failed; reconnecting", exc_info=True)
            finally:
                self.connected.clear()
                if connection is not None and not connection.is_closed():
                    await connection.close()
            await asyncio.sleep(RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)])
            failures += 1

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        origin, _, rest = payload.partition(":")
        topic, _, argument = rest.partition(":")
        if origin == self.origin:
            return  # this process made the change and already applied it
        self.heard += 1
        self._deliver(topic, argument)

    def resync(self) -> None:
        """Tell every subscriber to reload whatever it follows (argument None): hints may have been missed."""
        for topic in list(self._subscribers):
            self._deliver(topic, None)

    def _deliver(self, topic: str, argument: str | None) -> None:
        for callback in self._subscribers.get(topic, []):
            try:
                result = callback(argument)
            except Exception:
                log.exception("Hints: the %s subscriber failed", topic)
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._pending.add(task)
                task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._pending.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("Hints: a subscriber failed", exc_info=error)
