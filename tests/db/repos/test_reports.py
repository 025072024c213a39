"""Question reports as stored: the report as filed, and where it stands."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ReportStatus
from bot.db.repos import ensure_guild
from bot.db.repos import reports as report_repo

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


async def test_a_stored_report_holds_the_report_as_filed(maker: async_sessionmaker[AsyncSession]) -> None:
    """What the queue and ``/quiz reports mine`` read back is the filed report itself, with its status."""
    filed = report_repo.NewReport(1, 10, "bank", "abc", "q1", "v1", "wrong_answer", "key should be B")
    async with maker.begin() as session:
        await ensure_guild(session, 1)
        await report_repo.file_report(session, filed, T0)
    async with maker() as session:
        [stored] = await report_repo.open_reports(session, 1)
        [mine] = await report_repo.player_reports(session, 1, 10, limit=5)
    assert stored.report == filed == mine.report
    assert (stored.status, stored.updated_at) == (ReportStatus.OPEN, T0)
