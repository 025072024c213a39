"""Wall times to instants: repeated hours read as the first pass, skipped ones as the moment clocks jump."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedules import in_gap, localize, wall_time

from .helpers import wall

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # moves its clocks by half an hour


@pytest.mark.parametrize(
    ("wall", "zone", "instant"),
    [
        (wall(2026, 1, 15, 19, 30), BERLIN, datetime(2026, 1, 15, 18, 30, tzinfo=UTC)),
        (wall(2026, 7, 15, 19, 30), BERLIN, datetime(2026, 7, 15, 17, 30, tzinfo=UTC)),
        # Skipped: Berlin jumps from 02:00 to 03:00 at 01:00Z on 2026-03-29.
        (wall(2026, 3, 29, 2, 0), BERLIN, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (wall(2026, 3, 29, 2, 59), BERLIN, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (wall(2026, 3, 29, 3, 0), BERLIN, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Repeated: 02:00-03:00 happens twice on 2026-10-25; the first pass is CEST.
        (wall(2026, 10, 25, 2, 30), BERLIN, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (wall(2026, 10, 25, 2, 30, fold=1), BERLIN, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        # New York skips 02:00-03:00 on 2026-03-08 (at 07:00Z) and repeats 01:00-02:00 on 2026-11-01.
        (wall(2026, 3, 8, 2, 30), NEW_YORK, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (wall(2026, 11, 1, 1, 30), NEW_YORK, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        # Lord Howe skips 02:00-02:30 on 2026-10-04 (at 15:30Z the day before).
        (wall(2026, 10, 4, 2, 15), LORD_HOWE, datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
    ],
)
def test_localize(wall: datetime, zone: ZoneInfo, instant: datetime) -> None:
    """Ordinary, skipped and repeated wall times map to the documented instants."""
    assert localize(wall, zone) == instant


def test_gap_detection() -> None:
    """Only wall times the clocks skip are in a gap."""
    assert in_gap(wall(2026, 3, 29, 2, 30), BERLIN)
    assert not in_gap(wall(2026, 3, 29, 3, 0), BERLIN)
    assert not in_gap(wall(2026, 10, 25, 2, 30), BERLIN)


def test_wall_time_round_trips() -> None:
    """An instant's wall time localises back to the same instant, in both passes of a repeated hour."""
    for instant in (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)):
        assert localize(wall_time(instant, BERLIN), BERLIN) == instant


def test_naive_and_aware_mixups_are_refused() -> None:
    """localize wants a naive wall time and wall_time an aware instant."""
    with pytest.raises(ValueError, match="naive"):
        localize(datetime(2026, 1, 1, tzinfo=UTC), BERLIN)
    with pytest.raises(ValueError, match="aware"):
        wall_time(wall(2026, 1, 1), BERLIN)
