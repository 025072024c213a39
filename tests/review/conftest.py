"""The database fixtures of tests/db, for the review service's tests."""

from tests.db.conftest import blank_url, database_url, engine, maker

__all__ = ["blank_url", "database_url", "engine", "maker"]
