"""The error every schedule parser raises: its message is shown to the moderator as is."""

from __future__ import annotations

from bot.quiz import QuizError


class ScheduleError(QuizError):
    """Input for a schedule that cannot be used; the message says why and shows an example that works."""
