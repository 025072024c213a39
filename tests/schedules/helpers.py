"""Builders for the schedule tests."""

from __future__ import annotations

from datetime import datetime


def wall(*args: int, fold: int = 0) -> datetime:
    """A naive local wall time, as rules and ``when`` work with (deliberately without a zone)."""
    return datetime(*args, fold=fold)  # noqa: DTZ001
