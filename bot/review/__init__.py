"""Spaced review of answered questions: the rating rule and FSRS scheduling, with no Discord in sight."""

from bot.review.rating import FAST_SHARE, SLOW_SHARE, Rating, rate
from bot.review.scheduler import CardState, retention, schedule

__all__ = ["FAST_SHARE", "SLOW_SHARE", "CardState", "Rating", "rate", "retention", "schedule"]
