"""The closest-sentence hint for a missing passage has a bounded cost: few candidates, bounded lengths,
and a budget per check after which passages are reported "not found" without a hint."""

from __future__ import annotations

import random
import time

import pytest

from bench.worst_upload import article_text, bank_text
from bot.banks import BankError
from bot.banks import closest as closest_module
from bot.banks.closest import MAX_ALIGNED, MAX_CANDIDATES, ClosestSentences
from bot.banks.loader import parse_bank_text
from bot.banks.passages import Article
from bot.banks.suggest import blank_passage_hints

from .helpers import EXCERPT


def test_a_misquoted_passage_gets_its_sentence() -> None:
    """A passage with one word changed is matched to the sentence it was taken from."""
    article = Article(EXCERPT.read_text(encoding="utf-8"))
    best = ClosestSentences(article).closest("In 1994, after more than 30,000 deaths, Russia brokered a ceasefire.")
    assert best is not None
    assert best.sentence == "In 1994, after more than 30,000 casualties, Russia brokered a ceasefire."


def test_only_a_few_candidates_are_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    """However big the article, each passage is aligned against at most MAX_CANDIDATES bounded sentences."""
    article = Article(article_text(random.Random(3))[:200_000])
    calls: list[tuple[int, int]] = []

    def counting(needle: str, sentence: str) -> float:
        calls.append((len(needle), len(sentence)))
        return 50.0

    monkeypatch.setattr(closest_module.fuzz, "partial_ratio", counting)
    ClosestSentences(article).closest("Russia Armenia Azerbaijan " * 100)
    assert 0 < len(calls) <= MAX_CANDIDATES
    assert all(needle <= MAX_ALIGNED and sentence <= MAX_ALIGNED for needle, sentence in calls)


def test_past_the_budget_passages_get_no_hint() -> None:
    """Once a check's suggestion budget is spent, the remaining missing passages are plain "not found"."""
    ticks = iter(range(100))
    finder = ClosestSentences(Article(EXCERPT.read_text(encoding="utf-8")), budget=2.5, clock=lambda: next(ticks))
    found = [finder.closest("Russia brokered a ceasefire in the Caucasus") for _ in range(5)]
    assert [hint is not None for hint in found] == [True, True, True, False, False]
    assert finder.skipped == 2


def test_worst_upload_is_checked_within_budget() -> None:
    """A 1 MB article with 100 missing passages is checked in seconds (it took about a minute before)."""
    rng = random.Random(20261129)
    article, bank = article_text(rng), bank_text(rng)
    started = time.perf_counter()
    with pytest.raises(BankError) as caught:
        parse_bank_text(bank, name="worst.yaml", article_text=article)
    elapsed = time.perf_counter() - started
    assert len(caught.value.issues) == 100
    assert elapsed < 20, f"took {elapsed:.1f} s"


def test_blank_passage_hints_are_capped() -> None:
    """A bank with many blank passages gets hints for the first few only, within a budget."""
    article = Article(EXCERPT.read_text(encoding="utf-8"))
    questions = [{"prompt": "Who brokered the ceasefire?", "answer": "Russia", "passage": ""}] * 50
    assert len(blank_passage_hints(questions, article, limit=7)) == 7
    assert len(blank_passage_hints(questions, article, budget=0)) == 0
