"""Persistence: models, the engine and session factories, and repositories (migrations: ``bot.db.migrate``)."""

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import RoundKind, RoundStatus
from bot.db.types import UTCDateTime, utcnow

__all__ = [
    "RoundKind",
    "RoundStatus",
    "UTCDateTime",
    "create_engine",
    "create_sessionmaker",
    "utcnow",
]
