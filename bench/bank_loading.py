"""Time `load_bank` on a 10,000-question bank whose passages come from a ~200 KB article.

Run: ``.venv/bin/python -m bench.bank_loading``. Prints the median of five cold loads (parsed and checked;
target 0.4 s) and of five warm ones (from the cache of validated banks; target 0.1 s). With ``--phases``
it prints instead the CPU time of each phase of a cold load (median of five), and the floors beside them:
libyaml composing the file alone, and rapidyaml parsing it alone.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.banks import load_bank
from bot.banks.cache import BankCache
from bot.quiz.questions import Bank

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
    found = timings()
    size, article_kb = found["size"][0], found["article"][0]
    return statistics.median(found["cold"]), statistics.median(found["warm"]), int(size), article_kb


def timings() -> dict[str, list[float]]:
    """Wall and CPU seconds of five cold and five warm loads (``cold``, ``cold_cpu``, ``warm``, ``warm_cpu``)."""
    rng = random.Random(20240710)
    paragraphs = synthetic_article(rng)
    found: dict[str, list[float]] = {"cold": [], "cold_cpu": [], "warm": [], "warm_cpu": []}

    def load(kind: str, bank_file: Path, size: int, cache: BankCache | None) -> Bank:
        started, cpu = time.perf_counter(), time.process_time()
        bank = load_bank(bank_file, max_bytes=size, cache=cache)
        found[kind].append(time.perf_counter() - started)
        found[f"{kind}_cpu"].append(time.process_time() - cpu)
        return bank

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "article.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        bank_file = root / "bench.yaml"
        bank_file.write_text(bank_text(paragraphs, rng), encoding="utf-8")
        size = bank_file.stat().st_size
        for _ in range(RUNS):
            bank = load("cold", bank_file, size, None)
        assert len(bank.questions) == QUESTIONS
        assert all(question.paragraph is not None for question in bank.questions)
        cache = BankCache(root / "cache")
        load_bank(bank_file, max_bytes=size, cache=cache)  # fills the cache
        for _ in range(RUNS):
            cached = load("warm", bank_file, size, cache)
        assert cached == bank
    found["size"] = [size]
    found["article"] = [sum(len(p) + 1 for p in paragraphs) / 1000]
    return found


def floor() -> tuple[float, float]:
    """Median wall and CPU seconds of libyaml's own safe load of the same bank: the floor the issue names.

    The collector is paused, as the loader pauses it: otherwise it alone takes most of the time.
    """
    import yaml

    rng = random.Random(20240710)
    text = bank_text(synthetic_article(rng), rng)
    wall, cpu = [], []
    for _ in range(RUNS):
        gc.disable()
        started, cpu_started = time.perf_counter(), time.process_time()
        yaml.load(text, Loader=yaml.CSafeLoader)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        gc.enable()
    return statistics.median(wall), statistics.median(cpu)


def phases() -> dict[str, float]:
    """The median CPU milliseconds of each phase of a cold load of the generated bank, and of the floors."""
    import ryml
    import yaml

    from bot.banks import checks, loader, yaml_fast
    from bot.banks.model import BankModel
    from bot.banks.passages import Article
    from bot.banks.text import as_seen
    from bot.banks.yaml_source import YamlDocument, read_yaml

    rng = random.Random(20240710)
    paragraphs = synthetic_article(rng)
    raw = bank_text(paragraphs, rng).encode("utf-8")
    article_text = "\n".join(paragraphs) + "\n"
    found: dict[str, list[float]] = {}

    def timed(phase: str, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        result = step(*args, **kwargs)
        found.setdefault(phase, []).append((time.process_time() - started) * 1000)
        return result

    for _ in range(RUNS):
        gc.collect()
        gc.disable()
        timed("floor: libyaml's yaml.load(CSafeLoader) alone", yaml.load, raw, yaml.CSafeLoader)
        timed("floor: rapidyaml parsing the file alone", ryml.parse_in_arena, raw)
        timed("PyYAML path: read_yaml (compose, build the data)", read_yaml, raw, max_bytes=len(raw))
        timed("fast path: the subset checks on the bytes", yaml_fast._unsure, raw)
        tree = timed("fast path: rapidyaml parse", ryml.parse_in_arena, raw)
        emitted = timed("fast path: rapidyaml writes JSON", ryml.emit_json, tree)
        timed("fast path: bare true/false search", yaml_fast._has_boolean, emitted)
        data = timed("fast path: json decode", yaml_fast._decoder.decode, emitted)
        timed("fast path: depth check", yaml_fast._shallow, data, 0)
        document = YamlDocument(data)
        model = timed("pydantic", BankModel.model_validate, data)
        timed("checks: questions", checks.check_questions, document)
        timed("checks: text", checks.check_text, document)
        timed("checks: related", checks.check_related, document)
        article = timed("article: normalise", Article, article_text, name="article.txt")
        _, where = timed("passages: locate", checks.check_passages, document, article)
        timed("build the engine's questions", loader._build, model, where)
        del tree, emitted, data, document, model
        gc.enable()
        timed("the collector's pass afterwards", gc.collect)
        as_seen.cache_clear()  # each run starts as cold as a fresh process
    return {name: statistics.median(values) for name, values in found.items()}


def main() -> None:
    """Print the median load time of the generated bank (or, with --phases, the time of each phase)."""
    if "--phases" in sys.argv[1:]:
        for name, milliseconds in phases().items():
            print(f"{milliseconds:8.1f} ms  {name}")
        return
    found = timings()
    floor_wall, floor_cpu = floor()
    median = {kind: statistics.median(values) for kind, values in found.items()}
    print(f"bank: {QUESTIONS:,} questions, {median['size'] / 1e6:.1f} MB; article: {median['article']:.0f} KB")
    print(f"load_bank, cold: median {median['cold']:.3f} s ({median['cold_cpu']:.3f} s CPU) of {RUNS}; target 0.4 s")
    print(
        f"load_bank, warm (from the cache): median {median['warm']:.3f} s ({median['warm_cpu']:.3f} s CPU) "
        f"of {RUNS}; target 0.1 s"
    )
    print(
        f"floor: libyaml's yaml.load(text, Loader=yaml.CSafeLoader) alone, the collector paused: "
        f"median {floor_wall:.3f} s ({floor_cpu:.3f} s CPU) of {RUNS}"
    )


if __name__ == "__main__":
    main()
