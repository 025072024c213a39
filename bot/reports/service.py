"""Filing reports (one per player and question version, rate-limited), the authors' queue, and held-back questions.

A question's version is a hash of what players see of it: a new bank version that changes the question
changes its version, and the queue closes the reports of the old one as fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.errors import UnknownBank
from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.models import REPORT_NOTE_LENGTH, ReportStatus
from bot.db.repos import reports as repo
from bot.quiz import Question
from bot.reports.errors import NoOpenReports, ReportRateLimited, UnknownReason
from bot.reports.reasons import REASONS, WRONG_ANSWER

Clock = Callable[[], datetime]
#: A player may file (or update) this many reports per window.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)
NOTE_LENGTH = REPORT_NOTE_LENGTH
#: The queue shows this many notes per question, the newest.
NOTES_SHOWN = 3


def question_version(question: Question) -> str:
    """A short hash of the question as players see it: prompt, choices, key, explanation and passage."""
    content = [question.prompt, list(question.choices), question.answer, question.explanation, question.passage]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Filed:
    """A stored report, and whether it just pushed its question over the guild's hold-back threshold."""

    held_now: bool


@dataclass(slots=True)
class QueueEntry:
    """One reported question in the authors' queue."""

    bank_id: str
    question_id: str
    prompt: str
    reasons: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    held: bool = False

    @property
    def count(self) -> int:
        """How many open reports the question has."""
        return sum(self.reasons.values())


class ReportService:
    """Reports of questions; each call is one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock) -> None:
        self._sessions = sessions
        self._library = library
        self._clock = clock

    def _current(self, guild_id: int, bank_id: str, question_id: str) -> Question | None:
        try:
            return self._library.question(bank_id, question_id, guild_id)
        except (UnknownBank, KeyError):
            return None

    async def file(
        self,
        *,
        guild_id: int,
        user_id: int,
        question: Question,
        bank_version: int | str,
        reason: str,
        note: str,
    ) -> Filed:
        """Store a player's report of ``question`` as it was played; raises ReportRateLimited or UnknownReason."""
        if reason not in REASONS:
            raise UnknownReason(f"unknown reason {reason!r}")
        now = self._clock()
        version = question_version(question)
        async with self._sessions.begin() as session:
            recent = await repo.reports_since(session, guild_id, user_id, now - RATE_WINDOW)
            if len(recent) >= RATE_LIMIT:
                raise ReportRateLimited(recent[-RATE_LIMIT] + RATE_WINDOW)
            before = await self._held(session, guild_id)
            await repo.file_report(
                session,
                repo.NewReport(
                    guild_id,
                    user_id,
                    question.bank_id,
                    str(bank_version),
                    question.id,
                    version,
                    reason,
                    note.strip()[:NOTE_LENGTH],
                ),
                now,
            )
            after = await self._held(session, guild_id)
        key = (question.bank_id, question.id)
        return Filed(held_now=key in after and key not in before)

    async def _held(self, session: AsyncSession, guild_id: int) -> set[tuple[str, str]]:
        settings = await repos.get_guild_settings(session, guild_id)
        return await held_back(session, self._library, guild_id, settings.report_hold_back)

    async def queue(self, guild_id: int, bank_id: str | None = None) -> list[QueueEntry]:
        """The guild's reported questions, most open reports first; reports of changed questions close as fixed."""
        now = self._clock()
        async with self._sessions.begin() as session:
            found = await repo.open_reports(session, guild_id, bank_id)
            fixed = await self._close_fixed(session, guild_id, found, now)
            held = await self._held(session, guild_id)
        entries: dict[tuple[str, str], QueueEntry] = {}
        for report in (stored.report for stored in reversed(found)):  # newest first: the notes kept are the newest
            key = (report.bank_id, report.question_id)
            if key in fixed:
                continue
            question = self._current(guild_id, *key)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = QueueEntry(*key, question.prompt if question else "", held=key in held)
            entry.reasons[report.reason] += 1
            if report.note and len(entry.notes) < NOTES_SHOWN:
                entry.notes.append(report.note)
        return sorted(entries.values(), key=lambda e: (-e.count, e.bank_id, e.question_id))

    async def _close_fixed(
        self, session: AsyncSession, guild_id: int, found: list[repo.StoredReport], now: datetime
    ) -> set[tuple[str, str]]:
        """Close as fixed the reports whose question changed (or went) since; returns the questions left with none."""
        emptied: set[tuple[str, str]] = set()
        by_question: dict[tuple[str, str], set[str]] = {}
        for report in (stored.report for stored in found):
            by_question.setdefault((report.bank_id, report.question_id), set()).add(report.question_version)
        for (bank_id, question_id), versions in by_question.items():
            question = self._current(guild_id, bank_id, question_id)
            current = None if question is None else question_version(question)
            if versions - {current}:
                await repo.close_reports(
                    session, guild_id, bank_id, question_id, ReportStatus.FIXED, now, except_version=current
                )
            if current not in versions:
                emptied.add((bank_id, question_id))
        return emptied

    async def played(self, round_question_id: int) -> tuple[int, Question, int | str] | None:
        """A channel round's question as it was played (guild, question, bank version); None if gone."""
        async with self._sessions.begin() as session:
            found = await repo.played_question(session, round_question_id)
        if found is None:
            return None
        guild_id, bank_id, question_id, version = found
        try:
            bank = self._library.at_version(bank_id, guild_id, version)
        except UnknownBank:
            # The round's version is no longer held (the round ended, a newer one is live): report the live one.
            version = None
        try:
            if version is None:
                bank, version = self._library.get(bank_id, guild_id), self._library.version(bank_id, guild_id)
            return guild_id, bank.question(question_id), version
        except (UnknownBank, KeyError):
            return None

    def current(self, guild_id: int, question: Question) -> tuple[Question, int | str]:
        """The question and bank version a private round (practice, review) plays now."""
        return question, self._library.version(question.bank_id, guild_id)

    async def mine(self, guild_id: int, user_id: int, limit: int = 10) -> list[repo.StoredReport]:
        """The player's latest reports here, with what became of them."""
        async with self._sessions.begin() as session:
            return await repo.player_reports(session, guild_id, user_id, limit)

    async def counts(self, guild_id: int, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question of a bank in this guild: (open reports, all reports)."""
        async with self._sessions.begin() as session:
            return await repo.report_counts(session, bank_id, [guild_id])

    async def close(self, guild_id: int, bank_id: str, question_id: str, status: ReportStatus, by: int) -> int:
        """Resolve or dismiss a question's open reports; raises NoOpenReports if it has none."""
        async with self._sessions.begin() as session:
            closed = await repo.close_reports(session, guild_id, bank_id, question_id, status, self._clock(), by=by)
        if not closed:
            raise NoOpenReports(bank_id, question_id)
        return closed


async def held_back(session: AsyncSession, library: BankLibrary, guild_id: int, threshold: int) -> set[tuple[str, str]]:
    """The (bank, question) pairs a guild's rounds leave out: enough "wrong answer" reports of their current version."""
    if threshold <= 0:
        return set()
    held = set()
    for bank_id, question_id, version in await repo.reported_wrong(session, guild_id, WRONG_ANSWER, threshold):
        try:
            question = library.question(bank_id, question_id, guild_id)
        except (UnknownBank, KeyError):
            continue
        if question_version(question) == version:
            held.add((bank_id, question_id))
    return held
