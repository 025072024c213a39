"""Engine and session factories, created at start-up and passed down (no module-level engine)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# How long a SQLite connection waits for another writer before failing with "database is locked". On SQLite the bot
# is the only writing process, so a wait is its own write transactions queued behind each other in a burst: an async
# transaction holds the lock across event-loop turns, and SQLite's busy handler is not first come, first served. With
# 200 `/quiz start`s at once one INSERT waited past 5 s (issue 17's final run); commands are deferred, so waiting
# longer is better than failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Migrations may wait behind a long transaction of a running bot, so they wait longer.
MIGRATION_BUSY_TIMEOUT_MS = 60_000
# Every connection the bot itself opens to SQLite, async or not.
_BOT_PRAGMAS = [
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
]


def is_sqlite(url: str | URL) -> bool:
    """True if ``url`` points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory and ``file:`` URI databases."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:") or url.query.get("uri"):
        return None
    return Path(database)


def _prepare_sqlite(url: URL) -> None:
    """Create the directory of a SQLite database file, since SQLite will not."""
    path = sqlite_path(url)
    if path is not None and not path.parent.exists():
        log.info("Creating the database directory %s", path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)


def _run_pragmas(dbapi_connection: Any, pragmas: list[str]) -> None:
    """Run PRAGMA statements on a fresh DB-API connection, outside any transaction."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in pragmas:
            cursor.execute(pragma)
    finally:
        cursor.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return create_async_engine(sa_url, echo=echo, pool_pre_ping=True)

    _prepare_sqlite(sa_url)
    engine = create_async_engine(sa_url, echo=echo)
    _set_pragmas_on_connect(engine.sync_engine, _BOT_PRAGMAS)
    return engine


def create_sqlite_thread_engine(url: URL) -> Engine | None:
    """A synchronous engine (stdlib ``sqlite3``) on the same SQLite file as ``url``, or None if it is not a file.

    For work that runs whole transactions on one thread of its own: see ``bot.db.batches``.
    """
    if url.get_backend_name() != "sqlite" or sqlite_path(url) is None:
        return None
    engine = create_sync_engine(url.set(drivername="sqlite"))
    _set_pragmas_on_connect(engine, _BOT_PRAGMAS)
    return engine


def _set_pragmas_on_connect(engine: Engine, pragmas: list[str]) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        _run_pragmas(dbapi_connection, pragmas)


def create_migration_engine(url: str) -> AsyncEngine:
    """An engine for running migrations: transactional DDL, and on SQLite foreign keys off.

    SQLite's batch mode rebuilds a table by copying it and dropping the original; with
    foreign keys on, that drop would cascade-delete every child row. Foreign keys cannot be
    switched inside a transaction, so they are turned off per connection and checked with
    ``PRAGMA foreign_key_check`` after the migration instead. The driver's own transaction
    handling skips BEGIN before DDL, so we emit ``BEGIN IMMEDIATE`` ourselves: the whole
    migration is atomic and concurrent migrators queue behind one another.
    """
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return create_async_engine(sa_url, poolclass=NullPool)

    _prepare_sqlite(sa_url)
    engine = create_async_engine(sa_url, poolclass=NullPool)
    pragmas = [
        "PRAGMA foreign_keys=OFF",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        f"PRAGMA busy_timeout={MIGRATION_BUSY_TIMEOUT_MS}",
    ]

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop the driver from managing transactions so BEGIN covers DDL too.
        dbapi_connection.isolation_level = None
        _run_pragmas(dbapi_connection, pragmas)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit; use one ``async with maker.begin()`` per event."""
    return async_sessionmaker(engine, expire_on_commit=False)
