"""How often `quizbot suggest` proposes the author's own passage, on the shipped bank.

Run: ``.venv/bin/python bench/suggest_recall.py [BANK]`` (default: questions/south-caucasus-russia.yaml).

For every question, its passage is blanked and the article's sentences are ranked against the question;
a suggestion is a hit when it is a sentence holding (part of) the author's passage. recall@1 counts the
questions whose top suggestion is a hit, recall@3 those with a hit among the top three. Each ranker is
measured with two queries: the prompt and correct answer, and those plus the explanation. ``bm25s`` is
measured too when it is installed, as a check on our own BM25.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.banks.loader import ArticleFiles
from bot.banks.model import BankModel
from bot.banks.passages import Article
from bot.banks.suggest import RANKERS, PassageFinder, hits, question_query, split_sentences, terms
from bot.banks.yaml_source import read_yaml

BANK = Path(__file__).parents[1] / "questions" / "south-caucasus-russia.yaml"
QUERIES = ("prompt+answer", "prompt+answer+explanation")

#: Ranks the article's sentence indexes for a query, best first.
Rank = Callable[[str], Sequence[int]]


@dataclass(frozen=True, slots=True)
class Case:
    """One question: the two queries, and the sentences that hold its passage."""

    question_id: str
    queries: dict[str, str]
    targets: frozenset[int]


@dataclass(frozen=True, slots=True)
class Result:
    """recall@1 and recall@3 of one ranker with one query, over ``total`` questions."""

    ranker: str
    query: str
    at1: int
    at3: int
    total: int
    misses: tuple[str, ...]

    @property
    def recall1(self) -> float:
        """Share of questions whose top suggestion holds the passage."""
        return self.at1 / self.total

    @property
    def recall3(self) -> float:
        """Share of questions with the passage among the top three suggestions."""
        return self.at3 / self.total


def load_cases(bank_path: Path) -> tuple[Article, list[Case]]:
    """The bank's article and one `Case` per question (questions whose passage is not found are left out)."""
    model = BankModel.model_validate(read_yaml(bank_path.read_bytes()).data)
    article = ArticleFiles().get(bank_path.parent, model.source.path)
    sentences = split_sentences(article)
    cases: list[Case] = []
    for question in model.questions:
        targets = hits(sentences, article, question.passage)
        if not targets:
            continue
        queries = {
            QUERIES[0]: question_query(question.prompt, question.answer),
            QUERIES[1]: question_query(question.prompt, question.answer, question.explanation),
        }
        cases.append(Case(question.id, queries, frozenset(targets)))
    return article, cases


def measure(name: str, rank: Rank, cases: Sequence[Case], query: str) -> Result:
    """recall@1 and recall@3 of ``rank`` over the cases, querying with ``query``."""
    at1 = at3 = 0
    misses: list[str] = []
    for case in cases:
        top = list(rank(case.queries[query]))[:3]
        if top and top[0] in case.targets:
            at1 += 1
        else:
            misses.append(case.question_id)
        if case.targets.intersection(top):
            at3 += 1
    return Result(name, query, at1, at3, len(cases), tuple(misses))


def _top3(finder: PassageFinder) -> Rank:
    def rank(query: str) -> list[int]:
        return [index for index, _ in finder.ranked(query, 3)]

    return rank


def rankers(article: Article) -> dict[str, Rank]:
    """Every ranker to compare: ours, and bm25s's when it is installed."""
    found: dict[str, Rank] = {}
    for ranker in RANKERS:
        found[ranker] = _top3(PassageFinder(article, ranker=ranker))
    bm25s_rank = _bm25s(article)
    if bm25s_rank is not None:
        found["bm25s (library)"] = bm25s_rank
    return found


def _bm25s(article: Article) -> Rank | None:
    try:
        import bm25s  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    sentences = split_sentences(article)
    retriever: Any = bm25s.BM25()
    # The same tokens as our BM25, so the comparison is of the scoring, not of the tokenising.
    retriever.index([terms(sentence.text) for sentence in sentences], show_progress=False)

    def rank(query: str) -> list[int]:
        words = terms(query)
        if not words:
            return []
        documents, _ = retriever.retrieve([words], k=3, show_progress=False)
        return [int(index) for index in documents[0]]

    return rank


def main(argv: Sequence[str] | None = None) -> int:
    """Print the recall table for every ranker and query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("bank", nargs="?", type=Path, default=BANK)
    parser.add_argument("--misses", action="store_true", help="list the questions each ranker misses at 1")
    args = parser.parse_args(argv)
    article, cases = load_cases(args.bank)
    print(f"{args.bank.name}: {len(cases)} questions, {len(split_sentences(article))} sentences")
    print(f"{'ranker':<18} {'query':<27} {'recall@1':>9} {'recall@3':>9} {'ms/query':>9}")
    for name, rank in rankers(article).items():
        for query in QUERIES:
            started = time.perf_counter()
            result = measure(name, rank, cases, query)
            per_query = (time.perf_counter() - started) * 1000 / max(1, len(cases))
            print(
                f"{name:<18} {query:<27} {result.recall1:>9.1%} {result.recall3:>9.1%} {per_query:>9.2f}"
                f"   ({result.at1}/{result.total}, {result.at3}/{result.total})"
            )
            if args.misses:
                print("    misses:", ", ".join(result.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
