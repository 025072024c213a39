"""Guild bank versions, their articles, per-guild switches, and the answers analytics reads."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import BankArticleRow, GuildBankRow
from bot.db.repos import banks as bank_repo
from bot.db.repos import create_round

from ..helpers import CHANNEL, GUILD, OTHER_GUILD, STARTER, T0, load_round, play_question, played


async def store(session: AsyncSession, bank_id: str = "demo", **overrides: Any) -> bank_repo.StoredBankVersion:
    """Store a version of ``bank_id`` with simple texts, overridable."""
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "bank_id": bank_id,
        "title": "Demo",
        "question_count": 2,
        "yaml_text": "id: demo\n",
        "filename": "demo.yaml",
        "article_name": "article.txt",
        "article_text": "The article.",
        "uploaded_by": STARTER,
        "uploaded_at": T0,
    }
    values.update(overrides)
    return await bank_repo.store_version(session, **values)


async def count(session: AsyncSession, model: Any) -> int:
    """Rows in a table."""
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_versions_count_up_per_guild_and_bank(session: AsyncSession) -> None:
    """A bank's versions are 1, 2, 3...; another bank and another guild start at 1 of their own."""
    assert (await store(session)).version == 1
    assert (await store(session, yaml_text="id: demo\n# v2\n")).version == 2
    assert (await store(session, "other")).version == 1
    assert (await store(session, guild_id=OTHER_GUILD)).version == 1


async def test_latest_and_specific_versions_come_with_their_texts(session: AsyncSession) -> None:
    """The newest version is the live one; any version is read back with its YAML and article text."""
    await store(session, yaml_text="first", article_text="Old article.")
    await store(session, yaml_text="second", article_text="New article.", uploaded_at=T0 + timedelta(hours=1))
    await store(session, "other", guild_id=OTHER_GUILD, yaml_text="elsewhere")
    latest = await bank_repo.latest_versions(session, GUILD)
    assert [(v.bank_id, v.version, v.yaml_text, v.article_text) for v in latest] == [
        ("demo", 2, "second", "New article.")
    ]
    assert {(v.guild_id, v.bank_id) for v in await bank_repo.latest_versions(session)} == {
        (GUILD, "demo"),
        (OTHER_GUILD, "other"),
    }
    first = await bank_repo.get_version(session, GUILD, "demo", 1)
    assert first is not None and (first.yaml_text, first.article_text) == ("first", "Old article.")
    newest = await bank_repo.get_version(session, GUILD, "demo")
    assert newest is not None and newest.version == 2
    assert await bank_repo.get_version(session, GUILD, "demo", 3) is None
    assert await bank_repo.get_version(session, OTHER_GUILD, "demo") is None


async def test_history_is_newest_first_without_texts(session: AsyncSession) -> None:
    """History lists every version, newest first, leaving the texts out."""
    for n in range(3):
        await store(session, uploaded_at=T0 + timedelta(minutes=n), question_count=n + 1)
    versions = await bank_repo.history(session, GUILD, "demo")
    assert [(v.version, v.question_count) for v in versions] == [(3, 3), (2, 2), (1, 1)]
    assert all(v.yaml_text is None and v.article_text is None for v in versions)


async def test_articles_are_stored_once_and_found_by_name(session: AsyncSession) -> None:
    """The same article text is stored once however many versions use it; a guild finds it by name."""
    await store(session, article_text="Shared text.")
    await store(session, "second", article_text="Shared text.")
    await store(session, "third", article_name="other.txt", article_text="Other text.")
    assert await count(session, BankArticleRow) == 2
    assert await bank_repo.find_article(session, GUILD, "article.txt") == ("article.txt", "Shared text.")
    assert await bank_repo.find_article(session, GUILD, "missing.txt") is None
    assert await bank_repo.find_article(session, OTHER_GUILD, "article.txt") is None


async def test_delete_removes_every_version_and_unused_articles(session: AsyncSession) -> None:
    """Deleting a bank deletes its versions and switch, and the articles nothing else uses."""
    await store(session, article_text="Only mine.")
    await store(session, article_text="Shared.")
    await store(session, "keeper", article_text="Shared.")
    await bank_repo.set_disabled(session, GUILD, "demo", True, changed_by=STARTER, changed_at=T0)
    assert await bank_repo.delete_bank(session, GUILD, "demo") == 2
    assert await bank_repo.history(session, GUILD, "demo") == []
    assert await bank_repo.disabled_banks(session, GUILD) == {}
    texts = set((await session.execute(select(BankArticleRow.text))).scalars())
    assert texts == {"Shared."}
    assert await bank_repo.delete_bank(session, GUILD, "demo") == 0


