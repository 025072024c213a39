"""The worst upload an author can send: a 1 MB article and a bank whose 100 passages are all missing from it.

Each missing passage asks for the article's closest sentence, which used to cost a fuzzy scan of every
sentence (about 13 s of CPU for such an upload). ``python -m bench.worst_upload`` times the check of this
upload in-process (P12 times it inside the bot, during a burst of clicks).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

ARTICLE = Path(__file__).resolve().parents[1] / "questions" / "south-caucasus-russia.txt"
ARTICLE_BYTES = 1_000_000
MISSING = 100
#: Longer than any sentence of the article, so nothing is found, but every word is the article's.
PASSAGE_WORDS = 60


def article_text(rng: random.Random) -> str:
    """About ``ARTICLE_BYTES`` of sentences made of the shipped article's words, one paragraph a line."""
    words = ARTICLE.read_text(encoding="utf-8").split()
    paragraphs: list[str] = []
    size = 0
    while size < ARTICLE_BYTES:
        sentences = [" ".join(rng.choices(words, k=rng.randint(8, 30))) + "." for _ in range(rng.randint(2, 6))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs) + "\n"


def bank_text(rng: random.Random, *, missing: int = MISSING) -> str:
    """A bank of ``missing`` questions, each quoting a long run of article words the article never has."""
    words = ARTICLE.read_text(encoding="utf-8").replace('"', "").split()
    lines = [
        "id: worst-upload",
        "title: Worst upload",
        "authors: [bench]",
        "source:",
        "  title: Synthetic article",
        "  author: Nobody",
        "  path: article.txt",
        "questions:",
    ]
    for index in range(missing):
        passage = " ".join(rng.choices(words, k=PASSAGE_WORDS))[:990]
        lines += [
            f"  - id: q{index}",
            f"    prompt: Which of these is question {index}?",
            f"    choices: [alpha {index}, beta, gamma]",
            f"    answer: alpha {index}",
            "    explanation: Because the benchmark says so.",
            f'    passage: "{passage}"',
        ]
    return "\n".join(lines) + "\n"


def files(seed: int = 20261129) -> tuple[bytes, bytes]:
    """The bank's bytes and the article's bytes."""
    rng = random.Random(seed)
    article = article_text(rng)
    return bank_text(rng).encode("utf-8"), article.encode("utf-8")


def main() -> None:
    """Time checking the worst upload in this process."""
    from bot.banks.uploads import UploadedFile, UploadLimits, check_upload, decode_article, read_upload

    bank, article = files()
    limits = UploadLimits(bank_bytes=1_000_000, article_bytes=5_000_000)
    started = time.perf_counter()
    given = UploadedFile("article.txt", article)
    text = decode_article(given)
    draft = read_upload(UploadedFile("worst.yaml", bank), given, text, limits)
    result = check_upload(draft, text)
    elapsed = time.perf_counter() - started
    issues = getattr(result, "issues", ())
    hinted = sum("closest sentence" in issue.message for issue in issues)
    print(f"article {len(article):,} bytes, {MISSING} missing passages: {elapsed:.2f} s")
    print(f"{len(issues)} issues, {hinted} with a closest sentence")


if __name__ == "__main__":
    main()
