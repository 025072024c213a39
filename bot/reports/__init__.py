"""Players' reports of questions and the authors' queue of them, with no Discord in sight."""

from bot.reports.errors import NoOpenReports, ReportRateLimited
from bot.reports.reasons import REASONS, WRONG_ANSWER, reason_label
from bot.reports.service import Filed, QueueEntry, ReportService, held_back, question_version

__all__ = [
    "REASONS",
    "WRONG_ANSWER",
    "Filed",
    "NoOpenReports",
    "QueueEntry",
    "ReportRateLimited",
    "ReportService",
    "held_back",
    "question_version",
    "reason_label",
]
