"""The bot events scheduled rounds raise, and what they carry (RoboDanny's timers pattern).

The calendar feature (``bot.exts.calendar``) claims each due run and reminder in the database, then dispatches one of
these with ``bot.dispatch``; the play feature (``bot.exts.play``) listens (``on_scheduled_round_due``,
``on_scheduled_reminder_due``) and answers a run with ``scheduled_round_started`` or
``scheduled_round_refused``, which the calendar feature turns into the schedule's outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.db.repos import GuildSettings, StoredSchedule
from bot.db.repos.occurrences import OccurrenceClaim
from bot.exts._common.nonces import nonce_for

if TYPE_CHECKING:
    from bot.client import QuizBot

ROUND_DUE = "scheduled_round_due"
REMINDER_DUE = "scheduled_reminder_due"
ROUND_STARTED = "scheduled_round_started"
ROUND_REFUSED = "scheduled_round_refused"

GuildMessageable = discord.TextChannel | discord.VoiceChannel | discord.StageChannel | discord.Thread


def channel_of(bot: QuizBot, schedule: StoredSchedule) -> GuildMessageable | None:
    """The schedule's channel, if the bot can still see it there; None once deleted or hidden."""
    channel = bot.get_channel(schedule.channel_id)
    if isinstance(channel, GuildMessageable) and channel.guild.id == schedule.guild_id:
        return channel
    return None


@dataclass(frozen=True, slots=True)
class ScheduledRound:
    """A claimed run to start now: the schedule, the run's time, the guild's settings as the claim read them."""

    schedule: StoredSchedule
    run_at: datetime
    following: datetime | None
    settings: GuildSettings
    #: Said in the channel before the round when earlier runs went by while the bot was offline.
    late_notice: str | None = None
    #: The recorded occurrence this run starts under (its fencing token); None only in tests of the old path.
    occurrence: OccurrenceClaim | None = None

    def nonce(self, part: str) -> str:
        """The Create Message nonce of this run's message ``part`` (``a`` announcement, ``l`` late notice).

        Derived from the occurrence (its schedule and due minute), so a process that takes the run over
        after a crash posts with the same nonce and Discord returns the first message instead of a
        second one. At most 25 characters, as Discord requires (``nonce_for`` derives every nonce the bot sends).
        """
        return nonce_for("schedule", self.schedule.id, int(self.run_at.timestamp()) // 60, part)


@dataclass(frozen=True, slots=True)
class ScheduledReminder:
    """A claimed reminder to post now, before the run at ``run_at``."""

    schedule: StoredSchedule
    run_at: datetime
    #: The round the schedule starts, in words (``5 questions from *Bank*, 30 s each``).
    what: str
