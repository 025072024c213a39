"""Guild banks between the store and the library: built from their stored YAML and article at start-up."""

from __future__ import annotations

import logging

from bot.banks import BankError, parse_bank_text
from bot.banks.library import BankLibrary
from bot.banks.store import BankStore, StoredBankVersion
from bot.quiz import Bank

log = logging.getLogger(__name__)

#: Stored versions passed the upload limit when they were stored; re-reading them must not refuse them.
STORED_MAX_BYTES = 50_000_000


def build_bank(stored: StoredBankVersion) -> Bank:
    """The playable bank of a stored version (with texts); raises `BankError` if it no longer validates."""
    if stored.yaml_text is None or stored.article_text is None:
        raise ValueError("the stored version was read without its texts")
    return parse_bank_text(
        stored.yaml_text, name=stored.filename, article_text=stored.article_text, max_bytes=STORED_MAX_BYTES
    )


async def load_guild_banks(library: BankLibrary, store: BankStore) -> int:
    """Make the library show the store: every guild's live banks, switches, and the versions running rounds play.

    A guild bank the library has but the store no longer does (deleted by another process while this one
    did not hear of it) is dropped. Returns how many guild banks are live. A stored version that no longer
    validates (the rules got stricter since) is logged and left out.
    """
    # Only what was here before the read may be dropped: an upload in this process during it is not stale.
    before = library.uploaded()
    async with store.transaction() as banks:
        latest = await banks.latest_versions()
        disabled = await banks.disabled_banks()
        live = {(v.guild_id, v.bank_id): v.version for v in latest}
        held = [h for h in await banks.held_versions() if live.get((h.guild_id, h.bank_id)) != h.version]
        older = [await banks.get_version(h.guild_id, h.bank_id, h.version) for h in held]
    library.set_all_disabled(disabled)
    now = library.uploaded()
    for (guild_id, bank_id), had in before.items():
        if (guild_id, bank_id) not in live and now.get((guild_id, bank_id)) == had:
            log.info("Guild %s bank %s was deleted elsewhere; dropping it", guild_id, bank_id)
            library.drop_guild_bank(guild_id, bank_id)
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
