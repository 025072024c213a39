"""Persistence: models, the engine and session factories, migrations and repositories."""

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import alembic_config, check_database_current, upgrade_database
from bot.db.models import RoundKind, RoundStatus
from bot.db.types import UTCDateTime, utcnow

__all__ = [
    "RoundKind",
    "RoundStatus",
    "UTCDateTime",
    "alembic_config",
    "check_database_current",
    "create_engine",
    "create_sessionmaker",
    "upgrade_database",
    "utcnow",
]
