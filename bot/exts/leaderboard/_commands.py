"""``/quiz leaderboard``: the server's standings, all time, this week or in one bank."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only
from bot.exts._common.paging import Pager
from bot.exts._common.replies import reply
from bot.exts.leaderboard._board import Board, render_page
from bot.schedules.timezones import guild_zone, week_start

if TYPE_CHECKING:
    from bot.client import QuizBot


SCOPES = [
    app_commands.Choice(name="All time", value="all"),
    app_commands.Choice(name="This week", value="week"),
    app_commands.Choice(name="One bank", value="bank"),
]

MISSING_BANK = (
    "A per-bank leaderboard needs a bank: pick one in the `bank` option (start typing to search). "
    "`/quiz banks` lists them all."
)


async def choose_board(bot: QuizBot, guild_id: int, scope: str, bank_id: str | None) -> Board:
    """The leaderboard asked for; the week starts on Monday 00:00 in the guild's time zone."""
    bank_title = None if bank_id is None else bot.library.get(bank_id, guild_id).title
    if scope != "week":
        # A bank given with the default scope still means "that bank's leaderboard".
        return Board(guild_id, "all" if bank_id is None else "bank", bank_id=bank_id, bank_title=bank_title)
    async with bot.sessions.begin() as session:
        zone_name = (await repos.get_guild_settings(session, guild_id)).timezone
    zone = guild_zone(zone_name)
    since = week_start(bot.clock(), zone)
    return Board(guild_id, "week", bank_id=bank_id, bank_title=bank_title, since=since, zone_name=zone.key)


def build_commands() -> list[app_commands.Command[Any, ..., None]]:
    """Fresh command objects for one bot."""

    @app_commands.command(name="leaderboard", description="Who has the most points in this server.")
    @app_commands.describe(
        scope="Which points count: all time (the default), this week (from Monday), or one bank's",
        bank="Only count this bank's questions; needed when the scope is 'One bank'",
    )
    @app_commands.choices(scope=SCOPES)
    @app_commands.autocomplete(bank=bank_autocomplete)
    @guild_only()
    async def leaderboard(
        interaction: discord.Interaction[QuizBot], scope: str = "all", bank: str | None = None
    ) -> None:
        """Show the leaderboard, ten players a page, with your own place under it."""
        assert interaction.guild is not None  # guild_only
        if scope == "bank" and not bank:
            await reply(interaction, MISSING_BANK)
            return
        board = await choose_board(interaction.client, interaction.guild.id, scope, bank or None)
        render = functools.partial(render_page, interaction.client, board, interaction.user.id)
        pager = Pager(owner_id=interaction.user.id, render=render, command="/quiz leaderboard")
        # Public: a community's leaderboard is meant to be seen; mentions stay off (the pager sends none).
        await pager.send(interaction, ephemeral=False)

    return [leaderboard]
