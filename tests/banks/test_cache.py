"""The cache of validated banks: a hit skips the checks, any changed byte misses, a corrupt entry is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.banks import BankError, load_bank, load_banks
from bot.banks import loader as loader_module
from bot.banks.cache import BankCache

from .helpers import GOOD_BANK, WriteBank


@pytest.fixture
def cache(tmp_path: Path) -> BankCache:
    """An empty cache folder of its own."""
    return BankCache(tmp_path / "cache")


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bank was parsed again")

    monkeypatch.setattr(loader_module, "_parse", refuse)


def test_a_second_load_comes_from_the_cache_and_equals_the_first(
    write_bank: WriteBank, cache: BankCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bank read back is the bank checked: every question, choice, paragraph, default and related group."""
    path = write_bank(GOOD_BANK + "related:\n  - [losing-friends, ceasefire]\n")
    first = load_bank(path, cache=cache)
    assert len(list(cache.folder.glob("*.bank"))) == 1
    _no_parsing(monkeypatch)
    second = load_bank(path, cache=cache)
    assert second == first
    assert second.questions == first.questions
    assert [q.paragraph for q in second.questions] == [1, 6]
    assert second.question("ceasefire").correct_choice == "1994"
    assert second.related == (("losing-friends", "ceasefire"),)


def test_a_changed_byte_in_the_bank_misses(write_bank: WriteBank, cache: BankCache) -> None:
    """Editing the bank file loads and checks it afresh."""
    path = write_bank()
    load_bank(path, cache=cache)
    write_bank(GOOD_BANK.replace("title: Russia and the South Caucasus", "title: Russia and the South Caucasuz"))
    assert load_bank(path, cache=cache).title == "Russia and the South Caucasuz"
    write_bank(GOOD_BANK.replace("answer: 1994", "answer: 1995"))
    with pytest.raises(BankError, match="not one of the choices"):
        load_bank(path, cache=cache)


def test_a_changed_byte_in_the_article_misses(write_bank: WriteBank, cache: BankCache) -> None:
    """The bank is rechecked against the article as it is now: a passage edited out of it is reported."""
    path = write_bank()
    load_bank(path, cache=cache)
    article = path.parent / "article.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("losing them in the South Caucasus", "losing them in the South Caucasux"))
    with pytest.raises(BankError, match="passage not found") as caught:
        load_bank(path, cache=cache)
    assert [issue.line for issue in caught.value.issues] == [24]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: b"",
        lambda raw: b"not a cache entry at all",
        lambda raw: raw.replace(b"quizbot-bank-cache 2", b"quizbot-bank-cache 9"),
    ],
    ids=["truncated", "flipped-bit", "empty", "garbage", "other-format"],
)
def test_a_corrupt_entry_is_ignored_and_replaced(write_bank: WriteBank, cache: BankCache, damage: object) -> None:
    """A damaged entry is a miss: the bank loads as if there were no cache, and a good entry is written."""
    path = write_bank()
    fresh = load_bank(path)
    load_bank(path, cache=cache)
    (entry,) = cache.folder.glob("*.bank")
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes()))
    assert load_bank(path, cache=cache) == fresh
    assert cache.get(entry.stem) is not None


def test_a_cached_bank_still_reports_a_clash_of_ids_with_its_line(write_bank: WriteBank, cache: BankCache) -> None:
    """Two files with one id: the second is refused at its id's line, whether or not it came from the cache."""
    first, second = write_bank(name="a.yaml"), write_bank(GOOD_BANK + "\n", name="b.yaml")
    cold = load_banks([first, second], cache=cache)
    warm = load_banks([first, second], cache=cache)
    assert [b.id for b in warm.banks] == [b.id for b in cold.banks] == ["south-caucasus-russia"]
    assert [(i.path, i.line, i.column, i.message) for i in warm.issues] == [
        (i.path, i.line, i.column, i.message) for i in cold.issues
    ]
    assert cold.issues[0].line == 1


def test_an_unwritable_cache_is_only_a_slower_load(write_bank: WriteBank, tmp_path: Path) -> None:
    """A cache folder that cannot be created does not stop a bank loading."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert load_bank(write_bank(), cache=BankCache(blocker / "cache")).id == "south-caucasus-russia"
