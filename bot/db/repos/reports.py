"""Players' reports of questions: filed or updated once per player and question version, closed by authors."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuestionReportRow, ReportStatus, RoundQuestionRow, RoundRow
from bot.db.repos._sql import rowcount, table, upsert


@dataclass(frozen=True, slots=True)
class NewReport:
    """A report as a player files it."""

    guild_id: int
    user_id: int
    bank_id: str
    bank_version: str
    question_id: str
    question_version: str
    reason: str
    note: str


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A stored report: the report as filed, and where it stands."""

    id: int
    report: NewReport
    status: str
    updated_at: datetime


async def file_report(session: AsyncSession, report: NewReport, at: datetime) -> None:
    """Store the report, or update the player's earlier report of the same question version (reopening it)."""
    reports = table(QuestionReportRow)
    statement = upsert(session, reports).values(
        guild_id=report.guild_id,
        user_id=report.user_id,
        bank_id=report.bank_id,
        bank_version=report.bank_version,
        question_id=report.question_id,
        question_version=report.question_version,
        reason=report.reason,
        note=report.note,
        status=ReportStatus.OPEN.value,
        created_at=at,
        updated_at=at,
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id", "bank_id", "question_id", "question_version"],
        set_={
            "reason": excluded.reason,
            "note": excluded.note,
            "bank_version": excluded.bank_version,
            "status": excluded.status,
            "updated_at": excluded.updated_at,
            "closed_by": None,
            "closed_at": None,
        },
    )
    await session.execute(statement)


async def reports_since(session: AsyncSession, guild_id: int, user_id: int, since: datetime) -> list[datetime]:
    """When the player filed (or updated) each of their reports since ``since``, oldest first."""
    reports = table(QuestionReportRow)
    query = (
        select(reports.c.updated_at)
        .where(reports.c.guild_id == guild_id, reports.c.user_id == user_id, reports.c.updated_at > since)
        .order_by(reports.c.updated_at)
    )
    return list((await session.execute(query)).scalars())


async def open_reports(session: AsyncSession, guild_id: int | None, bank_id: str | None = None) -> list[StoredReport]:
    """Open reports of a guild (None: every guild), of one bank or all, oldest first."""
    reports = table(QuestionReportRow)
    query = select(reports).where(reports.c.status == ReportStatus.OPEN.value)
    if guild_id is not None:
        query = query.where(reports.c.guild_id == guild_id)
    if bank_id is not None:
        query = query.where(reports.c.bank_id == bank_id)
    return [_report(r) for r in await session.execute(query.order_by(reports.c.updated_at, reports.c.id))]


async def player_reports(session: AsyncSession, guild_id: int, user_id: int, limit: int) -> list[StoredReport]:
    """The player's reports in the guild, the most recently filed or changed first."""
    reports = table(QuestionReportRow)
    query = (
        select(reports)
        .where(reports.c.guild_id == guild_id, reports.c.user_id == user_id)
        .order_by(func.coalesce(reports.c.closed_at, reports.c.updated_at).desc(), reports.c.id.desc())
        .limit(limit)
    )
    return [_report(r) for r in await session.execute(query)]


async def close_reports(
    session: AsyncSession,
    guild_id: int,
    bank_id: str,
    question_id: str,
    status: ReportStatus,
    at: datetime,
    *,
    by: int | None = None,
    except_version: str | None = None,
) -> int:
    """Close a question's open reports (but those of ``except_version``); returns how many closed."""
    reports = table(QuestionReportRow)
    statement = update(reports).where(
        reports.c.guild_id == guild_id,
        reports.c.bank_id == bank_id,
        reports.c.question_id == question_id,
        reports.c.status == ReportStatus.OPEN.value,
    )
    if except_version is not None:
        statement = statement.where(reports.c.question_version != except_version)
    return await rowcount(session, statement.values(status=status.value, closed_by=by, closed_at=at))


async def report_counts(
    session: AsyncSession, bank_id: str, guild_ids: Collection[int] | None = None
) -> dict[str, tuple[int, int]]:
    """Per question of a bank: (open reports, all reports), in the given guilds or everywhere."""
    reports = table(QuestionReportRow)
    query = (
        select(
            reports.c.question_id,
            func.count().filter(reports.c.status == ReportStatus.OPEN.value),
            func.count(),
        )
        .where(reports.c.bank_id == bank_id)
        .group_by(reports.c.question_id)
    )
    if guild_ids is not None:
        query = query.where(reports.c.guild_id.in_(list(guild_ids)))
    return {row[0]: (int(row[1]), int(row[2])) for row in await session.execute(query)}


async def reported_wrong(
    session: AsyncSession, guild_id: int, reason: str, threshold: int
) -> list[tuple[str, str, str]]:
    """(bank, question, question version) with open ``reason`` reports from at least ``threshold`` players."""
    reports = table(QuestionReportRow)
    query = (
        select(reports.c.bank_id, reports.c.question_id, reports.c.question_version)
        .where(
            reports.c.guild_id == guild_id,
            reports.c.status == ReportStatus.OPEN.value,
            reports.c.reason == reason,
        )
        .group_by(reports.c.bank_id, reports.c.question_id, reports.c.question_version)
        .having(func.count(reports.c.user_id.distinct()) >= threshold)
    )
    return [(r[0], r[1], r[2]) for r in await session.execute(query)]


def _report(row: Any) -> StoredReport:
    return StoredReport(
        int(row.id),
        NewReport(
            int(row.guild_id),
            int(row.user_id),
            row.bank_id,
            row.bank_version,
            row.question_id,
            row.question_version,
            row.reason,
            row.note,
        ),
        row.status,
        row.updated_at,
    )


async def played_question(session: AsyncSession, round_question_id: int) -> tuple[int, str, str, Any] | None:
    """A round question's guild, bank, question id and the bank version its round played; None if unknown."""
    questions, rounds = table(RoundQuestionRow), table(RoundRow)
    query = (
        select(rounds.c.guild_id, questions.c.bank_id, questions.c.question_id, rounds.c.bank_versions)
        .join(rounds, rounds.c.id == questions.c.round_id)
        .where(questions.c.id == round_question_id)
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        return None
    versions = row.bank_versions or {}
    return int(row.guild_id), row.bank_id, row.question_id, versions.get(row.bank_id)
