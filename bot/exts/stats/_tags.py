"""A player's record per tag, and which tags they are strongest and weakest in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.banks.errors import UnknownBank
from bot.banks.library import BankLibrary
from bot.db.repos import QuestionStat

MIN_ANSWERS = 3  # fewer answers say little about a tag
SHOWN = 3


@dataclass(frozen=True, slots=True)
class TagRecord:
    """How often a player answered questions with one tag, and how often correctly."""

    tag: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        """The share of right answers."""
        return self.correct / self.answered if self.answered else 0.0


def tag_records(
    per_question: Iterable[QuestionStat], library: BankLibrary, guild_id: int | None = None
) -> list[TagRecord]:
    """Per-question counts summed per tag, sorted by tag; questions no longer loaded are skipped."""
    totals: dict[str, tuple[int, int]] = {}
    for stat in per_question:
        try:
            tags = library.question(stat.bank_id, stat.question_id, guild_id).tags
        except (UnknownBank, KeyError):
            continue
        for tag in dict.fromkeys(tags):
            answered, correct = totals.get(tag, (0, 0))
            totals[tag] = (answered + stat.answered, correct + stat.correct)
    return [TagRecord(tag, answered, correct) for tag, (answered, correct) in sorted(totals.items())]


def strongest_and_weakest(
    records: Iterable[TagRecord], *, min_answers: int = MIN_ANSWERS, shown: int = SHOWN
) -> tuple[list[TagRecord], list[TagRecord]]:
    """The best and worst tags by accuracy among those with at least ``min_answers`` answers.

    A tag is never in both lists: with few ranked tags the strongest get the larger half
    (one ranked tag is only "strongest"). Ties go to the tag with more answers, then by name.
    A weakest tag is strictly below every strongest one: at the same share as a strongest tag it
    is as strong, so calling it weak would contradict the other list.
    """
    ranked = [record for record in records if record.answered >= min_answers]
    strong_count = min(shown, (len(ranked) + 1) // 2)
    weak_count = min(shown, len(ranked) // 2)
    strongest = sorted(ranked, key=lambda r: (-r.accuracy, -r.answered, r.tag))[:strong_count]
    floor = min((record.accuracy for record in strongest), default=0.0)
    rest = [record for record in ranked if record not in strongest and record.accuracy < floor]
    weakest = sorted(rest, key=lambda r: (r.accuracy, -r.answered, r.tag))[:weak_count]
    return strongest, weakest
