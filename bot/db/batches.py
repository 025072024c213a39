"""Running a few prepared writes in one transaction, as cheaply as the database allows.

The answer writer commits a batch of clicks many times a second, so the cost of one transaction
matters. Through aiosqlite every statement, the BEGIN and the COMMIT is its own hand-off to the
driver's thread and back, plus SQLAlchemy's async bridge around each: about three times the CPU of
the work itself. For a SQLite file the batch is therefore handed to one thread of its own in a single
hop, where a synchronous engine (the stdlib ``sqlite3`` driver, the same pragmas) runs the whole
transaction. Other databases (PostgreSQL) use the async engine as everything else does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
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
        self._plans: dict[tuple[int, tuple[str, ...]], _Plan] = {}
        self._closed = False

    @property
    def dialect(self) -> str:
        """The engine's dialect."""
        return self._engine.dialect.name

    async def run(self, writes: Sequence[Write]) -> None:
        """Hand the transaction to the thread and wait for its commit."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._run, writes)

    def _run(self, writes: Sequence[Write]) -> None:
        statements = [(plan.sql, plan.parameters(write.rows)) for write in writes if (plan := self._plan(write))]
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

    def _plan(self, write: Write) -> _Plan | None:
        if not write.rows:
            return None
        keys = tuple(write.rows[0])
        cache_key = (id(write.statement), keys)
        plan = self._plans.get(cache_key)
        if plan is None:
            plan = self._plans[cache_key] = _Plan.compile(write.statement, keys, self._engine.dialect)
        return plan

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


@dataclass(frozen=True, slots=True)
class _Plan:
    """A statement compiled for the driver: its SQL, and where each positional parameter comes from."""

    statement: Executable  # kept alive, so the id() it is cached under is not reused
    sql: str
    sources: tuple[tuple[str | None, Any, Callable[[Any], Any] | None], ...]  # (row key or None, constant, processor)

    @classmethod
    def compile(cls, statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Plan:
        """Compile ``statement`` for rows with ``keys``; scalar column defaults become constants."""
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
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
        return AsyncWriteRunner(engine)
    log.debug("Batched writes go to a thread of their own on %s", engine.url.database)
    return ThreadWriteRunner(thread_engine)
