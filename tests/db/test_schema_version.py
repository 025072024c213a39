"""The start-up check that skips Alembic knows the real head revision and tells current from stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import create_engine
from bot.db.migrate import head_revisions, upgrade_database
from bot.db.schema_version import HEAD_REVISION, database_is_current

PREVIOUS = "c3d5f7a9b1e2"


def test_head_revision_constant_matches_the_migrations() -> None:
    """Adding a migration without updating HEAD_REVISION fails here, not silently at start-up."""
    assert head_revisions() == (HEAD_REVISION,)


@pytest.mark.parametrize(("revision", "current"), [(None, False), (PREVIOUS, False), ("head", True)])
async def test_only_a_database_at_head_is_current(tmp_path: Path, revision: str | None, current: bool) -> None:
    """An empty database and one a revision behind are not current; one at head is."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}"
    if revision is not None:
        await upgrade_database(url, revision)
    engine = create_engine(url)
    try:
        assert await database_is_current(engine) is current
    finally:
        await engine.dispose()
