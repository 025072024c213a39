"""The bank service on a real database: uploads are read once and stored whole or not at all, every change
reaches the store and the library together, and refusals are domain errors."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks import loader
from bot.banks.errors import (
    ArticleNotText,
    FileTooBig,
    NoSuchVersion,
    ShippedIdTaken,
    ShippedNotDeletable,
    ShippedNotUploaded,
    UnknownBank,
    UnsupportedFile,
    UploadRaced,
)
from bot.banks.service import BankService, Uploaded
from bot.banks.store import VersionTaken
from bot.banks.uploads import ARTICLE_UNKNOWN, Rejected, UploadedFile, UploadLimits
from bot.banks.worker import ThreadWorker
from bot.db.bank_store import SqlBankStore
from bot.db.repos import banks as bank_repo
from tests.banks.helpers import EXCERPT, GOOD_BANK
from tests.db.conftest import blank_url, database_url, engine, maker

__all__ = ["blank_url", "database_url", "engine", "maker"]

GUILD = 10
OTHER = 20
AUTHOR = 30
SHIPPED = "south-caucasus-russia"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def bank_yaml(bank_id: str = "mine", *, title: str = "Mine", path: str = "article.txt") -> bytes:
    """The known-good bank under another id, title and article path."""
    text = GOOD_BANK.replace(f"id: {SHIPPED}", f"id: {bank_id}", 1)
    text = text.replace("title: Russia and the South Caucasus", f"title: {title}", 1)
    return text.replace("path: article.txt", f"path: {path}", 1).encode()


@pytest.fixture
def banks_dir(tmp_path: Path) -> Path:
    """A shipped folder: one bank and its article."""
    folder = tmp_path / "questions"
    folder.mkdir()
    shutil.copyfile(EXCERPT, folder / "article.txt")
    (folder / "shipped.yaml").write_text(GOOD_BANK, encoding="utf-8")
    return folder


@pytest.fixture
async def service(banks_dir: Path, maker: async_sessionmaker[AsyncSession]) -> BankService:
    """A started service on that folder and a migrated database."""
    built = BankService(banks_dir, max_bank_bytes=1_000_000, limits=UploadLimits(100_000, 1_000_000), clock=lambda: T0)
    await built.start(SqlBankStore(maker))
    return built


async def upload(service: BankService, data: bytes, *, name: str = "mine.yaml", **kwargs: Any) -> Uploaded:
    """Upload a bank that must be stored."""
    result = await service.upload(GUILD, AUTHOR, UploadedFile(name, data), **kwargs)
    assert isinstance(result, Uploaded), result
    return result


async def test_an_upload_is_stored_and_live_in_its_guild_only(service: BankService) -> None:
    """A good bank naming a shipped article is stored as version 1 and is playable at once, there only."""
    result = await upload(service, bank_yaml())
    assert (result.version, result.disabled, result.bank.id) == (1, False, "mine")
    assert service.get("mine", GUILD).title == "Mine"
    with pytest.raises(UnknownBank):
        service.get("mine", OTHER)
    bank, versions = await service.history(GUILD, "mine")
    assert bank.id == "mine" and [(v.version, v.uploaded_by, v.article_name) for v in versions] == [
        (1, AUTHOR, "article.txt")
    ]


async def test_an_upload_is_parsed_once(service: BankService, monkeypatch: pytest.MonkeyPatch) -> None:
    """The YAML is read one time per upload (it used to be read twice: once for its source.path)."""
    service.worker = ThreadWorker()  # in this process, where the count is kept
    calls: list[int] = []
    real = loader.read_yaml

    def counting(source: str | bytes, **kwargs: Any) -> Any:
        calls.append(1)
        return real(source, **kwargs)

    monkeypatch.setattr(loader, "read_yaml", counting)
    await upload(service, bank_yaml())
    assert len(calls) == 1


async def test_a_new_version_replaces_the_live_one_and_the_old_stays_held(service: BankService) -> None:
    """Version 2 goes live; version 1 can still be replayed by a round that started on it."""
    await upload(service, bank_yaml(title="First"))
    second = await upload(service, bank_yaml(title="Second"))
    assert second.version == 2
    assert service.get("mine", GUILD).title == "Second"
    assert service.library.at_version("mine", GUILD, 1).title == "First"
    _, versions = await service.history(GUILD, "mine")
    assert [v.version for v in versions] == [2, 1]


async def test_an_attached_article_is_stored_and_found_by_later_uploads(service: BankService) -> None:
    """An article the bot does not know comes with the upload; a later bank naming it finds it in the store."""
    article = UploadedFile("own.txt", EXCERPT.read_bytes())
    await upload(service, bank_yaml(path="own.txt"), article=article)
    again = await upload(service, bank_yaml("mine-too", path="own.txt"))
    assert again.version == 1
    download = await service.download(GUILD, "mine-too")
    assert dict(download.files)["own.txt"] == EXCERPT.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["nowhere.txt", "../outside.txt", "shipped.yaml"])
async def test_an_article_the_bot_does_not_know_is_a_problem_of_the_bank(
    service: BankService, banks_dir: Path, path: str
) -> None:
    """Unknown, outside the banks folder, or not a .txt: the bank is rejected at source.path; nothing is stored."""
    shutil.copyfile(EXCERPT, banks_dir.parent / "outside.txt")
    result = await service.upload(GUILD, AUTHOR, UploadedFile("mine.yaml", bank_yaml(path=path)))
    assert isinstance(result, Rejected)
    assert [(issue.field, issue.message) for issue in result.issues] == [("source.path", ARTICLE_UNKNOWN)]
    assert not service.library.knows("mine", GUILD)


async def test_a_bad_bank_is_rejected_with_every_problem(service: BankService) -> None:
    """Problems come back as issues with file and line; nothing reaches the store or the library."""
    data = bank_yaml().replace(b"answer: 1994", b"answer: 1995").replace(b"title: Mine", b"titel: Mine")
    result = await service.upload(GUILD, AUTHOR, UploadedFile("bad.yaml", data))
    assert isinstance(result, Rejected)
    assert {issue.path for issue in result.issues} == {"bad.yaml"}
    assert len(result.issues) == 3
    assert not service.library.knows("mine", GUILD)
    async with service.store.transaction() as banks:
        assert await banks.history(GUILD, "mine") == []


async def test_refusals_are_domain_errors(service: BankService) -> None:
    """Wrong kind, too big, a non-UTF-8 article and a shipped id are refused with the service's own errors."""
    with pytest.raises(UnsupportedFile):
        service.admit("bank.pdf", 10, None)
    with pytest.raises(FileTooBig) as too_big:
        service.admit("bank.yaml", 100_001, None)
    assert (too_big.value.kind, too_big.value.limit) == ("bank", 100_000)
    with pytest.raises(FileTooBig):
        await service.upload(GUILD, AUTHOR, UploadedFile("bank.yaml", b"#" * 100_001))
    with pytest.raises(ArticleNotText) as not_text:
        await service.upload(GUILD, AUTHOR, UploadedFile("mine.yaml", bank_yaml()), UploadedFile("a.txt", b"caf\xe9"))
    assert (not_text.value.byte, not_text.value.offset) == ("e9", 3)
    with pytest.raises(ShippedIdTaken):
        await service.upload(GUILD, AUTHOR, UploadedFile("shadow.yaml", bank_yaml(SHIPPED)))
    assert not service.library.is_uploaded(SHIPPED, GUILD)


