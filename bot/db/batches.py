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
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

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

    The connection is checked out at the first batch and kept until ``aclose``; each batch is a ``BEGIN``, one
    pipelined ``executemany`` per write and a ``COMMIT`` (one write alone needs neither: ``executemany`` is atomic).
    After any failure but the server refusing a statement (a lost connection, a protocol error, a cancellation
    mid-statement) the connection is in doubt: it is invalidated, and the next batch checks out a new one.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        import asyncpg  # type: ignore[import-untyped]  # only PostgreSQL installs need it (the ``postgres`` extra)

        self._server_error: type[Exception] = asyncpg.PostgresError
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._driver: Any = None  # the asyncpg connection under it
        self._plans = _Plans(engine.dialect)
        # asyncpg runs one operation at a time on a connection; the answer writer sends one batch at a time anyway.
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Execute and commit the writes on the kept connection."""
        statements = self._plans.statements(writes)
        async with self._lock:
            if self._closed:
                raise RuntimeError("the write runner is closed")
            driver = self._driver or await self._connect()
            try:
                if len(statements) == 1:  # one executemany is atomic by itself: no BEGIN and COMMIT round trips
                    await driver.executemany(*statements[0])
                else:
                    async with driver.transaction():
                        for sql, parameters in statements:
                            await driver.executemany(sql, parameters)
            except self._server_error:
                # The server refused a statement (a constraint, say) and the transaction was rolled back.
                if driver.is_closed():
                    await self._drop()
                raise
            except BaseException:
                # A lost connection, a protocol error or a cancellation mid-statement: the connection is in doubt.
                await self._drop()
                raise

    async def _connect(self) -> Any:
        self._connection = await self._engine.connect()
        raw = await self._connection.get_raw_connection()
        self._driver = raw.driver_connection
        return self._driver

    async def _drop(self) -> None:
        connection, self._connection, self._driver = self._connection, None, None
        if connection is not None:
            try:
                await connection.invalidate()
                await connection.close()
            except Exception:  # already broken: it is being discarded anyway
                log.debug("Discarding the answer writer's broken connection failed", exc_info=True)

    async def aclose(self) -> None:
        """Give the connection back to the pool (a second call does nothing)."""
        async with self._lock:
            self._closed = True
            connection, self._connection, self._driver = self._connection, None, None
        if connection is not None:
            await connection.close()


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
        self._plans = _Plans(engine.dialect)
        self._closed = False

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Hand the transaction to the thread and wait for its commit."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._run, writes)

    def _run(self, writes: Sequence[Write]) -> None:
        statements = self._plans.statements(writes)
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


class _Plans:
    """Each statement compiled once per set of row keys, for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._plans: dict[tuple[int, tuple[str, ...]], _Plan] = {}

    def statements(self, writes: Sequence[Write]) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """Each write with rows as its SQL and its rows' parameters, in order."""
        out = []
        for write in writes:
            if not write.rows:
                continue
            keys = tuple(write.rows[0])
            plan = self._plans.get((id(write.statement), keys))
            if plan is None:
                plan = self._plans[id(write.statement), keys] = _Plan.compile(write.statement, keys, self._dialect)
            out.append((plan.sql, plan.parameters(write.rows)))
        return out


@dataclass(frozen=True, slots=True)
class _Plan:
    """A statement compiled for the driver: its SQL, and where each positional parameter comes from."""

    statement: Executable  # kept alive, so the id() it is cached under is not reused
    sql: str
    sources: tuple[tuple[str | None, Any, Callable[[Any], Any] | None], ...]  # (row key or None, constant, processor)

    @classmethod
    def compile(cls, statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Plan:
        """Compile ``statement`` for rows with ``keys``; scalar column defaults become constants."""
        # for_executemany: no RETURNING of the new ids, which executemany could not return anyway.
        compiled = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)  # type: ignore[attr-defined]
        if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:
            raise TypeError(f"{dialect.name} statements must compile to positional parameters")
        defaults = {column.key: column.default for column in compiled.insert_prefetch}
        sources: list[tuple[str | None, Any, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup:
            processor = compiled.binds[name].type.bind_processor(dialect)
            if name in keys:
                sources.append((name, None, processor))
            elif (default := defaults.get(name)) is not None and default.is_scalar:
                sources.append((None, default.arg, processor))  # type: ignore[attr-defined]
            else:
                raise ValueError(f"no value for the parameter {name!r} of {compiled.string!r}")
        return cls(statement, compiled.string, tuple(sources))

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """Each row's parameters, in the statement's order, through the bind processors."""
        out = []
        for row in rows:
            values = []
            for key, constant, processor in self.sources:
                value = constant if key is None else row[key]
                values.append(value if processor is None else processor(value))
            out.append(tuple(values))
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
