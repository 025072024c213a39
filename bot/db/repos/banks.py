"""Guild question banks: uploaded versions (kept, never overwritten), their articles, per-guild switches,
and the answers an author's analytics are computed from.

A guild's bank is a list of versions numbered from 1; the newest is the one played. Each version keeps the
YAML exactly as uploaded and points at the article text it was checked against (stored once per distinct
text, by SHA-256). ``guild_bank_flags`` holds a guild's "disabled" switch for any bank, shipped or uploaded.

The records (`StoredBankVersion`) and the race error (`VersionTaken`) are the bank service's
(``bot.banks.store``); ``bot.db.bank_store`` serves these functions to it, one transaction at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.banks.store import StoredBankVersion, VersionTaken
from bot.db.models import (
    AnswerRow,
    BankArticleRow,
    GuildBankFlagRow,
    GuildBankRow,
    RoundKind,
    RoundQuestionRow,
    RoundRow,
)
from bot.db.repos._sql import rowcount, table, upsert
from bot.db.repos.guilds import ensure_guild


@dataclass(frozen=True, slots=True)
class AnswerFact:
    """One scored answer to a bank's question, as analytics needs it."""

    question_id: str
    choice_index: int
    correct: bool
    elapsed_ms: int


@dataclass(frozen=True, slots=True)
class BankActivity:
    """How often each question of a bank was asked in a guild, and every scored answer to them."""

    asked: dict[str, int]
    answers: list[AnswerFact]


def article_id(text: str) -> str:
    """The id an article text is stored under: its SHA-256 in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version(row: Row[Any], *, texts: bool) -> StoredBankVersion:
    return StoredBankVersion(
        guild_id=row.guild_id,
        bank_id=row.bank_id,
        version=row.version,
        title=row.title,
        question_count=row.question_count,
        filename=row.filename,
        article_name=row.article_name,
        article_id=row.article_id,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
        yaml_text=row.yaml_text if texts else None,
        article_text=row.text if texts else None,
    )


def _with_texts() -> Select[Any]:
    banks, articles = table(GuildBankRow), table(BankArticleRow)
    return select(banks, articles.c.text).join(articles, articles.c.id == banks.c.article_id)


def _without_texts() -> Select[Any]:
    banks = table(GuildBankRow)
    return select(*(column for column in banks.c if column.name != "yaml_text"))


async def store_version(
    session: AsyncSession,
    *,
    guild_id: int,
    bank_id: str,
    title: str,
    question_count: int,
    yaml_text: str,
    filename: str,
    article_name: str,
    article_text: str,
    uploaded_by: int,
    uploaded_at: datetime,
) -> StoredBankVersion:
    """Store a new version of a guild's bank (1 for a new bank) with its article; returns it without texts.

    Two uploads of the same bank racing each other make the second violate the unique
    (guild, bank, version) constraint: it raises `VersionTaken`, and its transaction must be rolled back.
    """
    await ensure_guild(session, guild_id)
    articles = table(BankArticleRow)
    key = article_id(article_text)
    await session.execute(
        upsert(session, articles)
        .values(id=key, text=article_text, created_at=uploaded_at)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    banks = table(GuildBankRow)
    latest = (
        await session.execute(
            select(func.max(banks.c.version)).where(banks.c.guild_id == guild_id, banks.c.bank_id == bank_id)
        )
    ).scalar_one()
    stored = StoredBankVersion(
        guild_id=guild_id,
        bank_id=bank_id,
        version=(latest or 0) + 1,
        title=title,
        question_count=question_count,
        filename=filename,
        article_name=article_name,
        article_id=key,
        uploaded_by=uploaded_by,
        uploaded_at=uploaded_at,
    )
    values = {name: getattr(stored, name) for name in stored.__slots__ if name not in ("yaml_text", "article_text")}
    try:
        await session.execute(banks.insert().values(yaml_text=yaml_text, **values))
    except IntegrityError:
        raise VersionTaken(bank_id, stored.version) from None
    return stored


async def latest_versions(session: AsyncSession, guild_id: int | None = None) -> list[StoredBankVersion]:
    """The newest version of every uploaded bank (of one guild, or of all), with its YAML and article."""
    banks = table(GuildBankRow)
    newest = (
        select(banks.c.guild_id, banks.c.bank_id, func.max(banks.c.version).label("version"))
        .group_by(banks.c.guild_id, banks.c.bank_id)
        .subquery()
    )
    query = _with_texts().join(
        newest,
        and_(
            newest.c.guild_id == banks.c.guild_id,
            newest.c.bank_id == banks.c.bank_id,
            newest.c.version == banks.c.version,
        ),
    )
    if guild_id is not None:
        query = query.where(banks.c.guild_id == guild_id)
    rows = (await session.execute(query.order_by(banks.c.guild_id, banks.c.bank_id))).all()
    return [_version(row, texts=True) for row in rows]


async def get_version(
    session: AsyncSession, guild_id: int, bank_id: str, version: int | None = None
) -> StoredBankVersion | None:
    """One version of a guild's bank (the newest if ``version`` is None), with its YAML and article; or None."""
    banks = table(GuildBankRow)
    query = _with_texts().where(banks.c.guild_id == guild_id, banks.c.bank_id == bank_id)
    if version is not None:
        query = query.where(banks.c.version == version)
    row = (await session.execute(query.order_by(banks.c.version.desc()).limit(1))).one_or_none()
    return None if row is None else _version(row, texts=True)


