"""What each process caches, kept in step with the changes other processes make to a shared database.

The hints (``bot.db.hints``) say what changed; the caches re-read it from the database, which stays the truth:
the bank service re-reads one guild bank (or the banks folder, for ``quizbot reload``), and the rank index
steps a guild's cached points forward with the score moves that came in the hint (or, when they did not fit,
that the other process kept).

After the hints reconnect (anything may have been missed), everything a hint could have said is reconciled:
the banks are re-read whole (a guild bank deleted meanwhile is dropped), and each cached guild's standings
are brought to the database's scores version (a read checks that version anyway: this only takes the work
off the next read). Guild settings are not cached (every use reads them), and the schedules' dispatcher
re-reads its next due time on its own subscription.
"""

from __future__ import annotations

from collections.abc import Awaitable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.service import BankService
from bot.db.hints import Hints
from bot.db.repos.ranks import RankIndex
from bot.db.repos.score_moves import parse_scores_hint


def follow_hints(
    hints: Hints, banks: BankService, ranks: RankIndex, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Publish this process's bank changes, and apply the other processes' bank and score changes."""

    async def bank_changed(guild_id: int, bank_id: str) -> None:
        await hints.publish("banks", f"{guild_id}:{bank_id}")

    async def banks_hint(argument: str | None) -> None:
        if argument is None:
            await banks.refresh_all()
        elif argument == "shipped":
            await banks.reload()  # off the event loop, as SIGHUP's: a large folder takes seconds of CPU
        else:
            guild_id, _, bank_id = argument.partition(":")
            await banks.refresh(int(guild_id), bank_id)

    async def catch_up(guild_id: int, version: int) -> None:
        async with sessions() as session:
            await ranks.catch_up(session, guild_id, version)

    async def catch_up_all() -> None:
        for guild_id in ranks.guilds():
            await ranks.current(sessions, guild_id)

    def scores_hint(argument: str | None) -> Awaitable[None] | None:
        if argument is None:
            return catch_up_all()
        guild_id, version, moves = parse_scores_hint(argument)
        # Applied as the notification is heard, with no await: a read after it finds its copy current.
        return None if ranks.hinted(guild_id, version, moves) else catch_up(guild_id, version)

    banks.on_change = bank_changed
    hints.subscribe("banks", banks_hint)
    hints.subscribe("scores", scores_hint)
