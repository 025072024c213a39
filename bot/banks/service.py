"""The bank service: the one place that reads and changes the bot's banks.

It owns the in-memory library (the cache every round reads) and the transactions on the stored guild
banks, and keeps the two in step: upload, enable and disable, delete, reload, history, download and
lookups all go through it. Refusals are the domain errors of `bot.banks.errors`, worded by the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.banks import BankError
from bot.banks.analytics import QuestionReport, bank_report
from bot.banks.cache import BankCache
from bot.banks.errors import NoSuchVersion, ShippedIdTaken, ShippedNotDeletable, ShippedNotUploaded, UploadRaced
from bot.banks.guild_banks import build_bank, load_guild_banks
from bot.banks.library import BankLibrary
from bot.banks.loader import ArticleFiles, SourceUnavailable
from bot.banks.shipped import ReloadReport, apply_reload, read_shipped_job, reload_library
from bot.banks.store import BankStore, NewVersion, StoredBankVersion, VersionTaken
from bot.banks.uploads import (
    Checked,
    NeedArticle,
    Rejected,
    UploadedFile,
    UploadLimits,
    admit,
    check_files,
)
from bot.banks.worker import Worker
from bot.quiz import Bank

if TYPE_CHECKING:
    from bot.banks.importers import Format

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

__all__ = ["BankEntry", "BankService", "Download", "StoredBankVersion", "Switched", "Uploaded"]


@dataclass(frozen=True, slots=True)
class BankEntry:
    """A bank as one guild sees it: the bank, its uploaded version (None if shipped), and whether it is off."""

    bank: Bank
    version: int | None
    disabled: bool

    @property
    def shipped(self) -> bool:
        """True if the bank ships with the bot (the guild did not upload it)."""
        return self.version is None


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A stored upload: the bank now live (or switched off) in the guild, and the import's notes."""

    bank: Bank
    version: int
    disabled: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Switched:
    """A bank switched off or on, and whether it already was."""

    bank: Bank
    disabled: bool
    unchanged: bool


@dataclass(frozen=True, slots=True)
class Download:
    """A bank's files: the YAML and, for an upload, its article; ``version`` is None for a shipped bank."""

    bank: Bank
    version: int | None
    files: tuple[tuple[str, str], ...]


