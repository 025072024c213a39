"""The bank service's store on the SQL database: ``bot.banks.store.BankStore`` over the bank repository."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.store import HeldVersion, NewVersion, StoredBankVersion
from bot.db.repos import banks as bank_repo
from bot.db.repos.rounds import unfinished_rounds


class SqlBankStore:
    """Guild banks in the database; each transaction is one ``sessionmaker.begin()``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlBankTransaction]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        async with self._sessions.begin() as session:
            yield SqlBankTransaction(session)


class SqlBankTransaction:
    """The bank repository's functions on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store_version(self, new: NewVersion) -> StoredBankVersion:
        """Store the next version; raises `VersionTaken` if a racing upload took it."""
        return await bank_repo.store_version(self._session, **dataclasses.asdict(new))

    async def history(self, guild_id: int, bank_id: str) -> list[StoredBankVersion]:
        """Every version, newest first, without texts."""
        return await bank_repo.history(self._session, guild_id, bank_id)

    async def get_version(self, guild_id: int, bank_id: str, version: int | None = None) -> StoredBankVersion | None:
        """One version with its texts, or None."""
        return await bank_repo.get_version(self._session, guild_id, bank_id, version)

    async def find_article(self, guild_id: int, name: str) -> str | None:
        """The text of the article this guild last uploaded under ``name``."""
        found = await bank_repo.find_article(self._session, guild_id, name)
        return None if found is None else found[1]

    async def delete_bank(self, guild_id: int, bank_id: str) -> int:
        """Delete every version and the switch; returns how many versions went."""
        return await bank_repo.delete_bank(self._session, guild_id, bank_id)

    async def set_disabled(
        self, guild_id: int, bank_id: str, disabled: bool, *, changed_by: int, changed_at: datetime
    ) -> bool:
        """Switch a bank off or on; returns whether it was off before."""
        return await bank_repo.set_disabled(
            self._session, guild_id, bank_id, disabled, changed_by=changed_by, changed_at=changed_at
        )

    async def latest_versions(self) -> list[StoredBankVersion]:
        """Every guild's live versions, with texts."""
        return await bank_repo.latest_versions(self._session)

    async def disabled_banks(self) -> dict[int, set[str]]:
        """The banks each guild switched off."""
        return await bank_repo.disabled_banks(self._session)

    async def held_versions(self) -> list[HeldVersion]:
        """The uploaded versions running rounds play."""
        return sorted(
            {
                HeldVersion(stored.guild_id, bank_id, version)
                for stored in await unfinished_rounds(self._session)
                for bank_id, version in stored.bank_versions.items()
                if isinstance(version, int)
            },
            key=lambda held: (held.guild_id, held.bank_id, held.version),
        )

    async def activity(self, guild_id: int, bank_id: str) -> bank_repo.BankActivity:
        """How a bank's questions were asked and answered in this guild's channel rounds."""
        return await bank_repo.bank_activity(self._session, guild_id, bank_id)
