"""Rounds that schedules start, and the reminders before them, in the channel the schedule names."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.exts._common import events
from bot.exts._common.retry import with_retry
from bot.exts.play._conductor import Conductor
from bot.exts.play._launch import announcement_of, plan_in
from bot.rounds.errors import ChannelGone

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


async def start_scheduled(bot: QuizBot, conductor: Conductor, run: events.ScheduledRound) -> None:
    """Plan, store, announce and play a scheduled run's round; raises why it could not start."""
    schedule = run.schedule
    channel = events.channel_of(bot, schedule)
    if channel is None:
        raise ChannelGone("the channel was deleted, or the bot can no longer see it")
    plan = await plan_in(
        bot,
        channel,
        started_by=schedule.created_by,
        bank=schedule.bank_id,
        questions=schedule.questions,
        seconds=schedule.seconds,
        settings=run.settings,
    )
    if run.late_notice is not None:
        notice, late_nonce = run.late_notice, run.nonce("l")
        await with_retry(lambda: channel.send(notice, nonce=late_nonce))
    # Announced before the round is stored: a process that takes the run over after a crash posts the same
    # nonce (Discord hands back the first message), then stores the round only under the current token.
    words, nonce = announcement_of(bot, plan), run.nonce("a")
    message = await with_retry(lambda: channel.send(words, nonce=nonce))
    live = await bot.rounds.start(plan, occurrence=run.occurrence, message_id=message.id)
    conductor.launch(live)


async def post_reminder(bot: QuizBot, reminder: events.ScheduledReminder) -> None:
    """Post the reminder, pinging the schedule's role if it still exists (the only ping the bot makes)."""
    schedule, run_at = reminder.schedule, reminder.run_at
    channel = events.channel_of(bot, schedule)
    if channel is None:
        return  # the run itself will pause the schedule and say why
    role_id = schedule.ping_role_id
    if role_id is not None and channel.guild.get_role(role_id) is None:
        role_id = None  # a deleted role would only show as @deleted-role
    mentions = (
        discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)])
        if role_id is not None
        else discord.AllowedMentions.none()
    )
    ping = f"<@&{role_id}> " if role_id is not None else ""
    starts = f"{discord.utils.format_dt(run_at, 'R')} ({discord.utils.format_dt(run_at, 't')})"
    content = f"{ping}⏰ A quiz round starts here {starts}: {reminder.what}."
    try:
        await with_retry(lambda: channel.send(content, allowed_mentions=mentions))
    except discord.HTTPException as error:
        log.warning("Could not send the reminder of schedule %s: %s", schedule.id, error)
