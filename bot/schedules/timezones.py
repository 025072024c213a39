"""Guild time zones: IANA names to ``ZoneInfo``, and where a guild's week begins."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

DEFAULT_ZONE = "UTC"


def parse_zone(name: str) -> ZoneInfo | None:
    """The time zone called ``name`` (an IANA name such as ``Europe/Paris``), or None if there is none."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        # ValueError: names like "../etc" or "" that zoneinfo refuses to look up at all.
        return None


def guild_zone(name: str) -> ZoneInfo:
    """The guild's time zone; UTC if the stored name is no longer known (tzdata drops and renames zones)."""
    zone = parse_zone(name)
    if zone is None:
        log.warning("Unknown time zone %r; using %s", name, DEFAULT_ZONE)
        return ZoneInfo(DEFAULT_ZONE)
    return zone


def week_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The last Monday 00:00 in ``zone`` at or before ``now``, as an aware UTC datetime.

    When local midnight does not exist (a daylight-saving jump at 00:00), the week starts at
    the jump itself: ``fold=0`` reads the skipped wall time with the offset in force before
    it. When midnight happens twice, the week starts at the first one.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC)
