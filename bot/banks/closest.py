"""The article's sentence closest to a passage that was not found, at a bounded cost per check.

Scoring every sentence of a 1 MB article with a fuzzy alignment cost seconds per passage, and a bank may
miss a hundred. So the BM25 index (`bot.banks.suggest`) picks a few candidate sentences sharing the
passage's words, only those are aligned (each cut to a bounded length), and one check spends at most a
budget of time on suggestions: the passages past it are reported "not found" without one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rapidfuzz import fuzz

from bot.banks.passages import Article, Suggestion, normalise
from bot.banks.suggest import finder_for

#: Sentences the BM25 index proposes for each missing passage; only these are aligned.
MAX_CANDIDATES = 25
#: Characters of a passage and of a sentence that are aligned (the alignment costs their product).
MAX_ALIGNED = 600
#: Seconds one check may spend on suggestions, building the article's index included.
SUGGESTION_BUDGET = 3.0


class ClosestSentences:
    """Suggests the closest sentence for each missing passage of one check, until its budget is spent."""

    def __init__(
        self, article: Article, *, budget: float = SUGGESTION_BUDGET, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.article = article
        self.budget = budget
        self._clock = clock
        self._deadline: float | None = None
        #: Passages left without a suggestion because the budget was spent.
        self.skipped = 0

    @property
    def spent(self) -> bool:
        """True once the budget is used up: no more suggestions in this check."""
        return self._deadline is not None and self._clock() >= self._deadline

    def closest(self, passage: str) -> Suggestion | None:
        """The sentence most like ``passage``, or None (nothing shares its words, or the budget is spent)."""
        if self._deadline is None:
            self._deadline = self._clock() + self.budget
        elif self.spent:
            self.skipped += 1
            return None
        needle = normalise(passage)[:MAX_ALIGNED]
        if not needle:
            return None
        finder = finder_for(self.article)
        best: Suggestion | None = None
        for index, relevance in finder.ranked(passage, MAX_CANDIDATES):
            if relevance <= 0:
                break  # ranked best first: the rest share no word with the passage
            sentence = finder.sentences[index]
            folded = normalise(sentence.text)[:MAX_ALIGNED]
            # Scaled down when the sentence is much shorter than the passage, so that a short heading
            # that happens to appear inside the passage does not outrank the sentence it came from.
            coverage = min(1.0, len(folded) / len(needle))
            score = fuzz.partial_ratio(needle, folded) * coverage**0.5
            if best is None or score > best.score:
                best = Suggestion(sentence.paragraph, sentence.text, score)
        return best
