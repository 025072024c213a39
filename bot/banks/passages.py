"""Passage verification: find an author's quotation in the source article, or the sentence closest to it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import pairwise

from bot.banks.text import comparable

# Typographic quotes and dashes are forgiven because authors copy from web pages and word processors that
# "smarten" them; nothing else is, so a passage stays a real quotation (no ellipses, no skipped words).
_TRANSLATION = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2012": "-",  # figure dash
        "\u2212": "-",  # minus sign
    }
)
# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket) and a space.
#: A pair of words found in this few places is selective enough: the needle's other pairs are not looked up.
_FEW = 4
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")


def normalise(text: str) -> str:
    """Fold what a passage may differ in: typographic quotes and dashes, case, runs of whitespace, and
    (see `bot.banks.text.comparable`) Unicode normal form and invisible characters."""
    if text.isascii():  # nothing to translate, and ASCII casefolds as it lowercases (the common case, faster)
        return " ".join(text.lower().split())
    return " ".join(comparable(text).translate(_TRANSLATION).casefold().split())


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A sentence of the article that resembles a passage, with its paragraph and a 0-100 score."""

    paragraph: int
    sentence: str
    score: float


class Article:
    """A source article, normalised once so that any number of passages can be looked up quickly.

    Each non-empty line of the text is one paragraph, numbered from 1. A passage may run on from one
    paragraph into the next (the line break counts as whitespace); it is reported at the paragraph
    where it starts.
    """

    def __init__(self, text: str, *, name: str = "the article") -> None:
        self.name = name
        self.paragraphs: tuple[str, ...] = tuple(line.strip() for line in text.splitlines() if line.strip())
        normalised = [normalise(paragraph) for paragraph in self.paragraphs]
        # Paragraphs are joined with one space, exactly as normalising the whole text would, so that the
        # offset of each paragraph's start is known without a second pass.
        self._starts: list[int] = []
        offset = 0
        for paragraph in normalised:
            self._starts.append(offset)
            offset += len(paragraph) + 1
        self.text = " ".join(normalised)
        self._pairs: dict[str, list[int]] | None = None
        self._sentences: list[tuple[int, str]] | None = None
        self._normalised_sentences: list[str] = []

    def locate(self, passage: str) -> int | None:
        """The 1-based paragraph where the passage first occurs, or None if it does not occur."""
        needle = normalise(passage)
        if not needle:
            return None
        offset = self._find(needle)
        if offset < 0:
            return None
        return bisect.bisect_right(self._starts, offset)

    def _find(self, needle: str) -> int:
        """``self.text.find(needle)``, through the index of word pairs when the needle has one inside it.

        A normalised needle's words are separated by single spaces, as the article's are. Its first and
        last words may be parts of longer words of the article, but each word between them is preceded
        and followed by a space, so wherever the needle occurs, two adjacent inner words are a pair of
        whole words of the article at a known distance from the needle's start. Trying, in order, the
        places where such a pair stands finds the first occurrence, exactly as a scan of the text would.
        """
        words = needle.split(" ")
        if len(words) < 4:
            return self.text.find(needle)
        pairs = self._pair_index()
        best: list[int] = []
        best_offset = 0
        offset = len(words[0]) + 1
        for first, second in pairwise(words[1:-1]):
            places = pairs.get(f"{first} {second}")
            if places is None:
                return -1  # two adjacent whole words of the needle are nowhere together in the article
            if not best or len(places) < len(best):
                best, best_offset = places, offset
                if len(best) <= _FEW:
                    break
            offset += len(first) + 1
        text = self.text
        for place in best:
            start = place - best_offset
            if start >= 0 and text.startswith(needle, start):
                return start
        return -1

    def _pair_index(self) -> dict[str, list[int]]:
        # Built on first use, once per article: where each pair of adjacent whole words starts, in order.
        if self._pairs is None:
            pairs: dict[str, list[int]] = {}
            words = self.text.split(" ")
            offset = 0
            for first, second in pairwise(words):
                key = f"{first} {second}"
                places = pairs.get(key)
                if places is None:
                    pairs[key] = [offset]
                else:
                    places.append(offset)
                offset += len(first) + 1
            self._pairs = pairs
        return self._pairs

    def __contains__(self, passage: object) -> bool:
        return isinstance(passage, str) and self.locate(passage) is not None

    def suggest(self, passage: str, k: int = 1) -> list[Suggestion]:
        """The ``k`` sentences of the article closest to the passage, best first.

        Sentences are scored with rapidfuzz's ``partial_ratio`` (how well the shorter text aligns within
        the longer), scaled down when the sentence is much shorter than the passage, so that a short
        heading which happens to appear inside the passage does not outrank the sentence it was taken from.
        """
        # Imported here: only a passage that is not found asks for suggestions, and the bot's start-up
        # imports this module (through the loader) without needing rapidfuzz.
        from rapidfuzz import fuzz, process

        needle = normalise(passage)
        sentences = self._split_sentences()
        if not needle or not sentences or k <= 0:
            return []
        scored: list[Suggestion] = []
        for _, raw_score, index in process.extract(
            needle, self._normalised_sentences, scorer=fuzz.partial_ratio, limit=None
        ):
            sentence_length = len(self._normalised_sentences[index])
            coverage = min(1.0, sentence_length / len(needle))
            paragraph, sentence = sentences[index]
            scored.append(Suggestion(paragraph, sentence, raw_score * coverage**0.5))
        scored.sort(key=lambda suggestion: -suggestion.score)
        return scored[:k]

    def _split_sentences(self) -> list[tuple[int, str]]:
        # Built on first use: only banks with a missing passage need it.
        if self._sentences is None:
            self._sentences = []
            for number, paragraph in enumerate(self.paragraphs, start=1):
                for sentence in sentences_of(paragraph):
                    self._sentences.append((number, sentence))
            self._normalised_sentences = [normalise(sentence) for _, sentence in self._sentences]
        return self._sentences


def sentences_of(paragraph: str) -> list[str]:
    """A paragraph's sentences, in order, each with its closing quotes or brackets and no surrounding space."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        # Keep closing quotes and brackets with the sentence they close.
        end = match.start() + len(match.group().rstrip())
        sentences.append(paragraph[start:end])
        start = match.end()
    sentences.append(paragraph[start:])
    return [sentence.strip() for sentence in sentences if sentence.strip()]
