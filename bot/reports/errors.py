"""The reports' refusals; their words are in ``bot/exts/_common/errors.py``."""

from __future__ import annotations

from datetime import datetime

from bot.quiz import QuizError


class ReportRateLimited(QuizError):
    """The player filed too many reports lately; they may report again at ``retry_at``."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__("too many reports lately")
        self.retry_at = retry_at


class NoOpenReports(QuizError):
    """The question has no open report to resolve or dismiss."""

    def __init__(self, bank_id: str, question_id: str) -> None:
        super().__init__(f"no open reports of {bank_id}/{question_id}")
        self.bank_id = bank_id
        self.question_id = question_id


class UnknownReason(QuizError):
    """A report reason that is not one of ``REASONS`` (a forged form)."""
