"""Asking the round service for a round in a Discord channel, and the words that open it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.db.repos import GuildSettings
from bot.exts._common.permissions import missing_permissions
from bot.exts._common.text import plural
from bot.rounds.plans import RoundPlan
from bot.rounds.service import LiveRound

if TYPE_CHECKING:
    from bot.client import QuizBot


async def plan_in(
    bot: QuizBot,
    channel: discord.abc.GuildChannel | discord.Thread,
    *,
    started_by: int,
    bank: str | None = None,
    questions: int | None = None,
    seconds: int | None = None,
    settings: GuildSettings | None = None,
) -> RoundPlan:
    """The round service's plan for a round in this channel, told what the bot may not do there."""
    return await bot.rounds.plan(
        guild_id=channel.guild.id,
        channel_id=channel.id,
        started_by=started_by,
        bank=bank,
        questions=questions,
        seconds=seconds,
        missing_permissions=missing_permissions(channel, channel.guild.me),
        settings=settings,
    )


def announcement(bot: QuizBot, live: LiveRound) -> str:
    """The message that opens a round."""
    return _announcement(bot, live.guild_id, live.bank_ids, live.total, live.engine.seconds)


def announcement_of(bot: QuizBot, plan: RoundPlan) -> str:
    """The message that opens the round a plan will start (a scheduled run announces before storing it)."""
    return _announcement(bot, plan.guild_id, plan.bank_ids, plan.rules.questions, int(plan.rules.seconds))


def _announcement(bot: QuizBot, guild_id: int, bank_ids: tuple[str, ...], total: int, seconds: float) -> str:
    titles = [bot.library.get(bank_id, guild_id).title for bank_id in bank_ids if bot.library.knows(bank_id, guild_id)]
    source = titles[0] if len(titles) == 1 else f"{len(bank_ids)} banks"
    return (
        f"🎯 **Quiz time!** {plural(total, 'question')} from *{discord.utils.escape_markdown(source)}*, "
        f"{seconds:g} s each. Click a button to answer; faster right answers score more."
    )


def started_note(live: LiveRound) -> str:
    """What the moderator who started a round sees, privately."""
    return f"Round {live.id} started: {plural(live.total, 'question')}. `/quiz stop` ends it early."
