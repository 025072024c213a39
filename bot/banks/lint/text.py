"""Comparing answers with other text the way a reader does: case, punctuation and leading articles aside."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from bot.banks.passages import normalise

_WORD = re.compile(r"[\w]+(?:[,.'][\w]+)*")
_ARTICLES = frozenset({"a", "an", "the"})
_TRUE_FALSE = frozenset({"true", "false"})


def words(text: str) -> tuple[str, ...]:
    """The words of ``text``, normalised (``"Russia's 2,000"`` gives ``("russia's", "2,000")``)."""
    return tuple(_WORD.findall(normalise(text)))


def key(text: str) -> tuple[str, ...]:
    """The words that identify an answer: its words without a leading article."""
    found = words(text)
    while found and found[0] in _ARTICLES:
        found = found[1:]
    return found


def contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """Whether the word sequence ``needle`` occurs in ``haystack`` as whole words."""
    if not needle or len(needle) > len(haystack):
        return False
    size = len(needle)
    return any(haystack[start : start + size] == needle for start in range(len(haystack) - size + 1))


def phrases_in(
    text: tuple[str, ...], wanted: Container[tuple[str, ...]], lengths: Iterable[int]
) -> set[tuple[str, ...]]:
    """The phrases of ``wanted`` (whose lengths, in words, are among ``lengths``) that occur in ``text``.

    One pass per length over the text, with set lookups: finding every answer of a bank in every question
    costs words times lengths, not questions squared times words.
    """
    found: set[tuple[str, ...]] = set()
    for size in lengths:
        for start in range(len(text) - size + 1):
            phrase = text[start : start + size]
            if phrase in wanted:
                found.add(phrase)
    return found


def is_true_false(choices: tuple[str, ...]) -> bool:
    """Whether a question's choices are exactly True and False."""
    return len(choices) == 2 and {normalise(choice) for choice in choices} == _TRUE_FALSE
