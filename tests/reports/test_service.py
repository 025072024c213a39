"""The report service: one report per player and question version, fixes closing reports, the hold-back rule."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.models import QuestionReportRow
from bot.reports import WRONG_ANSWER, ReportService, held_back, question_version
from tests.quiz.helpers import make_bank

GUILD = 1
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def service(maker: async_sessionmaker[AsyncSession], library: BankLibrary) -> ReportService:
    """A report service on a fixed clock."""
    return ReportService(maker, library, lambda: T0)


async def rows(maker: async_sessionmaker[AsyncSession]) -> list[tuple[int, str, str, str]]:
    """Every stored report as (user, reason, note, status)."""
    async with maker() as session:
        found = await session.execute(
            select(
                QuestionReportRow.user_id, QuestionReportRow.reason, QuestionReportRow.note, QuestionReportRow.status
            )
        )
        return [tuple(row) for row in found]  # type: ignore[misc]


def test_a_questions_version_changes_with_what_players_see() -> None:
    """Rewording the prompt, a choice or the key changes the version; the tags do not."""
    question = make_bank().questions[0]
    assert question_version(question) == question_version(dataclasses.replace(question, tags=("x",)))
    for change in ({"prompt": "New?"}, {"answer": 1}, {"choices": ("a", "b", "c", "d")}):
        assert question_version(question) != question_version(dataclasses.replace(question, **change))


async def test_a_second_report_updates_the_first_and_notes_are_bounded(maker: async_sessionmaker[AsyncSession]) -> None:
    """The same player reporting the same question version again changes their report, not adds one."""
    bank = make_bank()
    reports = service(maker, BankLibrary([bank]))
    question = bank.questions[0]
    await reports.file(guild_id=GUILD, user_id=5, question=question, bank_version="h", reason="typo", note="x")
    await reports.file(guild_id=GUILD, user_id=5, question=question, bank_version="h", reason="other", note="y" * 999)
    [(user, reason, note, status)] = await rows(maker)
    assert (user, reason, status) == (5, "other", "open") and note == "y" * 300


async def test_a_changed_question_closes_its_reports_as_fixed(maker: async_sessionmaker[AsyncSession]) -> None:
    """The queue closes reports of a question whose content changed since, and keeps the others."""
    bank = make_bank()
    library = BankLibrary()
    library.put_guild_bank(GUILD, bank, 1)
    reports = service(maker, library)
    for question in bank.questions[:2]:
        await reports.file(guild_id=GUILD, user_id=5, question=question, bank_version=1, reason="typo", note="")
    reworded = dataclasses.replace(bank.questions[0], prompt="Fixed?")
    library.put_guild_bank(GUILD, dataclasses.replace(bank, questions=(reworded, *bank.questions[1:])), 2)
    queue = await reports.queue(GUILD)
    assert [entry.question_id for entry in queue] == ["q1"]
    assert sorted(status for *_, status in await rows(maker)) == ["fixed", "open"]


async def test_hold_back_counts_distinct_players_of_the_current_version(
    maker: async_sessionmaker[AsyncSession],
) -> None:
    """Two players' wrong-answer reports hold a question back at threshold 2; other reasons and 0 never do."""
    bank = make_bank()
    library = BankLibrary([bank])
    reports = service(maker, library)
    q0, q1 = bank.questions[0], bank.questions[1]
    first = await reports.file(guild_id=GUILD, user_id=5, question=q0, bank_version="h", reason=WRONG_ANSWER, note="")
    await reports.file(guild_id=GUILD, user_id=6, question=q1, bank_version="h", reason="typo", note="")
    await reports.file(guild_id=GUILD, user_id=7, question=q1, bank_version="h", reason="typo", note="")
    assert not first.held_now
    async with maker.begin() as session:
        settings = await repos.get_guild_settings(session, GUILD)
        await repos.update_guild_settings(session, dataclasses.replace(settings, report_hold_back=2))
    second = await reports.file(guild_id=GUILD, user_id=6, question=q0, bank_version="h", reason=WRONG_ANSWER, note="")
    assert second.held_now
    async with maker.begin() as session:
        assert await held_back(session, library, GUILD, 2) == {("bank", "q0")}
        assert await held_back(session, library, GUILD, 0) == set()
        assert await held_back(session, library, GUILD, 3) == set()