async def test_switches_per_guild(session: AsyncSession) -> None:
    """Disabling returns the previous state; each guild has its own switches."""
    assert await bank_repo.set_disabled(session, GUILD, "shipped", True, changed_by=STARTER, changed_at=T0) is False
    assert await bank_repo.set_disabled(session, GUILD, "shipped", True, changed_by=STARTER, changed_at=T0) is True
    await bank_repo.set_disabled(session, OTHER_GUILD, "x", True, changed_by=STARTER, changed_at=T0)
    await bank_repo.set_disabled(session, OTHER_GUILD, "y", True, changed_by=STARTER, changed_at=T0)
    await bank_repo.set_disabled(session, OTHER_GUILD, "y", False, changed_by=STARTER, changed_at=T0)
    assert await bank_repo.disabled_banks(session) == {GUILD: {"shipped"}, OTHER_GUILD: {"x"}}
    assert await bank_repo.disabled_banks(session, GUILD) == {GUILD: {"shipped"}}


async def test_the_same_version_twice_is_refused(session: AsyncSession) -> None:
    """Two rows with the same guild, bank and version violate the unique constraint."""
    await store(session)
    session.add(
        GuildBankRow(
            guild_id=GUILD,
            bank_id="demo",
            version=1,
            title="Demo",
            question_count=1,
            yaml_text="x",
            filename="x.yaml",
            article_name="a.txt",
            article_id=bank_repo.article_id("The article."),
            uploaded_by=STARTER,
            uploaded_at=T0,
        )
    )
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_bank_activity_counts_asks_and_scored_answers(session: AsyncSession) -> None:
    """Asked counts opened round questions; answers are the scored ones, per guild unless all are asked for."""
    await play_question(session, {1: 900, 2: 0}, bank_id="demo")
    await play_question(session, {1: 0}, bank_id="demo", at=T0 + timedelta(minutes=1))
    await play_question(session, {3: 500}, bank_id="demo", guild_id=OTHER_GUILD, channel_id=CHANNEL + 1)
    await play_question(session, {1: 800}, bank_id="elsewhere", at=T0 + timedelta(minutes=2))
    activity = await bank_repo.bank_activity(session, GUILD, "demo")
    assert activity.asked == {"q1": 2}
    assert sorted((a.question_id, a.correct, a.elapsed_ms) for a in activity.answers) == [
        ("q1", False, 1500),
        ("q1", False, 1500),
        ("q1", True, 1500),
    ]
    everywhere = await bank_repo.bank_activity(session, None, "demo")
    assert everywhere.asked == {"q1": 3}
    assert len(everywhere.answers) == 4


async def test_guilds_with_bank(session: AsyncSession) -> None:
    """The guilds that uploaded a bank id, in order."""
    await store(session, guild_id=OTHER_GUILD)
    await store(session)
    await store(session, "alone")
    assert await bank_repo.guilds_with_bank(session, "demo") == [GUILD, OTHER_GUILD]
    assert await bank_repo.guilds_with_bank(session, "none") == []


async def test_rounds_record_bank_versions(session: AsyncSession) -> None:
    """A round stores the version of each bank it plays; rounds without any read back as empty."""
    recorded = await create_round(
        session,
        guild_id=GUILD,
        channel_id=CHANNEL,
        started_by=STARTER,
        seed=1,
        seconds=20,
        bank_ids=["bank", "shipped"],
        questions=played(1),
        started_at=T0,
        bank_versions={"bank": 3, "shipped": "sha256:abc"},
    )
    plain = await create_round(
        session,
        guild_id=GUILD,
        channel_id=CHANNEL + 1,
        started_by=STARTER,
        seed=1,
        seconds=20,
        bank_ids=["bank"],
        questions=played(1),
        started_at=T0,
    )
    await session.commit()
    again = await load_round(session, recorded.id)
    assert again is not None and dict(again.bank_versions) == {"bank": 3, "shipped": "sha256:abc"}
    old = await load_round(session, plain.id)
    assert old is not None and dict(old.bank_versions) == {}


async def test_two_uploads_racing_for_a_version_raise_version_taken(
    maker: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    """The second of two transactions that both chose version 1 gets VersionTaken, not a driver error."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer in at a time, so two uploads never choose the same version")
    async with maker.begin() as session:
        await store(session, "other")  # the guild row exists, so neither upload waits on creating it
    async with maker() as first, maker() as second:
        await first.begin()
        await second.begin()
        await store(first, article_text="One article.")
        # The second sees no committed version 1 yet, chooses it too, and waits on the unique index.
        racing = asyncio.create_task(store(second, article_text="Another article."))
        await asyncio.sleep(0.3)
        await first.commit()
        with pytest.raises(bank_repo.VersionTaken):
            await racing
        await second.rollback()
    async with maker() as session:
        assert [v.version for v in await bank_repo.history(session, GUILD, "demo")] == [1]
