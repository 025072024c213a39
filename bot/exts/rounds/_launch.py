"""Checks and set-up shared by ``/quiz start`` and scheduled rounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.exts._common.text import plural
from bot.rounds.errors import ChannelNotAllowed, MissingPermissions, NoBanks, RoundAlreadyRunning
from bot.rounds.service import LiveRound

if TYPE_CHECKING:
    from bot.client import QuizBot

# What the bot needs in a channel to run a round there, with the names Discord's settings use.
NEEDED_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}


def missing_permissions(channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member) -> list[str]:
    """The permissions the bot lacks in a channel to run a round there."""
    granted = channel.permissions_for(me)
    return [label for name, label in NEEDED_PERMISSIONS.items() if not getattr(granted, name)]


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """A checked request for a round: where, what and how long, before anything is stored."""

    guild_id: int
    channel_id: int
    started_by: int
    bank_ids: tuple[str, ...]
    questions: int
    seconds: int


async def plan_round(
    bot: QuizBot,
    channel: discord.abc.GuildChannel | discord.Thread,
    *,
    started_by: int,
    bank: str | None = None,
    questions: int | None = None,
    seconds: int | None = None,
) -> RoundPlan:
    """Check the channel, the permissions and the banks (quick reads only); raises a QuizError the user can act on."""
    guild = channel.guild
    if bot.rounds.in_channel(channel.id) is not None:
        raise RoundAlreadyRunning("a round is already running in this channel")
    async with bot.sessions.begin() as session:
        settings = await repos.get_guild_settings(session, guild.id)
    if not settings.allows_channel(channel.id):
        raise ChannelNotAllowed(settings.allowed_channel_ids)
    if missing := missing_permissions(channel, guild.me):
        raise MissingPermissions(missing)
    banks = [bot.library.playable(bank, guild.id)] if bank else bot.library.visible(guild.id)
    if not banks:
        raise NoBanks("no question banks are loaded")
    bank_seconds = banks[0].seconds if bank else None
    return RoundPlan(
        guild_id=guild.id,
        channel_id=channel.id,
        started_by=started_by,
        bank_ids=tuple(b.id for b in banks),
        questions=questions or settings.default_questions,
        seconds=seconds or bank_seconds or settings.default_seconds,
    )


async def store_round(bot: QuizBot, plan: RoundPlan) -> LiveRound:
    """Draw the questions and store the round (the slow part: a write transaction)."""
    return await bot.rounds.start(
        guild_id=plan.guild_id,
        channel_id=plan.channel_id,
        started_by=plan.started_by,
        bank_ids=list(plan.bank_ids),
        count=plan.questions,
        seconds=plan.seconds,
    )


def announcement(bot: QuizBot, live: LiveRound) -> str:
    """The message that opens a round."""
    titles = [
        bot.library.get(bank_id, live.guild_id).title
        for bank_id in live.bank_ids
        if bot.library.knows(bank_id, live.guild_id)
    ]
    source = titles[0] if len(titles) == 1 else f"{len(live.bank_ids)} banks"
    return (
        f"🎯 **Quiz time!** {plural(live.total, 'question')} from *{discord.utils.escape_markdown(source)}*, "
        f"{live.engine.seconds:g} s each. Click a button to answer; faster right answers score more."
    )


def started_note(live: LiveRound) -> str:
    """What the moderator who started a round sees, privately."""
    return f"Round {live.id} started: {plural(live.total, 'question')}. `/quiz stop` ends it early."
