"""Start-up migrations: run in a child process only when the database is behind, failures reported in full."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db import create_engine
from bot.db.auto_migrate import MigrationFailed, ensure_current, migrate_in_child
from bot.db.schema_version import database_is_current

ROOT = Path(__file__).resolve().parents[2]


async def test_a_new_database_is_migrated_then_left_alone(blank_url: str) -> None:
    """The first start migrates (SQLite and PostgreSQL); the next finds the database current."""
    engine = create_engine(blank_url)
    try:
        assert not await database_is_current(engine)
        assert await ensure_current(engine, blank_url) is True
        assert await database_is_current(engine)
        assert await ensure_current(engine, blank_url) is False
    finally:
        await engine.dispose()


async def test_a_failed_migration_says_why(tmp_path: Path) -> None:
    """A database that cannot be opened fails with the child's own error in the message."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("a file where a folder should be")
    with pytest.raises(MigrationFailed, match=r"(?s)exit status 1.*NotADirectoryError"):
        await migrate_in_child(f"sqlite+aiosqlite:///{not_a_folder / 'db' / 'quizbot.sqlite3'}")


def test_alembic_stays_out_of_the_process_that_starts(tmp_path: Path) -> None:
    """A fresh interpreter that brings a new database up to date has not imported Alembic itself."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    code = (
        "import asyncio, json, sys\n"
        "from bot.db import create_engine\n"
        "from bot.db.auto_migrate import ensure_current\n"
        "async def main():\n"
        f"    engine = create_engine({url!r})\n"
        f"    migrated = await ensure_current(engine, {url!r})\n"
        "    await engine.dispose()\n"
        "    return migrated\n"
        "migrated = asyncio.run(main())\n"
        "print(json.dumps([migrated, sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako'))]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.splitlines()[-1]) == [True, []]
