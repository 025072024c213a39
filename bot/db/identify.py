"""Taking turns to IDENTIFY across processes, through PostgreSQL advisory locks and the last identify's time.

Discord lets a bot IDENTIFY once per bucket (``shard_id % max_concurrency``) per 5 seconds, whichever process
the shard runs in. Before each IDENTIFY a shard takes its bucket's advisory lock on a connection of its own, and
keeps it for the window after: the next shard of that bucket, in this process or another, waits on the lock.
A process that stops keeps its buckets to the end of their windows, so its own restart cannot IDENTIFY too soon.
A process that dies releases its locks with its connections (the server does it), so nobody waits on it; so the
time of each bucket's last IDENTIFY is also kept in ``identify_turns``, by the database's clock (one clock for
every process), and whoever takes the lock first waits out what is left of that window.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# The first half of the two-key advisory lock ("quid"); the second half is the bucket.
IDENTIFY_LOCK_SPACE = 0x71756964
# Past the window, so the next IDENTIFY of the bucket lands safely after it, whatever the two clocks' jitter.
MARGIN_SECONDS = 0.25


class IdentifyTurns:
    """Hands out turns to IDENTIFY, one per bucket per window, to every process on the same PostgreSQL database."""

    def __init__(self, engine: AsyncEngine, *, max_concurrency: int, window: float) -> None:
        self._engine = engine
        self.max_concurrency = max(1, max_concurrency)
        self.window = window
        self._holds: set[asyncio.Task[None]] = set()

    def bucket(self, shard_id: int | None) -> int:
        """The identify bucket of a shard (an unsharded bot is shard 0)."""
        return (shard_id or 0) % self.max_concurrency

    async def wait_turn(self, shard_id: int | None) -> None:
        """Return once this shard may IDENTIFY; its bucket stays taken for the window after."""
        bucket = self.bucket(shard_id)
        connection = await self._engine.connect()
        try:
            # A session-level lock on a connection of its own: two shards of one process exclude each other too.
            await connection.execute(text("SELECT pg_advisory_lock(:space, :bucket)"), _key(bucket))
            await connection.commit()
            # The lock's holder may have been killed inside its window (its lock died with it): wait out the rest.
            left = await _window_left(connection, bucket, self.window + MARGIN_SECONDS)
            if left > 0:
                log.info("Identify bucket %d was used %.1f s ago; waiting %.1f s", bucket, self.window - left, left)
                await asyncio.sleep(left)
            await _record_identify(connection, bucket)
        except BaseException:
            await connection.close()
            raise
        log.debug("Shard %s may identify (bucket %d)", shard_id, bucket)
        hold = asyncio.create_task(self._release_after_window(connection, bucket), name=f"identify-bucket-{bucket}")
        self._holds.add(hold)
        hold.add_done_callback(self._holds.discard)

    async def _release_after_window(self, connection: AsyncConnection, bucket: int) -> None:
        try:
            await asyncio.sleep(self.window + MARGIN_SECONDS)
        finally:
            # Shielded: a cancelled hold (shutdown) must still unlock before its connection returns to the pool.
            await asyncio.shield(_unlock(connection, bucket))

    async def aclose(self) -> None:
        """On shutdown: wait out the windows still running (a quick restart must not IDENTIFY inside them)."""
        await asyncio.gather(*self._holds, return_exceptions=True)


def _key(bucket: int) -> dict[str, int]:
    return {"space": IDENTIFY_LOCK_SPACE, "bucket": bucket}


async def _window_left(connection: AsyncConnection, bucket: int, window: float) -> float:
    """Seconds until ``window`` has passed since the bucket's last recorded IDENTIFY (0 if it has, or none)."""
    left = await connection.scalar(
        text(
            "SELECT EXTRACT(EPOCH FROM identified_at - clock_timestamp()) + :window "
            "FROM identify_turns WHERE bucket = :bucket"
        ),
        {"bucket": bucket, "window": window},
    )
    await connection.commit()
    return max(0.0, float(left)) if left is not None else 0.0


async def _record_identify(connection: AsyncConnection, bucket: int) -> None:
    """Keep the time of this IDENTIFY (the database's clock), committed before it is sent."""
    await connection.execute(
        text(
            "INSERT INTO identify_turns (bucket, identified_at) VALUES (:bucket, clock_timestamp()) "
            "ON CONFLICT (bucket) DO UPDATE SET identified_at = excluded.identified_at"
        ),
        {"bucket": bucket},
    )
    await connection.commit()


async def _unlock(connection: AsyncConnection, bucket: int) -> None:
    try:
        await connection.execute(text("SELECT pg_advisory_unlock(:space, :bucket)"), _key(bucket))
        await connection.commit()
    except Exception:
        # The connection is gone, and the lock with it; invalidate so the pool never reuses it.
        log.warning("Could not release identify bucket %d; dropping its connection", bucket, exc_info=True)
        await connection.invalidate()
    finally:
        await connection.close()