async def test_a_racing_upload_is_refused_and_not_made_live(
    service: BankService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When another version was stored at the same moment, the upload raises UploadRaced and changes nothing."""

    async def raced(session: AsyncSession, **kwargs: Any) -> Any:
        raise VersionTaken(kwargs["bank_id"], 1)

    monkeypatch.setattr(bank_repo, "store_version", raced)
    with pytest.raises(UploadRaced):
        await service.upload(GUILD, AUTHOR, UploadedFile("mine.yaml", bank_yaml()))
    assert not service.library.knows("mine", GUILD)


async def test_switching_reaches_the_store_and_the_library(service: BankService, maker: Any) -> None:
    """Disabling says whether anything changed, hides the bank here, and survives a restart."""
    first = await service.set_disabled(GUILD, SHIPPED, True, by=AUTHOR)
    again = await service.set_disabled(GUILD, SHIPPED, True, by=AUTHOR)
    assert (first.unchanged, again.unchanged) == (False, True)
    assert service.visible(GUILD) == [] and [b.id for b in service.visible(OTHER)] == [SHIPPED]
    restarted = BankService(service.banks_dir, max_bank_bytes=1_000_000, limits=service.limits, clock=lambda: T0)
    await restarted.start(SqlBankStore(maker))
    assert restarted.entry(SHIPPED, GUILD).disabled and not restarted.entry(SHIPPED, OTHER).disabled


async def test_delete_removes_an_upload_but_never_a_shipped_bank(service: BankService) -> None:
    """Deleting drops every version from the store and the library; a shipped bank is refused."""
    await upload(service, bank_yaml())
    await upload(service, bank_yaml())
    bank, deleted = await service.delete(GUILD, "mine", by=AUTHOR)
    assert (bank.id, deleted) == ("mine", 2)
    assert not service.library.knows("mine", GUILD)
    with pytest.raises(ShippedNotDeletable):
        await service.delete(GUILD, SHIPPED, by=AUTHOR)
    assert service.library.knows(SHIPPED, GUILD)


async def test_history_and_download_of_shipped_and_missing_versions(service: BankService, banks_dir: Path) -> None:
    """A shipped bank has no history but downloads as its file; a version never stored is NoSuchVersion."""
    with pytest.raises(ShippedNotUploaded):
        await service.history(GUILD, SHIPPED)
    shipped = await service.download(GUILD, SHIPPED)
    assert shipped.version is None and shipped.files == (("shipped.yaml", GOOD_BANK),)
    with pytest.raises(ShippedNotUploaded):
        await service.download(GUILD, SHIPPED, 1)
    await upload(service, bank_yaml())
    with pytest.raises(NoSuchVersion):
        await service.download(GUILD, "mine", 2)
    with pytest.raises(UnknownBank):
        await service.download(GUILD, "nope")


async def test_uploads_are_loaded_again_at_start(service: BankService, maker: Any) -> None:
    """A fresh service on the same store has each guild's live uploads and their versions."""
    await upload(service, bank_yaml(title="First"))
    await upload(service, bank_yaml(title="Second"))
    restarted = BankService(service.banks_dir, max_bank_bytes=1_000_000, limits=service.limits, clock=lambda: T0)
    await restarted.start(SqlBankStore(maker))
    entry = restarted.entry("mine", GUILD)
    assert (entry.bank.title, entry.version, entry.shipped) == ("Second", 2, False)
    assert [e.bank.id for e in restarted.entries(GUILD, "MIN")] == ["mine"]
