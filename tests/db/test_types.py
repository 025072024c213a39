"""UTCDateTime: naive datetimes are refused, aware ones come back as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildRow
from bot.db.types import UTCDateTime, utcnow

from .helpers import GUILD

TBILISI = timezone(timedelta(hours=4))


def test_utcnow_is_aware_utc() -> None:
    """utcnow() returns an aware datetime in UTC."""
    now = utcnow()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


async def test_naive_datetime_is_refused(session: AsyncSession) -> None:
    """Writing a naive datetime raises instead of silently storing local time."""
    session.add(GuildRow(id=GUILD, created_at=datetime(2025, 1, 1, 12, 0)))  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"):
        await session.flush()


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (datetime(2025, 1, 1, 12, 0, 0, 123456, tzinfo=UTC), datetime(2025, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        (datetime(2025, 6, 30, 23, 30, tzinfo=TBILISI), datetime(2025, 6, 30, 19, 30, tzinfo=UTC)),
    ],
)
async def test_aware_datetime_round_trips_as_utc(session: AsyncSession, stored: datetime, expected: datetime) -> None:
    """An aware datetime is read back as the same instant, tagged UTC."""
    session.add(GuildRow(id=GUILD, created_at=stored))
    await session.commit()
    session.expunge_all()
    loaded = (await session.execute(select(GuildRow.created_at))).scalar_one()
    assert loaded == expected
    assert loaded.tzinfo is UTC


async def test_comparison_uses_utc_instants(session: AsyncSession) -> None:
    """Filtering with a non-UTC bound compares instants, not wall-clock text."""
    session.add(GuildRow(id=GUILD, created_at=datetime(2025, 1, 1, 12, 0, tzinfo=UTC)))
    await session.flush()
    # 15:30 in Tbilisi is 11:30 UTC, which is before the stored 12:00 UTC.
    bound = datetime(2025, 1, 1, 15, 30, tzinfo=TBILISI)
    found = (await session.execute(select(GuildRow.id).where(GuildRow.created_at >= bound))).scalars().all()
    assert found == [GUILD]


def test_bind_rejects_non_datetime() -> None:
    """A value that is not a datetime at all is refused."""
    from sqlalchemy.dialects import sqlite

    with pytest.raises(TypeError):
        UTCDateTime().process_bind_param("2025-01-01", sqlite.dialect())  # type: ignore[arg-type]
