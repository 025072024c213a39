"""What the bank service needs from the store, and the records it gets back.

The service decides where each transaction begins and ends; the store (``bot.db.bank_store`` for the
SQL database) carries out the reads and writes inside one. Keeping the SQL behind this protocol keeps
``bot.banks`` free of the database layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.banks.analytics import AnswerLike


class VersionTaken(Exception):
    """Another transaction stored this version of the bank first (two uploads racing); nothing was stored."""

    def __init__(self, bank_id: str, version: int) -> None:
        super().__init__(f"version {version} of bank {bank_id!r} was stored by another transaction")
        self.bank_id = bank_id
        self.version = version


@dataclass(frozen=True, slots=True)
class StoredBankVersion:
    """One stored version of a guild bank; the texts are None when the query left them out."""

    guild_id: int
    bank_id: str
    version: int
    title: str
    question_count: int
    filename: str
    article_name: str
    article_id: str
    uploaded_by: int
    uploaded_at: datetime
    yaml_text: str | None = None
    article_text: str | None = None


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A checked upload to store as the next version of a guild's bank."""

    guild_id: int
    bank_id: str
    title: str
    question_count: int
    yaml_text: str
    filename: str
    article_name: str
    article_text: str
    uploaded_by: int
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class HeldVersion:
    """A version of a guild's bank that a running round plays."""

    guild_id: int
    bank_id: str
    version: int


class BankActivityLike(Protocol):
    """How often each question of a bank was asked, and every scored answer to them."""

    @property
    def asked(self) -> Mapping[str, int]: ...

    @property
    def answers(self) -> Sequence[AnswerLike]: ...


class BankTransaction(Protocol):
    """The store's reads and writes of guild banks, all inside one transaction."""

    async def store_version(self, new: NewVersion) -> StoredBankVersion:
        """Store the next version (1 for a new bank); raise `VersionTaken` if a racing upload took it."""
        ...

    async def history(self, guild_id: int, bank_id: str) -> list[StoredBankVersion]:
        """Every version of a guild's bank, newest first, without texts."""
        ...

    async def get_version(self, guild_id: int, bank_id: str, version: int | None = None) -> StoredBankVersion | None:
        """One version with its texts (the newest if ``version`` is None), or None."""
        ...

    async def find_article(self, guild_id: int, name: str) -> str | None:
        """The text of the article this guild last uploaded under ``name``, or None."""
        ...

    async def delete_bank(self, guild_id: int, bank_id: str) -> int:
        """Delete every version and the switch of a guild's bank; returns how many versions went."""
        ...

    async def set_disabled(
        self, guild_id: int, bank_id: str, disabled: bool, *, changed_by: int, changed_at: datetime
    ) -> bool:
        """Switch a bank off or on in a guild; returns whether it was off before."""
        ...

    async def latest_versions(self) -> list[StoredBankVersion]:
        """The live (newest) version of every guild's every bank, with texts."""
        ...

    async def disabled_banks(self) -> dict[int, set[str]]:
        """The banks each guild switched off."""
        ...

    async def held_versions(self) -> list[HeldVersion]:
        """The uploaded versions running rounds play (live or not)."""
        ...

    async def activity(self, guild_id: int, bank_id: str) -> BankActivityLike:
        """How a bank's questions were asked and answered in a guild's channel rounds."""
        ...


class BankStore(Protocol):
    """Where guild banks are kept; each `transaction` commits on success and rolls back on error."""

    def transaction(self) -> AbstractAsyncContextManager[BankTransaction]:
        """One transaction."""
        ...