class BankService:
    """Every bank the bot can play, for every guild, and every change to them."""

    def __init__(
        self,
        banks_dir: Path,
        *,
        max_bank_bytes: int,
        limits: UploadLimits,
        clock: Clock,
        worker: Worker | None = None,
        cache: BankCache | None = None,
    ) -> None:
        self.library = BankLibrary()
        #: Where checks and reloads run, off the event loop.
        self.worker = worker if worker is not None else Worker()
        self.cache = cache
        self.banks_dir = banks_dir
        self.max_bank_bytes = max_bank_bytes
        self.limits = limits
        self._clock = clock
        self._store: BankStore | None = None
        #: Told ``(guild_id, bank_id)`` after each change is stored, so other processes re-read it (see ``refresh``).
        self.on_change: Callable[[int, str], Awaitable[None]] | None = None

    async def start(self, store: BankStore) -> None:
        """Load the shipped banks, then every guild's uploads and switches, before rounds are restored."""
        self._store = store
        # In this process: nothing is served yet, and a child process would only slow start-up down.
        self.reload_shipped()
        await load_guild_banks(self.library, store)

    @property
    def store(self) -> BankStore:
        """Where guild banks are kept; the service opens one transaction per request."""
        if self._store is None:
            raise RuntimeError("the bank service has not started (no database yet)")
        return self._store

    # Lookups: what a guild sees, and by which rules (see BankLibrary).

    def get(self, bank_id: str, guild_id: int | None = None) -> Bank:
        """The bank with this id in the guild (its own first, then a shipped one); raises `UnknownBank`."""
        return self.library.get(bank_id, guild_id)

    def visible(self, guild_id: int | None) -> list[Bank]:
        """The banks a guild can play (all shipped ones outside a guild), by title."""
        return self.library.visible(guild_id) if guild_id is not None else list(self.library)

    def entry(self, bank_id: str, guild_id: int) -> BankEntry:
        """One bank as the guild sees it; raises `UnknownBank`."""
        bank = self.library.get(bank_id, guild_id)
        return self._entry(bank, guild_id)

    def entries(self, guild_id: int, needle: str = "") -> list[BankEntry]:
        """Every bank of the guild, switched off or not, by title; ``needle`` keeps those whose id or title has it."""
        needle = needle.casefold().strip()
        return [
            self._entry(bank, guild_id)
            for bank in self.library.known(guild_id)
            if needle in bank.id.casefold() or needle in bank.title.casefold()
        ]

    def _entry(self, bank: Bank, guild_id: int) -> BankEntry:
        return BankEntry(
            bank, self.library.uploaded_version(bank.id, guild_id), self.library.is_disabled(bank.id, guild_id)
        )

    # Reading the store.

    async def latest(self, guild_id: int, bank_id: str) -> tuple[BankEntry, StoredBankVersion | None]:
        """The bank as the guild sees it, with its newest stored version (None for a shipped bank)."""
        entry = self.entry(bank_id, guild_id)
        if entry.shipped:
            return entry, None
        versions = await self._history(guild_id, entry.bank.id)
        return entry, versions[0] if versions else None

    async def history(self, guild_id: int, bank_id: str) -> tuple[Bank, list[StoredBankVersion]]:
        """Every stored version of the guild's bank, newest first; raises `ShippedNotUploaded` for a shipped one."""
        entry = self.entry(bank_id, guild_id)
        if entry.shipped:
            raise ShippedNotUploaded(entry.bank.id)
        return entry.bank, await self._history(guild_id, entry.bank.id)

    async def _history(self, guild_id: int, bank_id: str) -> list[StoredBankVersion]:
        async with self.store.transaction() as banks:
            return await banks.history(guild_id, bank_id)

    async def download(self, guild_id: int, bank_id: str, version: int | None = None) -> Download:
        """A bank's files: a shipped bank's file as it ships, or a stored version (the newest by default).

        Raises `ShippedNotUploaded` for a version of a shipped bank, `NoSuchVersion` for a version not stored.
        """
        entry = self.entry(bank_id, guild_id)
        bank = entry.bank
        if entry.shipped:
            path = self.library.file_of(bank.id)
            if path is None or version is not None:
                raise ShippedNotUploaded(bank.id)
            return Download(bank, None, ((path.name, path.read_text(encoding="utf-8")),))
        async with self.store.transaction() as banks:
            stored = await banks.get_version(guild_id, bank.id, version)
        if stored is None or stored.yaml_text is None or stored.article_text is None:
            raise NoSuchVersion(bank.id, version)
        article_file = stored.article_name.replace("\\", "/").rsplit("/", 1)[-1] or "article.txt"
        files = ((stored.filename, stored.yaml_text), (article_file, stored.article_text))
        return Download(bank, stored.version, files)

    async def analytics(self, guild_id: int, bank_id: str) -> tuple[Bank, list[QuestionReport]]:
        """Per-question analytics of a bank from this guild's rounds."""
        bank = self.get(bank_id, guild_id)
        async with self.store.transaction() as banks:
            activity = await banks.activity(guild_id, bank.id)
        return bank, bank_report(bank, activity.asked, activity.answers)

    # Changes: the store first, then the cache, so the cache never shows what was not stored.

    async def set_disabled(self, guild_id: int, bank_id: str, disabled: bool, *, by: int) -> Switched:
        """Switch a bank (shipped or uploaded) off or back on in a guild; raises `UnknownBank`."""
        bank = self.get(bank_id, guild_id)
        async with self.store.transaction() as banks:
            was = await banks.set_disabled(guild_id, bank.id, disabled, changed_by=by, changed_at=self._clock())
        self.library.set_disabled(guild_id, bank.id, disabled)
        await self._changed(guild_id, bank.id)
        log.info("Guild %s: user %s set bank %s disabled=%s", guild_id, by, bank.id, disabled)
        return Switched(bank, disabled, unchanged=was == disabled)

    async def delete(self, guild_id: int, bank_id: str, *, by: int) -> tuple[Bank, int]:
        """Delete a guild's uploaded bank with every version; returns it and how many versions went.

        Raises `ShippedNotDeletable` for a shipped bank (it can only be switched off).
        """
        entry = self.entry(bank_id, guild_id)
        if entry.shipped:
            raise ShippedNotDeletable(entry.bank.id)
        async with self.store.transaction() as banks:
            deleted = await banks.delete_bank(guild_id, entry.bank.id)
        self.library.drop_guild_bank(guild_id, entry.bank.id)
        await self._changed(guild_id, entry.bank.id)
        log.info("Guild %s: user %s deleted bank %s (%d versions)", guild_id, by, entry.bank.id, deleted)
        return entry.bank, deleted

    def admit(self, name: str, size: int, article: tuple[str, int] | None) -> Format | None:
        """Check an upload's kind and sizes before it is downloaded; raises `UnsupportedFile` or `FileTooBig`."""
        return admit(name, size, article, self.limits)

    async def upload(
        self, guild_id: int, user_id: int, file: UploadedFile, article: UploadedFile | None = None
    ) -> Uploaded | Rejected:
        """Check an upload and store it as the guild's next version of the bank, live at once; or reject it.

        Nothing is stored unless the whole upload passes. The article is the one attached, else one the bot
        knows by the bank's ``source.path`` (an earlier upload of this guild, or a shipped article).
        Raises `UnsupportedFile`, `FileTooBig`, `ArticleNotText`, `QuizFileUnreadable`, `ShippedIdTaken`
        or `UploadRaced`; a bank with problems comes back as `Rejected`.
        """
        # The sizes again, now that the bytes are here: an attachment's declared size is only a claim.
        self.admit(file.name, len(file.data), (article.name, len(article.data)) if article is not None else None)

        # Parsing, importing and verifying are CPU work: off the event loop, which keeps answering clicks.
        async def known(question: NeedArticle) -> str | None:
            return await self._known_article(guild_id, question.name)

        checked = await self.worker.run(check_files, file, article, self.limits, answer=known)
        if isinstance(checked, Rejected):
            return checked
        return await self._save(guild_id, user_id, checked)

    async def _known_article(self, guild_id: int, name: str) -> str | None:
        """An article the bot knows by this name: the guild's latest upload of it, else a shipped one."""
        async with self.store.transaction() as banks:
            found = await banks.find_article(guild_id, name)
        if found is not None:
            return found
        try:
            return ArticleFiles(root=self.banks_dir).text(self.banks_dir, name)
        except SourceUnavailable:
            return None

    async def _save(self, guild_id: int, user_id: int, checked: Checked) -> Uploaded:
        bank = checked.bank
        if self.library.is_shipped(bank.id):
            raise ShippedIdTaken(bank.id)
        try:
            async with self.store.transaction() as banks:
                stored = await banks.store_version(
                    NewVersion(
                        guild_id=guild_id,
                        bank_id=bank.id,
                        title=bank.title,
                        question_count=len(bank.questions),
                        yaml_text=checked.yaml_text,
                        filename=checked.filename,
                        article_name=checked.article_name,
                        article_text=checked.article_text,
                        uploaded_by=user_id,
                        uploaded_at=self._clock(),
                    )
                )
        except VersionTaken:
            raise UploadRaced(bank.id) from None
        self.library.put_guild_bank(guild_id, bank, stored.version)
        await self._changed(guild_id, bank.id)
        log.info("Guild %s: user %s stored bank %s v%d", guild_id, user_id, bank.id, stored.version)
        return Uploaded(bank, stored.version, self.library.is_disabled(bank.id, guild_id), checked.notes)

    async def _changed(self, guild_id: int, bank_id: str) -> None:
        if self.on_change is not None:
            await self.on_change(guild_id, bank_id)

    async def refresh(self, guild_id: int, bank_id: str) -> None:
        """Another process changed a guild's bank: make the cache show what the store has now."""
        async with self.store.transaction() as banks:
            stored = await banks.get_version(guild_id, bank_id)
            disabled = bank_id in (await banks.disabled_banks()).get(guild_id, set())
        if stored is None:
            self.library.drop_guild_bank(guild_id, bank_id)
        elif self.library.uploaded_version(bank_id, guild_id) != stored.version:
            try:
                self.library.put_guild_bank(guild_id, build_bank(stored), stored.version)
            except BankError as exc:
                log.error("Guild %s bank %s v%s no longer loads: %s", guild_id, bank_id, stored.version, exc)
        self.library.set_disabled(guild_id, bank_id, disabled)

    async def refresh_all(self) -> None:
        """Re-read the banks folder and every guild's banks (the hints were down, so anything may have changed)."""
        await self.reload()
        await load_guild_banks(self.library, self.store)

    def reload_shipped(self) -> ReloadReport:
        """Re-read the banks folder here and now (on the event loop: prefer `reload`); see `reload`."""
        return reload_library(self.library, self.banks_dir, max_bytes=self.max_bank_bytes, cache=self.cache)

    async def reload(self) -> ReloadReport:
        """Re-read the banks folder off the event loop; a broken file keeps its last good version.

        Every problem is logged and reported; the library changes only once the whole folder is read.
        """
        chosen, report = await self.worker.run(
            read_shipped_job, self.banks_dir, self.library.shipped_files(), self.max_bank_bytes, self.cache
        )
        apply_reload(self.library, self.banks_dir, chosen, report)
        return report
