"""Which guilds this process acts for: Discord's shard formula, and the shards a process was given.

Discord delivers a guild's events and interactions on shard ``(guild_id >> 22) % shard_count``. Several
processes on one database each own some shards, and each acts only for its shards' guilds: it claims their
schedules, resumes their rounds and answers their clicks, so a guild's round never depends on two processes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

#: What ``QUIZBOT_SHARD_COUNT`` may say instead of a number: use Discord's recommendation (``GET /gateway/bot``).
AUTO = "auto"


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str) -> tuple[int, ...] | None:
    """``"0-3"``, ``"0,2"``, ``"0-1,4"`` as shard ids in order; None for an empty text (all shards).

    Raises ValueError naming the part it cannot read.
    """
    ids: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            low, high = int(first), int(last) if dash else int(first)
        except ValueError:
            raise ValueError(f"{part!r} is not a shard number or a range like 0-3") from None
        if low < 0 or high < low:
            raise ValueError(f"{part!r} is not a range of shard numbers from low to high")
        ids.extend(i for i in range(low, high + 1) if i not in ids)
    return tuple(ids) or None


@dataclass(frozen=True)
class Shards:
    """The shards of this process: ``count`` None means one unsharded process, which owns every guild."""

    count: int | None = None
    ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, count: int | None, ids: Collection[int] | None = None) -> Shards:
        """``count`` shards of which this process runs ``ids`` (None: all); checks every id is below the count."""
        if count is None:
            return cls()
        if count < 1:
            raise ValueError(f"the shard count must be at least 1, not {count}")
        chosen = tuple(ids) if ids else tuple(range(count))
        outside = [i for i in chosen if not 0 <= i < count]
        if outside:
            raise ValueError(f"shard ids {outside} are outside 0-{count - 1} (the shard count is {count})")
        return cls(count, chosen)

    @property
    def sharded(self) -> bool:
        """Whether the bot runs with shards at all."""
        return self.count is not None

    @property
    def owns_all(self) -> bool:
        """Whether this process owns every guild (unsharded, or every shard)."""
        return self.count is None or len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        """Whether events of ``guild_id`` arrive here, so this process acts for it."""
        return self.count is None or shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        """For the log: ``shards 0-1 of 4``, or ``unsharded``."""
        if self.count is None:
            return "unsharded (one gateway connection, every guild)"
        return f"shards {_ranges(self.ids)} of {self.count}"


#: One unsharded process: every guild is its own.
EVERY_SHARD = Shards()


def _ranges(ids: tuple[int, ...]) -> str:
    spans: list[list[int]] = []
    for i in sorted(ids):
        if spans and spans[-1][1] == i - 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
