"""Text for messages and embeds: Discord's size limits, safe truncation and player names."""

from __future__ import annotations

from collections.abc import Sequence

import discord

# Discord rejects anything longer with 400/50035; discord.py checks none of these.
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
MESSAGE_CONTENT = 2000

ELLIPSIS = "…"


def truncate(text: str, limit: int, *, placeholder: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``placeholder`` when cut.

    A cut never leaves a lone trailing backslash, which would escape the placeholder
    (or whatever Discord puts after it) instead of itself.
    """
    if limit < len(placeholder):
        raise ValueError(f"limit {limit} is shorter than the placeholder {placeholder!r}")
    if len(text) <= limit:
        return text
    kept = text[: limit - len(placeholder)]
    trailing = len(kept) - len(kept.rstrip("\\"))
    if trailing % 2:
        kept = kept[:-1]
    return kept.rstrip() + placeholder


def join_within(lines: Sequence[str], limit: int, *, more: str = "…and {count} more") -> str:
    """Join lines with newlines, keeping as many whole lines as fit in ``limit`` characters.

    Lines that do not fit are replaced by one last line, ``more`` with ``{count}`` filled in
    (``more`` is our own template, never user text). A first line too long to keep whole is
    truncated rather than dropped.
    """
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        # Keeping this line must leave room to count the lines after it.
        tail = "\n" + more.format(count=len(lines) - index - 1)
        needed = len(line) + (1 if kept else 0)
        if size + needed + len(tail) > limit:
            break
        kept.append(line)
        size += needed
    if kept:
        return "\n".join(kept) + "\n" + more.format(count=len(lines) - len(kept))
    if len(lines) == 1:
        return truncate(lines[0], limit)
    tail = "\n" + more.format(count=len(lines) - 1)
    if limit - len(tail) > len(ELLIPSIS):
        return truncate(lines[0], limit - len(tail)) + tail
    return truncate(more.format(count=len(lines)), limit)


def player_name(display_name: str | None, user_id: int) -> str:
    """A stored display name made safe for a message: no markdown, no mentions, one line."""
    if not display_name or not display_name.strip():
        return f"Unknown player ({user_id})"
    flat = " ".join(display_name.split())
    return discord.utils.escape_mentions(discord.utils.escape_markdown(flat))


def plural(count: int, word: str) -> str:
    """``1 question``, ``3 questions``: a count with its noun (regular plurals only)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def points(value: int) -> str:
    """Points as players read them: ``1,240 pts``, ``1 pt``."""
    return f"{value:,} pt" if value == 1 else f"{value:,} pts"


def inline_code(text: str, limit: int = 100) -> str:
    """User text (a bank id, a file name) as inline code: one line, no backtick of its own to break out, cut short."""
    return "`" + " ".join(text.replace("`", "'").split())[:limit] + "`"
