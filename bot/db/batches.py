"""Running a few prepared writes in one transaction, as cheaply as the database allows.

The answer writer commits a batch of clicks many times a second, so the cost of one transaction
matters. Through aiosqlite every statement, the BEGIN and the COMMIT is its own hand-off to the
driver's thread and back, plus SQLAlchemy's async bridge around each: about three times the CPU of
the work itself. For a SQLite file the batch is therefore handed to one thread of its own in a single
hop, where a synchronous engine (the stdlib ``sqlite3`` driver, the same pragmas) runs the whole
transaction. On PostgreSQL through asyncpg the same compiled statements run straight on one asyncpg
connection kept from the engine's pool (``DriverWriteRunner``): no SQLAlchemy execution layer, no
greenlet bridge and no pool checkout (with its pre-ping) per batch. Anything else uses the async engine.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import Executable

from bot.db.driver import KeptConnection, Plans
from bot.db.engine import create_sqlite_thread_engine

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Write:
    """One statement and the rows it is executed with (``executemany`` when there are several)."""

    statement: Executable
    rows: list[dict[str, Any]]


class WriteRunner(Protocol):
    """Runs writes in one transaction: all of them are committed, or none."""

    @property
    def dialect(self) -> str:
        """The SQL dialect the statements must be built for."""
        ...

    async def run(self, writes: Sequence[Write]) -> None:
        """Execute ``writes`` in order in one transaction and commit it."""
        ...

    async def aclose(self) -> None:
        """Release connections and threads."""
        ...


class AsyncWriteRunner:
    """Runs each transaction on the async engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Execute and commit on a pooled async connection."""
        async with self._engine.begin() as connection:
            for write in writes:
                await connection.execute(write.statement, write.rows)

    async def aclose(self) -> None:
        """Nothing of its own to release: the engine belongs to the caller."""


class DriverWriteRunner:
    """Runs each transaction on one asyncpg connection of the engine's pool, with statements compiled once.

    The connection is checked out at the first batch and kept until ``aclose`` (`KeptConnection`, which replaces
    it when in doubt); each batch is a ``BEGIN``, one pipelined ``executemany`` per write and a ``COMMIT`` (one
    write alone needs neither: ``executemany`` is atomic).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # asyncpg runs one operation at a time on a connection; the answer writer sends one batch at a time anyway.
        self._kept = KeptConnection(engine, purpose="answer writer's")
        self._plans = Plans(engine.dialect)

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Execute and commit the writes on the kept connection."""
        statements = _statements(self._plans, writes)
        async with self._kept.use() as driver:
            if len(statements) == 1:  # one executemany is atomic by itself: no BEGIN and COMMIT round trips
                await driver.executemany(*statements[0])
            else:
                async with driver.transaction():
                    for sql, parameters in statements:
                        await driver.executemany(sql, parameters)

    async def aclose(self) -> None:
        """Give the connection back to the pool (a second call does nothing)."""
        await self._kept.aclose()


class ThreadWriteRunner:
    """Runs each transaction on one dedicated thread, in one hand-off, straight on the driver's connection.

    The engine (stdlib ``sqlite3``, the bot's pragmas) opens the connection; each statement is compiled
    once into its SQL and a row-to-parameters plan that applies SQLAlchemy's own bind processors, so the
    thread only runs ``executemany`` between ``BEGIN IMMEDIATE`` and ``COMMIT``.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # One thread: SQLite takes one writer at a time anyway, and its connections stay on the thread that opened them.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizbot-writes")
        self._connection: PoolProxiedConnection | None = None
        self._plans = Plans(engine.dialect)
        self._closed = False

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Hand the transaction to the thread and wait for its commit."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._run, writes)

    def _run(self, writes: Sequence[Write]) -> None:
        statements = _statements(self._plans, writes)
        if self._connection is None:
            self._connection = self._engine.raw_connection()
            self._connection.driver_connection.isolation_level = None  # type: ignore[union-attr]  # we say BEGIN
        driver = self._connection.driver_connection
        cursor = self._connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                for sql, parameters in statements:
                    cursor.executemany(sql, parameters)
                cursor.execute("COMMIT")
            except BaseException:
                if driver.in_transaction:  # type: ignore[union-attr]  # SQLite may have rolled back already
                    cursor.execute("ROLLBACK")
                raise
        finally:
            cursor.close()

    async def aclose(self) -> None:
        """Close the thread's connection on that thread, then stop it (a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._thread, self._close)
        self._thread.shutdown(wait=True)

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._engine.dispose()


def _statements(plans: Plans, writes: Sequence[Write]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Each write with rows as its SQL and its rows' parameters, in order."""
    out = []
    for write in writes:
        if write.rows:
            plan = plans.plan(write.statement, tuple(write.rows[0]))
            out.append((plan.sql, plan.parameters(write.rows)))
    return out


def write_runner(engine: AsyncEngine) -> WriteRunner:
    """The cheapest runner for the database behind ``engine``."""
    thread_engine = create_sqlite_thread_engine(engine.url)
    if thread_engine is None:
        if engine.dialect.driver == "asyncpg":
            return DriverWriteRunner(engine)
        return AsyncWriteRunner(engine)
    log.debug("Batched writes go to a thread of their own on %s", engine.url.database)
    return ThreadWriteRunner(thread_engine)
