"""One normalisation for every comparison of a bank's text, and the characters a bank may not hold.

Text is compared in NFC with its invisible characters (zero-width spaces and joiners, word joiners,
soft hyphens, variation selectors, bidi marks) left out: two strings that differ only there look the
same to a player. Choices are compared more loosely still, by what a reader sees: case, runs of any
whitespace (a no-break space or a tab counts as a space) and look-alike letters (Unicode's confusable
skeletons, TR39, from the ``confusable-homoglyphs`` data) are ignored too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# What draws nothing: the format characters (Unicode's category Cf: zero-width spaces and joiners, word
# joiners, bidi controls and marks, the byte-order mark, tags), variation selectors, the combining grapheme
# joiner, and the Hangul fillers and Khmer inherent vowels, which are letters that draw nothing. The
# "prepended concatenation marks" (Cf too: U+0600-0605, U+06DD, U+070F, U+0890-0891, U+08E2, U+110BD,
# U+110CD) do draw, and are left out. tests/banks/test_text.py checks this table against unicodedata.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
    (0xE0100, 0xE01EF),
)  # fmt: skip
INVISIBLE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in INVISIBLE_RANGES) + "]")
# Embeddings, overrides and isolates reorder the text around them (the "Trojan Source" trick); the
# single-character marks (LRM, RLM, ALM) are ordinary in right-to-left text and stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line breaks and tabs are whitespace; every other control character (NUL above all) is refused.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# The characters `forbidden` refuses: Unicode's category Cc (U+0000-001F and U+007F-009F, a set the
# standard has fixed for good) less the three above, and the bidi controls.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def is_invisible(char: str) -> bool:
    """True for a character that draws nothing (see ``INVISIBLE_RANGES``)."""
    return INVISIBLE.fullmatch(char) is not None


def strip_invisible(text: str) -> str:
    """``text`` without its invisible characters."""
    return INVISIBLE.sub("", text) if not text.isascii() else text


def comparable(text: str) -> str:
    """The form text is compared in: NFC, with invisible characters left out."""
    if text.isascii():
        return text
    return strip_invisible(unicodedata.normalize("NFC", text))


def visible(text: str) -> bool:
    """True if ``text`` shows something: a character that is neither whitespace nor invisible."""
    # What is left once the invisible characters are taken out and the whitespace stripped (ASCII has no
    # invisible characters).
    return bool(strip_invisible(text).strip())


@functools.lru_cache(maxsize=4096)  # banks repeat choices ("True", years, names); each costs a few µs
def as_seen(text: str) -> str:
    """What a reader sees of ``text``: compared ignoring case, spacing, invisible and look-alike characters."""
    folded = " ".join(comparable(text).casefold().split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", folded).translate(_prototype_table()))


def forbidden(text: str) -> str | None:
    """Why ``text`` may not be in a bank (a control or bidi character), or None if it may."""
    if _FORBIDDEN.search(text) is None:  # the usual answer, found in C; the loop below words the first one
        return None
    for char in text:
        if char in BIDI_CONTROLS:
            return f"contains the bidirectional control U+{ord(char):04X}, which reorders the text on screen; remove it"
        if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS:
            name = "a NUL character" if char == "\0" else f"the control character U+{ord(char):04X}"
            return f"contains {name}, which cannot be shown or stored; remove it"
    return None


def all_fit(texts: list[str]) -> bool:
    """True when no text is `forbidden` or made of invisible characters alone: what a clean bank finds quickly."""
    if _FORBIDDEN.search("\n".join(texts)) is not None:
        return False
    # ASCII has no invisible characters, so an ASCII text that is not blank shows something.
    return all(visible(text) for text in texts if not text.isascii() and text.strip())


def texts(data: Any, found: list[str]) -> list[str]:
    """Every text value in plain data, appended to ``found``: `strings` without the paths, for speed."""
    if isinstance(data, str):
        found.append(data)
        return found
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for value in values:
        if type(value) is str:
            found.append(value)
        else:
            texts(value, found)
    return found


def strings(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text value in plain data, with its field path (``questions[3].choices[1]``)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, f"{path}[{index}]")


@functools.cache
def _prototype_table() -> dict[int, str]:
    """`_prototypes` as a `str.translate` table: one C call per text instead of a Python call per character."""
    return {ord(char): prototype for char, prototype in _prototypes().items()}


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's representative: one per class of characters that look alike.

    The data lists, for each prototype, the characters confusable with it, and for each of those its
    prototype; joining every pair gives TR39's classes, and the smallest member stands for each.
    """
    from confusable_homoglyphs.confusables import confusables_data  # large: loaded on first use

    parent: dict[str, str] = {}

    def find(char: str) -> str:
        root = char
        while parent.get(root, root) != root:
            root = parent[root]
        parent[char] = root
        return root

    for char, homoglyphs in confusables_data.items():
        for homoglyph in homoglyphs:
            # Right-to-left letters come wrapped in LRMs; sequences of several letters are left out.
            other = strip_invisible(homoglyph["c"])
            if len(char) != 1 or len(other) != 1:
                continue
            first, second = find(char), find(other)
            if first != second:
                parent[max(first, second)] = min(first, second)
    return {char: find(char) for char in parent}
