"""The bank library's rules: which banks a guild sees, whose bank wins an id, and which versions stay held."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.banks.errors import BankDisabled, UnknownBank
from bot.banks.library import BankLibrary, content_hash
from bot.quiz import Bank
from tests.quiz.helpers import make_bank

GUILD = 1
OTHER = 2


def titled(bank_id: str, title: str, size: int = 2) -> Bank:
    """A small bank with a chosen title (the library sorts by title)."""
    return dataclasses.replace(make_bank(bank_id, size), title=title)


def ids(banks: list[Bank]) -> list[str]:
    """The banks' ids, in order."""
    return [bank.id for bank in banks]


@pytest.fixture
def library() -> BankLibrary:
    """Two shipped banks, ``beta`` titled before ``alpha``."""
    return BankLibrary([titled("alpha", "Zebras"), titled("beta", "Apes")])


def test_shipped_banks_are_visible_everywhere_sorted_by_title(library: BankLibrary) -> None:
    """Every guild sees every shipped bank, by title then id."""
    assert ids(library.visible(GUILD)) == ["beta", "alpha"]
    assert ids(library.visible(OTHER)) == ["beta", "alpha"]
    assert ids(list(library)) == ["beta", "alpha"]


def test_an_upload_is_visible_only_in_its_guild(library: BankLibrary) -> None:
    """A guild's upload joins its own list and no other guild's."""
    library.put_guild_bank(GUILD, titled("mine", "Mine"), 1)
    assert ids(library.visible(GUILD)) == ["beta", "mine", "alpha"]
    assert ids(library.visible(OTHER)) == ["beta", "alpha"]
    assert library.knows("mine", GUILD) and not library.knows("mine", OTHER) and not library.knows("mine")
    with pytest.raises(UnknownBank):
        library.get("mine", OTHER)
    assert library.is_uploaded("mine", GUILD) and not library.is_uploaded("mine", OTHER)
    assert library.uploaded_version("mine", GUILD) == 1 and library.uploaded_version("alpha", GUILD) is None


def test_the_guilds_own_bank_wins_over_a_shipped_one_with_its_id(library: BankLibrary) -> None:
    """In the guild that uploaded it, a bank with a shipped id is the one found, listed once; elsewhere, the shipped."""
    library.put_guild_bank(GUILD, titled("alpha", "Own alpha"), 3)
    assert library.get("alpha", GUILD).title == "Own alpha"
    assert library.get("alpha", OTHER).title == "Zebras"
    assert library.get("alpha").title == "Zebras"
    assert [bank.title for bank in library.visible(GUILD)] == ["Apes", "Own alpha"]
    assert [bank.title for bank in library.known(GUILD)] == ["Apes", "Own alpha"]
    assert library.version("alpha", GUILD) == 3
    assert library.version("alpha", OTHER) == content_hash(library.get("alpha"))


def test_a_switched_off_bank_is_known_but_not_visible_or_playable(library: BankLibrary) -> None:
    """Disabling hides a bank from play in that guild only; it stays known, and comes back when enabled."""
    library.set_disabled(GUILD, "alpha", True)
    assert ids(library.visible(GUILD)) == ["beta"]
    assert ids(library.known(GUILD)) == ["beta", "alpha"]
    assert library.is_disabled("alpha", GUILD) and not library.is_disabled("alpha", OTHER)
    with pytest.raises(BankDisabled):
        library.playable("alpha", GUILD)
    assert library.playable("alpha", OTHER).id == "alpha"
    library.set_disabled(GUILD, "alpha", False)
    assert ids(library.visible(GUILD)) == ["beta", "alpha"]


def test_start_up_switches_replace_every_guilds(library: BankLibrary) -> None:
    """``set_all_disabled`` replaces the switches wholesale."""
    library.set_disabled(GUILD, "alpha", True)
    library.set_all_disabled({OTHER: {"beta"}})
    assert not library.is_disabled("alpha", GUILD)
    assert ids(library.visible(OTHER)) == ["alpha"]


def test_deleting_an_upload_forgets_it_and_its_switch(library: BankLibrary) -> None:
    """After a delete the guild no longer knows the bank, and a new upload with that id starts switched on."""
    library.put_guild_bank(GUILD, titled("mine", "Mine"), 2)
    library.set_disabled(GUILD, "mine", True)
    library.drop_guild_bank(GUILD, "mine")
    assert not library.knows("mine", GUILD)
    library.put_guild_bank(GUILD, titled("mine", "Mine again"), 1)
    assert not library.is_disabled("mine", GUILD)


def test_a_new_version_goes_live_and_the_old_one_is_held(library: BankLibrary) -> None:
    """Version 2 replaces version 1 as the live bank; version 1 stays for rounds that started on it."""
    first, second = titled("mine", "First"), titled("mine", "Second")
    assert library.put_guild_bank(GUILD, first, 1)
    assert library.put_guild_bank(GUILD, second, 2)
    assert library.get("mine", GUILD) is second
    assert library.at_version("mine", GUILD, 1) is first
    assert library.at_version("mine", GUILD, 2) is second
    assert library.at_version("mine", GUILD, None) is second


def test_an_older_version_arriving_late_is_held_not_made_live(library: BankLibrary) -> None:
    """Putting version 1 after version 2 keeps version 2 live and holds version 1."""
    first, second = titled("mine", "First"), titled("mine", "Second")
    library.put_guild_bank(GUILD, second, 2)
    assert not library.put_guild_bank(GUILD, first, 1)
    assert library.get("mine", GUILD) is second
    assert library.at_version("mine", GUILD, 1) is first


def test_a_version_never_loaded_is_unknown(library: BankLibrary) -> None:
    """Replaying a version that is neither live nor held raises UnknownBank; held versions are per guild."""
    library.hold(GUILD, titled("mine", "Old"), 4)
    assert library.at_version("mine", GUILD, 4).title == "Old"
    with pytest.raises(UnknownBank):
        library.at_version("mine", GUILD, 5)
    with pytest.raises(UnknownBank):
        library.at_version("mine", OTHER, 4)


def test_a_shipped_bank_replays_its_current_content_whatever_its_hash(
    library: BankLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    """A shipped bank only has its current content: a stale hash is logged and the current bank used."""
    current = library.get("alpha")
    assert library.at_version("alpha", GUILD, content_hash(current)) is current
    assert not caplog.records
    assert library.at_version("alpha", GUILD, "sha256:stale") is current
    assert "changed since version sha256:stale" in caplog.text


def test_a_reload_replaces_the_shipped_banks_and_their_files(library: BankLibrary, tmp_path: Path) -> None:
    """``replace`` swaps the whole shipped set; uploads are untouched, files are kept only for loaded banks."""
    library.put_guild_bank(GUILD, titled("mine", "Mine"), 1)
    gamma = titled("gamma", "Gamma")
    library.replace([gamma], files={"gamma": tmp_path / "gamma.yaml", "gone": tmp_path / "gone.yaml"})
    assert ids(library.visible(GUILD)) == ["gamma", "mine"]
    assert not library.is_shipped("alpha") and library.is_shipped("gamma")
    assert library.file_of("gamma") == tmp_path / "gamma.yaml" and library.file_of("gone") is None
    assert library.shipped_files() == {tmp_path / "gamma.yaml": gamma}


def test_content_hash_tells_versions_apart() -> None:
    """The same content hashes the same; any change to what is played changes the hash."""
    bank = titled("alpha", "A")
    assert content_hash(bank) == content_hash(titled("alpha", "A"))
    assert content_hash(bank) != content_hash(titled("alpha", "B"))
    assert content_hash(bank).startswith("sha256:")
