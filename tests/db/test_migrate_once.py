"""Processes starting at once on an empty PostgreSQL database: one applies the migrations, the others wait and check."""

from __future__ import annotations

import asyncio

import pytest

from bot.db.migrate import check_database_current, upgrade_database


async def test_concurrent_upgrades_apply_the_migrations_once(blank_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Four upgrades at once: all succeed, exactly one migrates, three find the work done."""
    if not blank_url.startswith("postgresql"):
        pytest.skip("several bot processes need PostgreSQL; SQLite's migrator queues on BEGIN IMMEDIATE instead")
    caplog.set_level("INFO", logger="bot.db.migrate")
    await asyncio.gather(*(upgrade_database(blank_url) for _ in range(4)))
    assert await check_database_current(blank_url)
    migrated = [r for r in caplog.records if r.getMessage().startswith("Database migrated to")]
    already = [r for r in caplog.records if r.getMessage().startswith("Database is already at the newest revision")]
    assert (len(migrated), len(already)) == (1, 3)
