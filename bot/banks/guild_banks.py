"""Guild banks between the database and the library: built from their stored YAML and article at start-up."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks import BankError, parse_bank_text
from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.repos import banks as bank_repo
from bot.quiz import Bank

log = logging.getLogger(__name__)

#: Stored versions passed the upload limit when they were stored; re-reading them must not refuse them.
STORED_MAX_BYTES = 50_000_000


def build_bank(stored: bank_repo.StoredBankVersion) -> Bank:
    """The playable bank of a stored version (with texts); raises `BankError` if it no longer validates."""
    if stored.yaml_text is None or stored.article_text is None:
        raise ValueError("the stored version was read without its texts")
    return parse_bank_text(
        stored.yaml_text, name=stored.filename, article_text=stored.article_text, max_bytes=STORED_MAX_BYTES
    )


async def load_guild_banks(library: BankLibrary, sessions: async_sessionmaker[AsyncSession]) -> int:
    """Put every guild's live banks, switches, and the versions running rounds play into the library.

    Returns how many guild banks are live. A stored version that no longer validates (the rules got
    stricter since) is logged and left out.
    """
    async with sessions.begin() as session:
        latest = await bank_repo.latest_versions(session)
        disabled = await bank_repo.disabled_banks(session)
        running = await repos.unfinished_rounds(session)
        live = {(v.guild_id, v.bank_id): v.version for v in latest}
        wanted = {
            (stored.guild_id, bank_id, version)
            for stored in running
            for bank_id, version in stored.bank_versions.items()
            if isinstance(version, int) and live.get((stored.guild_id, bank_id)) != version
        }
        older = [await bank_repo.get_version(session, *key) for key in sorted(wanted)]
    library.set_all_disabled(disabled)
    count = 0
    for stored in latest:
        try:
            library.put_guild_bank(stored.guild_id, build_bank(stored), stored.version)
            count += 1
        except BankError as exc:
            log.error("Guild %s bank %s v%s no longer loads: %s", stored.guild_id, stored.bank_id, stored.version, exc)
    for version in older:
        if version is None:
            continue
        try:
            library.hold(version.guild_id, build_bank(version), version.version)
        except BankError as exc:
            log.error(
                "Guild %s bank %s v%s no longer loads: %s", version.guild_id, version.bank_id, version.version, exc
            )
    log.info("Loaded %d guild bank(s)", count)
    return count
