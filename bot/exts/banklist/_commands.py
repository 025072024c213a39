"""``/quiz banks``: the question banks this bot can play."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.exts._common.paging import Page, Pager, page_count
from bot.exts._common.replies import reply
from bot.exts._common.text import plural, truncate
from bot.quiz import Bank, Difficulty

if TYPE_CHECKING:
    from bot.client import QuizBot

COLOUR = discord.Colour.teal()
# Ten fields of at most NAME_LIMIT + VALUE_LIMIT characters keep a page far below the 6,000 total.
PER_PAGE = 10
NAME_LIMIT = 100
VALUE_LIMIT = 400
DESCRIPTION_LIMIT = 160


def difficulty_mix(bank: Bank) -> str:
    """How many easy, medium and hard questions the bank has, leaving out the missing ones."""
    counts = Counter(question.difficulty for question in bank.questions)
    return ", ".join(f"{counts[level]} {level.value}" for level in Difficulty if counts[level])


def bank_field(bank: Bank, uploaded_version: int | None = None) -> tuple[str, str]:
    """A bank's field name and value: id, size, difficulty mix, source and description; uploads say so."""
    escape = discord.utils.escape_markdown
    lines = [f"`{bank.id}` · {plural(len(bank.questions), 'question')} · {difficulty_mix(bank)}"]
    if uploaded_version is not None:
        lines[0] += f" · uploaded here, version {uploaded_version}"
    lines.append(f"From *{escape(bank.source.title)}* by {escape(bank.source.author)}")
    if bank.description:
        lines.append(escape(truncate(bank.description, DESCRIPTION_LIMIT)))
    return truncate(escape(bank.title), NAME_LIMIT), truncate("\n".join(lines), VALUE_LIMIT)


def banks_embed(banks: Sequence[Bank], index: int, uploaded: Mapping[str, int] | None = None) -> discord.Embed:
    """Page ``index`` of the bank list as an embed; ``uploaded`` maps this server's own banks to their version."""
    shown = banks[index * PER_PAGE : (index + 1) * PER_PAGE]
    total = len(banks)
    embed = discord.Embed(
        title="Question banks",
        description=f"{plural(total, 'bank')} loaded. Moderators start a round with `/quiz start`.",
        colour=COLOUR,
    )
    for bank in shown:
        name, value = bank_field(bank, (uploaded or {}).get(bank.id))
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=f"Page {index + 1}/{page_count(total, PER_PAGE)}")
    return embed


async def render_banks(banks: Sequence[Bank], uploaded: Mapping[str, int], index: int) -> Page:
    """A page of the bank list, as the pager wants it."""
    return Page(banks_embed(banks, index, uploaded), page_count(len(banks), PER_PAGE))


def build_commands() -> list[app_commands.Command[Any, ..., None]]:
    """Fresh command objects for one bot."""

    @app_commands.command(name="banks", description="The question banks you can play, with their sources.")
    async def banks(interaction: discord.Interaction[QuizBot]) -> None:
        """List every question bank this server can play: size, difficulty, source article and author."""
        service = interaction.client.banks
        guild_id = interaction.guild_id
        loaded = service.visible(guild_id)
        uploaded: dict[str, int] = {}
        for bank in loaded:
            if guild_id is not None and (version := service.entry(bank.id, guild_id).version) is not None:
                uploaded[bank.id] = version
        if not loaded:
            await reply(interaction, "No question banks are loaded right now.")
            return
        # A snapshot: the pages stay consistent even if the banks are reloaded meanwhile.
        render = functools.partial(render_banks, loaded, uploaded)
        pager = Pager(owner_id=interaction.user.id, render=render, command="/quiz banks")
        await pager.send(interaction, ephemeral=True)

    return [banks]
