"""Statements compiled once and run straight on the database driver's connection, for the hottest paths.

SQLAlchemy's execution layer, its greenlet bridge and a pool checkout (with its pre-ping) cost more CPU
than a small statement itself: a few milliseconds a read on a busy machine. The answer writer
(``bot.db.batches``) and the freshness check of the leaderboard (``bot.db.repos.ranks``) therefore
compile their statements once (`Plans`) and run them on one asyncpg connection kept from the engine's
pool (`KeptConnection`). Everything else keeps using sessions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

log = logging.getLogger(__name__)


class KeptConnection:
    """One asyncpg connection of an engine's pool, checked out at first use and kept until `aclose`.

    One operation at a time (asyncpg allows no more on a connection). After any failure but the server refusing
    a statement on a live connection (a lost connection, a protocol error, a cancellation mid-statement) the
    connection is in doubt: it is invalidated, and the next use checks out a new one.
    """

    def __init__(self, engine: AsyncEngine, *, purpose: str) -> None:
        import asyncpg  # type: ignore[import-untyped]  # only PostgreSQL installs need it (the ``postgres`` extra)

        self._server_error: type[Exception] = asyncpg.PostgresError
        self._engine = engine
        self._purpose = purpose
        self._connection: AsyncConnection | None = None
        self._driver: Any = None  # the asyncpg connection under it
        self._lock = asyncio.Lock()
        self._closed = False

    @asynccontextmanager
    async def use(self) -> AsyncIterator[Any]:
        """The asyncpg connection, for this caller alone until the block ends."""
        async with self._lock:
            if self._closed:
                raise RuntimeError(f"the {self._purpose} connection is closed")
            driver = self._driver or await self._connect()
            try:
                yield driver
            except self._server_error:
                # The server refused a statement (its transaction was rolled back); the connection is fine if open.
                if driver.is_closed():
                    await self._drop()
                raise
            except BaseException:
                await self._drop()
                raise

    def refused(self, error: BaseException, driver: Any) -> bool:
        """Whether ``error`` is the server refusing a statement on ``driver``, still open (a retry would not help)."""
        return isinstance(error, self._server_error) and driver is not None and not driver.is_closed()

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
                log.debug("Discarding the %s connection failed", self._purpose, exc_info=True)

    async def aclose(self) -> None:
        """Give the connection back to the pool (a second call does nothing)."""
        async with self._lock:
            self._closed = True
            connection, self._connection, self._driver = self._connection, None, None
        if connection is not None:
            await connection.close()


class DriverReader:
    """Runs read-only statements on a kept asyncpg connection, each compiled once; retried once on a new connection.

    A statement must be built once (a cached function) and name its parameters with ``bindparam``; rows come
    back as the driver gives them (JSON as text).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._kept = KeptConnection(engine, purpose="leaderboard read")
        self._plans = Plans(engine.dialect)

    async def fetch(self, statement: Executable, parameters: Mapping[str, Any]) -> list[Any]:
        """The rows of ``statement`` with ``parameters``."""
        plan = self._plans.plan(statement, tuple(parameters))
        arguments = plan.parameters([parameters])[0]
        driver = None
        try:
            async with self._kept.use() as driver:
                return list(await driver.fetch(plan.sql, *arguments))
        except Exception as error:
            if self._kept.refused(error, driver):
                raise
            # Where the pool's pre-ping would have caught it: a connection the server (or the network) closed.
            log.info("The kept read connection failed (%s); reading again on a new one", type(error).__name__)
        async with self._kept.use() as driver:
            return list(await driver.fetch(plan.sql, *arguments))

    async def aclose(self) -> None:
        """Give the connection back to the pool."""
        await self._kept.aclose()


def driver_reader(engine: AsyncEngine) -> DriverReader | None:
    """A `DriverReader` for an asyncpg engine; None for any other driver (sessions serve those)."""
    return DriverReader(engine) if engine.dialect.driver == "asyncpg" else None


class Plans:
    """Each statement compiled once per set of parameter keys, for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._plans: dict[tuple[int, tuple[str, ...]], Plan] = {}

    def plan(self, statement: Executable, keys: tuple[str, ...]) -> Plan:
        """``statement`` compiled for parameters (or rows) with ``keys``."""
        plan = self._plans.get((id(statement), keys))
        if plan is None:
            plan = self._plans[id(statement), keys] = Plan.compile(statement, keys, self._dialect)
        return plan


@dataclass(frozen=True, slots=True)
class Plan:
    """A statement compiled for the driver: its SQL, and where each positional parameter comes from."""

    statement: Executable  # kept alive, so the id() it is cached under is not reused
    sql: str
    sources: tuple[tuple[str | None, Any, Callable[[Any], Any] | None], ...]  # (row key or None, constant, processor)

    @classmethod
    def compile(cls, statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> Plan:
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

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Each row's parameters, in the statement's order, through the bind processors."""
        out = []
        for row in rows:
            values = []
            for key, constant, processor in self.sources:
                value = constant if key is None else row[key]
                values.append(value if processor is None else processor(value))
            out.append(tuple(values))
        return out
