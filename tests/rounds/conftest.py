"""The round service's tests run on the same migrated databases as the store's tests."""

from tests.db.conftest import blank_url, database_url, engine, maker

__all__ = ["blank_url", "database_url", "engine", "maker"]