async def history(session: AsyncSession, guild_id: int, bank_id: str) -> list[StoredBankVersion]:
    """Every version of a guild's bank, newest first, without the texts."""
    banks = table(GuildBankRow)
    query = (
        _without_texts()
        .where(banks.c.guild_id == guild_id, banks.c.bank_id == bank_id)
        .order_by(banks.c.version.desc())
    )
    return [_version(row, texts=False) for row in (await session.execute(query)).all()]


async def find_article(session: AsyncSession, guild_id: int, name: str) -> tuple[str, str] | None:
    """The (name, text) of the article a bank of this guild uploaded as ``name`` most recently, or None."""
    banks, articles = table(GuildBankRow), table(BankArticleRow)
    row = (
        await session.execute(
            select(banks.c.article_name, articles.c.text)
            .join(articles, articles.c.id == banks.c.article_id)
            .where(banks.c.guild_id == guild_id, banks.c.article_name == name)
            .order_by(banks.c.uploaded_at.desc(), banks.c.id.desc())
            .limit(1)
        )
    ).one_or_none()
    return None if row is None else (row.article_name, row.text)


async def delete_bank(session: AsyncSession, guild_id: int, bank_id: str) -> int:
    """Delete every version of a guild's bank and its switch; returns how many versions were deleted.

    Articles no other version uses are deleted with it.
    """
    banks, flags, articles = table(GuildBankRow), table(GuildBankFlagRow), table(BankArticleRow)
    deleted = await rowcount(session, delete(banks).where(banks.c.guild_id == guild_id, banks.c.bank_id == bank_id))
    await session.execute(delete(flags).where(flags.c.guild_id == guild_id, flags.c.bank_id == bank_id))
    await session.execute(delete(articles).where(articles.c.id.not_in(select(banks.c.article_id).distinct())))
    return deleted


async def set_disabled(
    session: AsyncSession, guild_id: int, bank_id: str, disabled: bool, *, changed_by: int, changed_at: datetime
) -> bool:
    """Switch a bank off (or back on) in a guild; returns whether it was disabled before."""
    await ensure_guild(session, guild_id)
    flags = table(GuildBankFlagRow)
    before = (
        await session.execute(select(flags.c.disabled).where(flags.c.guild_id == guild_id, flags.c.bank_id == bank_id))
    ).scalar_one_or_none()
    values = {"disabled": disabled, "changed_by": changed_by, "changed_at": changed_at}
    await session.execute(
        upsert(session, flags)
        .values(guild_id=guild_id, bank_id=bank_id, **values)
        .on_conflict_do_update(index_elements=["guild_id", "bank_id"], set_=values)
    )
    return bool(before)


async def disabled_banks(session: AsyncSession, guild_id: int | None = None) -> dict[int, set[str]]:
    """The banks each guild (or one guild) has switched off, by guild id."""
    flags = table(GuildBankFlagRow)
    query = select(flags.c.guild_id, flags.c.bank_id).where(flags.c.disabled.is_(True))
    if guild_id is not None:
        query = query.where(flags.c.guild_id == guild_id)
    found: dict[int, set[str]] = {}
    for row in (await session.execute(query)).all():
        found.setdefault(row.guild_id, set()).add(row.bank_id)
    return found


async def bank_activity(session: AsyncSession, guild_id: int | None, bank_id: str) -> BankActivity:
    """How often each of a bank's questions was shown in channel rounds (of one guild, or all), and the answers."""
    rounds, questions, answers = table(RoundRow), table(RoundQuestionRow), table(AnswerRow)
    asked_query = (
        select(questions.c.question_id, func.count().label("asked"))
        .join(rounds, rounds.c.id == questions.c.round_id)
        .where(
            rounds.c.kind == RoundKind.CHANNEL.value,
            questions.c.bank_id == bank_id,
            questions.c.opened_at.is_not(None),
        )
        .group_by(questions.c.question_id)
    )
    answer_query = (
        select(answers.c.question_id, answers.c.choice_index, answers.c.correct, answers.c.elapsed_ms)
        .where(answers.c.bank_id == bank_id, answers.c.correct.is_not(None))
        .order_by(answers.c.id)
    )
    if guild_id is not None:
        asked_query = asked_query.where(rounds.c.guild_id == guild_id)
        answer_query = answer_query.where(answers.c.guild_id == guild_id)
    asked_rows = (await session.execute(asked_query)).all()
    answer_rows = (await session.execute(answer_query)).all()
    return BankActivity(
        asked={row.question_id: int(row.asked) for row in asked_rows},
        answers=[AnswerFact(r.question_id, r.choice_index, bool(r.correct), r.elapsed_ms) for r in answer_rows],
    )


async def guilds_with_bank(session: AsyncSession, bank_id: str) -> list[int]:
    """The guilds that uploaded a bank with this id."""
    banks = table(GuildBankRow)
    query = select(banks.c.guild_id).where(banks.c.bank_id == bank_id).distinct().order_by(banks.c.guild_id)
    return list((await session.execute(query)).scalars())
