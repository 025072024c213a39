"""Guild time zones: parsing IANA names and finding Monday 00:00 local time, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedules.timezones import guild_zone, parse_zone, week_start


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        # 2026-01-01 is a Thursday.
        (utc(2026, 1, 1), "UTC", utc(2025, 12, 29)),
        (utc(2025, 12, 29), "UTC", utc(2025, 12, 29)),  # Monday 00:00 itself starts the week
        (utc(2025, 12, 28, 23, 59, 59), "UTC", utc(2025, 12, 22)),  # Sunday night is still last week
        # East of UTC, the local Monday starts on Sunday in UTC; west of it, on Monday morning.
        (utc(2026, 1, 1), "Europe/Berlin", utc(2025, 12, 28, 23)),
        (utc(2025, 12, 28, 23, 30), "Europe/Berlin", utc(2025, 12, 28, 23)),  # already Monday in Berlin
        (utc(2026, 1, 1), "America/New_York", utc(2025, 12, 29, 5)),
        (utc(2025, 12, 29, 4, 59), "America/New_York", utc(2025, 12, 22, 5)),  # still Sunday in New York
        (utc(2026, 1, 1), "Asia/Kolkata", utc(2025, 12, 28, 18, 30)),  # a half-hour offset
        (utc(2026, 1, 1), "Pacific/Kiritimati", utc(2025, 12, 28, 10)),  # UTC+14
        # A week with a DST change starts at the offset in force on its Monday.
        (utc(2026, 3, 29, 12), "Europe/Berlin", utc(2026, 3, 22, 23)),  # spring forward on Sunday 29 March
        (utc(2026, 3, 30, 12), "Europe/Berlin", utc(2026, 3, 29, 22)),  # the next week, on summer time
        (utc(2026, 11, 2, 12), "America/New_York", utc(2026, 11, 2, 5)),  # after fall back on 1 November
        (utc(2026, 10, 30, 12), "America/New_York", utc(2026, 10, 26, 4)),  # the week before, on summer time
        (utc(2026, 10, 6, 12), "Australia/Sydney", utc(2026, 10, 4, 13)),  # spring forward on Sunday 4 October
        # Tehran skipped Monday 22 March 2021 00:00-01:00: the week starts at the jump, 00:00 at +03:30.
        (utc(2021, 3, 23), "Asia/Tehran", utc(2021, 3, 21, 20, 30)),
    ],
)
def test_week_start(now: datetime, zone: str, expected: datetime) -> None:
    """The week starts on the latest Monday 00:00 local time at or before now, returned in UTC."""
    start = week_start(now, ZoneInfo(zone))
    assert start == expected
    assert start.tzinfo is UTC
    assert start <= now


def test_week_start_refuses_naive_datetimes() -> None:
    """A naive now is a bug (it would be read as the server's local time), so it is refused."""
    with pytest.raises(ValueError, match="aware"):
        week_start(datetime(2026, 1, 1), ZoneInfo("UTC"))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (" UTC ", "UTC"),
        ("Nowhere/Atlantis", None),
        ("../etc/passwd", None),
        ("", None),
    ],
)
def test_parse_zone(name: str, key: str | None) -> None:
    """IANA names parse; unknown names and path tricks give None rather than an error."""
    zone = parse_zone(name)
    assert (zone.key if zone is not None else None) == key


def test_guild_zone_falls_back_to_utc(caplog: pytest.LogCaptureFixture) -> None:
    """A stored name that tzdata no longer knows falls back to UTC, with a warning."""
    assert guild_zone("Nowhere/Atlantis").key == "UTC"
    assert "Nowhere/Atlantis" in caplog.text
    assert guild_zone("Asia/Tokyo").key == "Asia/Tokyo"
