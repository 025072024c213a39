"""Text helpers: truncation that respects limits and escapes, joined lines, safe player names."""

from __future__ import annotations

import pytest

from bot.exts._common.paging import page_count
from bot.exts._common.text import join_within, player_name, plural, points, truncate


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("one two three", 8, "one two…"),
        ("one two three", 9, "one two…"),  # no space left before the ellipsis
        ("ab\\_cd", 4, "ab…"),  # a cut escape loses its backslash
        ("a\\\\bc", 4, "a\\\\…"),  # an escaped backslash stays whole
        ("abc", 1, "…"),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    """Text longer than the limit is cut to fit with an ellipsis, never ending in a lone backslash."""
    result = truncate(text, limit)
    assert result == expected
    assert len(result) <= limit


def test_truncate_refuses_a_limit_shorter_than_the_placeholder() -> None:
    """A limit that cannot hold the placeholder is a programming error."""
    with pytest.raises(ValueError, match="placeholder"):
        truncate("abc", 2, placeholder="[…]")


@pytest.mark.parametrize(
    ("lines", "limit", "expected"),
    [
        (["aa", "bb", "cc"], 100, "aa\nbb\ncc"),
        (["aa", "bb", "cc"], 8, "aa\nbb\ncc"),
        (["aaaa", "bbbb", "cccc", "dddd", "eeee"], 16, "aaaa\n…and 4 more"),
        (["aaaa", "bbbb", "cccc", "dddd", "eeee"], 20, "aaaa\n…and 4 more"),
        (["aaaa", "bbbb", "cccc", "dddd", "eeee"], 21, "aaaa\nbbbb\n…and 3 more"),
        (["x" * 50], 10, "xxxxxxxxx…"),
        (["x" * 50, "y"], 20, "xxxxxxx…\n…and 1 more"),
        (["x" * 50, "y"], 12, "…and 2 more"),
        ([], 10, ""),
    ],
)
def test_join_within(lines: list[str], limit: int, expected: str) -> None:
    """Whole lines are kept while they fit, and the rest is counted on a last line that also fits."""
    result = join_within(lines, limit)
    assert result == expected
    assert len(result) <= limit


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", "alice"),
        ("__bold__ *it*", "\\_\\_bold\\_\\_ \\*it\\*"),
        ("@here", "@\u200bhere"),
        ("<@123456789012345678>", "<@\u200b123456789012345678>"),
        ("two\nlines", "two lines"),
        (None, "Unknown player (42)"),
        ("   ", "Unknown player (42)"),
    ],
)
def test_player_name(name: str | None, expected: str) -> None:
    """Stored names lose their markdown and mentions; a missing name shows the user id."""
    assert player_name(name, 42) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, "0 pts"), (1, "1 pt"), (1240, "1,240 pts")])
def test_points(value: int, expected: str) -> None:
    """Points are grouped by thousands, singular for one."""
    assert points(value) == expected


@pytest.mark.parametrize(("items", "expected"), [(0, 1), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_page_count(items: int, expected: int) -> None:
    """Ten rows a page, and an empty list still has one page."""
    assert page_count(items, 10) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "0 banks"), (1, "1 bank"), (2, "2 banks"), (1000, "1000 banks")])
def test_plural(count: int, expected: str) -> None:
    """A count with its noun, singular only for exactly one."""
    assert plural(count, "bank") == expected
