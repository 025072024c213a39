"""Time `load_bank` on a 10,000-question bank whose passages come from a ~200 KB article.

Run: ``.venv/bin/python -m bench.bank_loading``. Prints the median of five cold loads (parsed and checked;
target 0.4 s) and of five warm ones (from the cache of validated banks; target 0.1 s).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.banks import load_bank
from bot.banks.cache import BankCache

# The shipped copy of the article, so the bank is the same on every machine.
ARTICLE = Path(__file__).resolve().parents[1] / "questions" / "south-caucasus-russia.txt"
QUESTIONS = 10_000
ARTICLE_CHARS = 200_000
RUNS = 5


def synthetic_article(rng: random.Random) -> list[str]:
    """Paragraphs of real-article sentences with words shuffled, so passages are long-distance unique-ish."""
    words = ARTICLE.read_text(encoding="utf-8").split()
    paragraphs: list[str] = []
    size = 0
    while size < ARTICLE_CHARS:
        paragraph = " ".join(rng.choices(words, k=rng.randint(40, 120)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return paragraphs


def bank_text(paragraphs: list[str], rng: random.Random) -> str:
    """A bank of QUESTIONS questions, each quoting a stretch of a random paragraph."""
    lines = [
        "id: bench",
        "title: Benchmark bank",
        "authors: [bench]",
        "source:",
        "  title: Synthetic article",
        "  author: Nobody",
        "  path: article.txt",
        "defaults: {seconds: 20, points: 1000}",
        "questions:",
    ]
    for index in range(QUESTIONS):
        words = rng.choice(paragraphs).split()
        start = rng.randrange(max(1, len(words) - 15))
        passage = " ".join(words[start : start + 15]).replace('"', "'")
        lines += [
            f"  - id: q{index}",
            f"    prompt: Which of these is question number {index}?",
            f"    choices: [alpha {index}, beta, gamma, delta]",
            f"    answer: alpha {index}",
            "    explanation: Because the benchmark says so.",
            f'    passage: "{passage}"',
            "    difficulty: medium",
            "    tags: [bench]",
        ]
    return "\n".join(lines) + "\n"


def measure() -> tuple[float, float, int, float]:
    """Time five cold and five warm loads of a generated bank: (cold median s, warm median s, bytes, article KB)."""
    rng = random.Random(20240710)
    paragraphs = synthetic_article(rng)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "article.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        bank_file = root / "bench.yaml"
        bank_file.write_text(bank_text(paragraphs, rng), encoding="utf-8")
        size = bank_file.stat().st_size
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            bank = load_bank(bank_file, max_bytes=size)
            timings.append(time.perf_counter() - started)
        assert len(bank.questions) == QUESTIONS
        assert all(question.paragraph is not None for question in bank.questions)
        cache = BankCache(root / "cache")
        load_bank(bank_file, max_bytes=size, cache=cache)  # fills the cache
        warm = []
        for _ in range(RUNS):
            started = time.perf_counter()
            cached = load_bank(bank_file, max_bytes=size, cache=cache)
            warm.append(time.perf_counter() - started)
        assert cached == bank
    article_kb = sum(len(p) + 1 for p in paragraphs) / 1000
    return statistics.median(timings), statistics.median(warm), size, article_kb


def main() -> None:
    """Print the median load time of the generated bank."""
    cold, warm, size, article_kb = measure()
    print(f"bank: {QUESTIONS:,} questions, {size / 1e6:.1f} MB; article: {article_kb:.0f} KB")
    print(f"load_bank, cold: median {cold:.3f} s of {RUNS}; target 0.4 s")
    print(f"load_bank, warm (from the cache): median {warm:.3f} s of {RUNS}; target 0.1 s")


if __name__ == "__main__":
    main()
