"""The quick forms of the text checks give the answers of their per-character definitions."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.banks.text import (
    _ALLOWED_CONTROLS,
    BIDI_CONTROLS,
    INVISIBLE,
    _prototypes,
    all_fit,
    as_seen,
    comparable,
    forbidden,
    texts,
    visible,
)

AWKWARD = st.sampled_from(
    ["\u200b", "\u2060", "\u00ad", "\ufeff", "\u202e", "\x00", "\x85", "\t", " ", "\u00a0", "\u0430"]
)
TEXT = st.lists(st.one_of(st.characters(), AWKWARD), max_size=12).map("".join)


def _refused(char: str) -> bool:
    return char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS)


def test_forbidden_refuses_exactly_the_control_and_bidi_characters() -> None:
    """Each code point where Cc and the bidi controls live, and more: `forbidden` agrees with the per-character rule."""
    for code in (*range(0x3000), *range(0xFE00, 0x10000), sys.maxunicode):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        assert (forbidden(f"a{char}b") is not None) == _refused(char), hex(code)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_visible_and_as_seen_match_their_definitions(text: str) -> None:
    """`visible` and `as_seen` agree with the character-by-character forms they replaced."""
    assert visible(text) == any(not c.isspace() and INVISIBLE.fullmatch(c) is None for c in text)
    folded = " ".join(comparable(text).casefold().split())
    slow = "".join(_prototypes().get(c, c) for c in unicodedata.normalize("NFD", folded))
    assert as_seen(text) == unicodedata.normalize("NFC", slow)


@settings(max_examples=200, deadline=None)
@given(st.recursive(TEXT, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)))
def test_all_fit_is_no_finding_of_the_full_check(data: object) -> None:
    """`all_fit` over `texts` is true exactly when no text is forbidden or made of invisible characters alone."""
    found = texts(data, [])
    assert all_fit(found) == all(forbidden(t) is None and (not t.strip() or visible(t)) for t in found)
