"""Which leaderboard to show, and how one page of it reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.exts._common.paging import Page, page_count
from bot.exts._common.text import (
    EMBED_DESCRIPTION,
    EMBED_FOOTER,
    EMBED_TITLE,
    join_within,
    player_name,
    points,
    truncate,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

PER_PAGE = 10
COLOUR = discord.Colour.gold()


@dataclass(frozen=True, slots=True)
class Board:
    """One leaderboard of a guild: every scope, the bank filter and the week's start, if any."""

    guild_id: int
    scope: repos.Scope
    bank_id: str | None = None
    bank_title: str | None = None
    since: datetime | None = None
    zone_name: str | None = None

    @property
    def title(self) -> str:
        """The embed's heading."""
        when = "This week" if self.scope == "week" else "All time"
        if self.bank_title is None:
            return f"Leaderboard · {when.lower()}"
        return truncate(f"Leaderboard · {self.bank_title} · {when.lower()}", EMBED_TITLE)

    @property
    def where(self) -> str:
        """How the "no points" lines end: where the points would have been earned."""
        return " this week" if self.scope == "week" else " in this bank" if self.bank_id is not None else ""


def rank_line(row: repos.LeaderboardRow, *, you: bool = False) -> str:
    """One line of the table: rank, escaped name and points; the viewer's own line is marked."""
    line = f"`#{row.rank}` {player_name(row.display_name, row.user_id)} · {points(row.points)}"
    return f"{line} ◂ you" if you else line


def your_line(board: Board, mine: repos.LeaderboardRow | None) -> str:
    """The line under the table with the viewer's own place, wherever it falls."""
    if mine is None:
        return f"You have no points yet{board.where}."
    return f"You: #{mine.rank:,} · {points(mine.points)}"


def board_embed(
    board: Board,
    rows: Sequence[repos.LeaderboardRow],
    mine: repos.LeaderboardRow | None,
    *,
    viewer_id: int,
    index: int,
    players: int,
) -> discord.Embed:
    """One page of a leaderboard as an embed, within Discord's size limits."""
    if rows:
        table = [rank_line(row, you=row.user_id == viewer_id) for row in rows]
    elif players:
        table = ["This page is empty now."]
    else:
        table = [f"Nobody has points{board.where} yet. Play a round with `/quiz start`!"]
    tail = "\n\n" + your_line(board, mine)
    description = join_within(table, EMBED_DESCRIPTION - len(tail)) + tail
    embed = discord.Embed(title=board.title, description=description, colour=COLOUR)
    footer = f"Page {index + 1}/{page_count(players, PER_PAGE)} · {players:,} player{'' if players == 1 else 's'}"
    if board.since is not None:
        footer += f" · week from Monday 00:00 {board.zone_name or 'UTC'}"
    embed.set_footer(text=truncate(footer, EMBED_FOOTER))
    return embed


async def render_page(bot: QuizBot, board: Board, viewer_id: int, index: int) -> Page:
    """Read one page of ``board`` and the viewer's own place (the all-time board from the rank index)."""
    scope, bank_id, since = board.scope, board.bank_id, board.since
    if scope == "all":
        # The all-time board is the big one, and the rank index holds it whole: usually no SQL at all.
        standings = await bot.ranks.board(
            bot.sessions, board.guild_id, viewer_id, offset=index * PER_PAGE, limit=PER_PAGE
        )
        rows, mine, players = standings.rows, standings.mine, standings.players
    else:
        async with bot.sessions.begin() as session:
            rows = await repos.top(
                session,
                board.guild_id,
                limit=PER_PAGE,
                offset=index * PER_PAGE,
                scope=scope,
                bank_id=bank_id,
                since=since,
            )
            players = await repos.count_players(session, board.guild_id, scope=scope, bank_id=bank_id, since=since)
            mine = await repos.rank_of(session, board.guild_id, viewer_id, scope=scope, bank_id=bank_id, since=since)
    embed = board_embed(board, rows, mine, viewer_id=viewer_id, index=index, players=players)
    return Page(embed, page_count(players, PER_PAGE))
