"""One bot process per SQLite file: a second ``quizbot run`` on the same file stops at once.

SQLite has no way for two bot processes to share the work (no advisory locks, no notifications), so the bot
takes an exclusive lock on a file beside the database for as long as it runs. The operating system drops the
lock when the process ends, however it ends. The CLI's reads (``stats``, ``check``) never take it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from bot.db.engine import sqlite_path

log = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # Windows: no flock; the single-process rule is then the operator's to keep.
    fcntl = None  # type: ignore[assignment]


class AnotherBotRunning(RuntimeError):
    """A bot process already runs on this SQLite file."""


def lock_path(database: Path) -> Path:
    """The file whose lock marks the bot running on ``database``."""
    return database.with_name(database.name + ".bot-lock")


@contextmanager
def only_bot_on_sqlite(url: str) -> Iterator[None]:
    """Hold the SQLite file's bot lock while inside; raises AnotherBotRunning if another process holds it.

    Does nothing for PostgreSQL (several processes are its purpose) or an in-memory database.
    """
    database = sqlite_path(make_url(url)) if make_url(url).get_backend_name() == "sqlite" else None
    if database is None or fcntl is None:
        yield
        return
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("a", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AnotherBotRunning(
                f"another quizbot is already running on {database}. One SQLite file serves one bot process; "
                "to run several processes, use PostgreSQL (QUIZBOT_DATABASE_URL) with QUIZBOT_SHARD_COUNT and "
                "QUIZBOT_SHARD_IDS: see docs/scaling.md"
            ) from None
        yield
    finally:
        handle.close()  # closing the file releases the lock
