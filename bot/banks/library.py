"""The banks the bot can play, by id: the shipped ones for every guild, and each guild's own uploads.

Shipped banks (the ``questions/`` folder) are visible in every guild unless that guild disabled them. A
guild's uploaded banks (their newest version) are visible only there, unless disabled. In a guild, its own
bank wins over a shipped one with the same id (uploads may not take a shipped id, but a shipped bank added
later could). Rounds record the version of each bank they play, and specific older versions can be held
so a restarted round replays the questions it really asked.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from bot.banks.errors import BankDisabled, UnknownBank
from bot.quiz import Bank, Question

log = logging.getLogger(__name__)

BankVersion = int | str
"""The version of a bank a round played: an uploaded bank's number, or a shipped bank's content hash."""


def content_hash(bank: Bank) -> str:
    """A short hash of everything a shipped bank plays, to tell its versions apart in round records."""
    # repr of the frozen dataclasses is deterministic: tuples, strings, numbers and enums only.
    return "sha256:" + hashlib.sha256(repr(bank).encode("utf-8")).hexdigest()[:16]


class BankLibrary:
    """The loaded banks: shipped ones, replaced whole on reload, and each guild's uploads."""

    def __init__(self, banks: Iterable[Bank] = ()) -> None:
        self._banks: dict[str, Bank] = {}
        self._hashes: dict[str, str] = {}
        self._files: dict[str, Path] = {}
        self._guild_banks: dict[int, dict[str, tuple[Bank, int]]] = {}
        self._disabled: dict[int, set[str]] = {}
        self._held: dict[tuple[int, str, int], Bank] = {}
        self.replace(banks)

    # The shipped banks, as before guilds had their own.

    def __iter__(self) -> Iterator[Bank]:
        return iter(_by_title(self._banks.values()))

    def __len__(self) -> int:
        return len(self._banks)

    def __contains__(self, bank_id: object) -> bool:
        return bank_id in self._banks

    def replace(self, banks: Iterable[Bank], *, files: Mapping[str, Path] | None = None) -> None:
        """Swap in a new set of shipped banks, with the file each was read from when known."""
        self._banks = {bank.id: bank for bank in banks}
        self._hashes = {bank_id: content_hash(bank) for bank_id, bank in self._banks.items()}
        self._files = {bank_id: path for bank_id, path in (files or {}).items() if bank_id in self._banks}

    def file_of(self, bank_id: str) -> Path | None:
        """The file a shipped bank was read from, if known."""
        return self._files.get(bank_id)

    def shipped_files(self) -> dict[Path, Bank]:
        """The shipped banks by the file each was read from (banks added without a file are left out)."""
        return {path: self._banks[bank_id] for bank_id, path in self._files.items()}

    def is_shipped(self, bank_id: str) -> bool:
        """True if a shipped bank has this id."""
        return bank_id in self._banks

    # Lookups in a guild.

    def get(self, bank_id: str, guild_id: int | None = None) -> Bank:
        """The bank with this id (the guild's own first, then a shipped one), disabled or not; raises UnknownBank."""
        if guild_id is not None and (own := self._guild_banks.get(guild_id, {}).get(bank_id)) is not None:
            return own[0]
        try:
            return self._banks[bank_id]
        except KeyError:
            raise UnknownBank(bank_id) from None

    def knows(self, bank_id: str, guild_id: int | None = None) -> bool:
        """True if ``get(bank_id, guild_id)`` finds a bank."""
        return bank_id in self._banks or (guild_id is not None and bank_id in self._guild_banks.get(guild_id, {}))

    def question(self, bank_id: str, question_id: str, guild_id: int | None = None) -> Question:
        """A question by bank and question id; raises UnknownBank or KeyError."""
        return self.get(bank_id, guild_id).question(question_id)

    def playable(self, bank_id: str, guild_id: int) -> Bank:
        """The bank a round in this guild may play; raises UnknownBank, or BankDisabled if switched off there."""
        bank = self.get(bank_id, guild_id)
        if self.is_disabled(bank_id, guild_id):
            raise BankDisabled(bank_id)
        return bank

    def visible(self, guild_id: int) -> list[Bank]:
        """The banks this guild can play, by title: shipped and its own, minus the ones it switched off."""
        own = self._guild_banks.get(guild_id, {})
        disabled = self._disabled.get(guild_id, set())
        banks = {bank_id: bank for bank_id, bank in self._banks.items() if bank_id not in own}
        banks.update((bank_id, bank) for bank_id, (bank, _) in own.items())
        return _by_title(bank for bank_id, bank in banks.items() if bank_id not in disabled)

    def known(self, guild_id: int) -> list[Bank]:
        """Every bank of this guild, switched off or not, by title."""
        own = self._guild_banks.get(guild_id, {})
        banks = {bank_id: bank for bank_id, bank in self._banks.items() if bank_id not in own}
        banks.update((bank_id, bank) for bank_id, (bank, _) in own.items())
        return _by_title(banks.values())

    def is_uploaded(self, bank_id: str, guild_id: int) -> bool:
        """True if the guild uploaded a bank with this id."""
        return bank_id in self._guild_banks.get(guild_id, {})

    def uploaded(self) -> dict[tuple[int, str], int]:
        """Every guild's uploaded banks live here, ``(guild_id, bank_id)`` to version."""
        return {
            (guild_id, bank_id): version
            for guild_id, own in self._guild_banks.items()
            for bank_id, (_, version) in own.items()
        }

    def uploaded_version(self, bank_id: str, guild_id: int) -> int | None:
        """The live version number of the guild's uploaded bank, or None if it uploaded none with this id."""
        own = self._guild_banks.get(guild_id, {}).get(bank_id)
        return None if own is None else own[1]

    def is_disabled(self, bank_id: str, guild_id: int) -> bool:
        """True if the guild switched this bank off."""
        return bank_id in self._disabled.get(guild_id, set())

    def version(self, bank_id: str, guild_id: int) -> BankVersion:
        """The version of the bank ``get`` gives: the uploaded version number, or the shipped content hash."""
        own = self._guild_banks.get(guild_id, {}).get(bank_id)
        if own is not None:
            return own[1]
        self.get(bank_id)
        return self._hashes[bank_id]

    def at_version(self, bank_id: str, guild_id: int, version: BankVersion | None) -> Bank:
        """The bank as it was at ``version``, for replaying a round; raises UnknownBank if that is not loaded.

        A shipped bank only has its current content: a different hash is logged and the current one used
        (question ids are stable forever, so the round's questions are still found). ``None`` (rounds
        stored before versions were recorded) means the current bank.
        """
        if isinstance(version, int):
            own = self._guild_banks.get(guild_id, {}).get(bank_id)
            if own is not None and own[1] == version:
                return own[0]
            held = self._held.get((guild_id, bank_id, version))
            if held is None:
                raise UnknownBank(bank_id)
            return held
        bank = self.get(bank_id, guild_id)
        if version is not None and self.version(bank_id, guild_id) != version:
            log.warning("Bank %s changed since version %s was played; replaying with the current one", bank_id, version)
        return bank

    # Changes, as guilds upload and switch banks.

    def put_guild_bank(self, guild_id: int, bank: Bank, version: int) -> bool:
        """Make ``bank`` (this version) the guild's live copy, unless a newer version is already live."""
        own = self._guild_banks.setdefault(guild_id, {})
        current = own.get(bank.id)
        if current is not None and current[1] > version:
            self.hold(guild_id, bank, version)
            return False
        if current is not None:
            # Rounds started on the old version may still be running.
            self.hold(guild_id, current[0], current[1])
        own[bank.id] = (bank, version)
        return True

    def drop_guild_bank(self, guild_id: int, bank_id: str) -> None:
        """Forget a guild's uploaded bank (after it is deleted), including its switch."""
        self._guild_banks.get(guild_id, {}).pop(bank_id, None)
        self._disabled.get(guild_id, set()).discard(bank_id)

    def hold(self, guild_id: int, bank: Bank, version: int) -> None:
        """Keep a specific version of a guild's bank for ``at_version``."""
        self._held[(guild_id, bank.id, version)] = bank

    def set_disabled(self, guild_id: int, bank_id: str, disabled: bool) -> None:
        """Switch a bank off (or on) in a guild."""
        switched = self._disabled.setdefault(guild_id, set())
        if disabled:
            switched.add(bank_id)
        else:
            switched.discard(bank_id)

    def set_all_disabled(self, disabled: dict[int, set[str]]) -> None:
        """Replace every guild's switched-off banks (at start-up)."""
        self._disabled = {guild_id: set(bank_ids) for guild_id, bank_ids in disabled.items()}


def _by_title(banks: Iterable[Bank]) -> list[Bank]:
    return sorted(banks, key=lambda bank: (bank.title.casefold(), bank.id))
