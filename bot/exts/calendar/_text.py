"""What schedules say: descriptions, run lists, reminders and notices, with times as Discord timestamps.

Discord timestamps (``<t:…:F>``) render in each reader's own time zone, so every member
sees run times in local time whatever the server's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.db.repos import StoredSchedule
from bot.exts._common.text import plural
from bot.schedules import describe_repeat

if TYPE_CHECKING:
    from bot.client import QuizBot


def when(instant: datetime) -> str:
    """A run time as ``<t:…:F> (<t:…:R>)``: full date and time, and how far off it is."""
    return f"{discord.utils.format_dt(instant, 'F')} ({discord.utils.format_dt(instant, 'R')})"


def rule_in_words(schedule: StoredSchedule) -> str:
    """How often the schedule runs, in words."""
    return describe_repeat(schedule.repeat, schedule.starts_local, schedule.timezone)


def bank_title(bot: QuizBot, schedule: StoredSchedule) -> str:
    """The bank a schedule plays, for a message: its title, or "all banks"."""
    if schedule.bank_id is None:
        return "all banks"
    if bot.library.knows(schedule.bank_id, schedule.guild_id):
        title = bot.library.get(schedule.bank_id, schedule.guild_id).title
    else:
        title = schedule.bank_id
    return f"*{discord.utils.escape_markdown(title)}*"


def what(bot: QuizBot, schedule: StoredSchedule) -> str:
    """The round a schedule starts: ``5 questions from *Bank*, 30 s each``."""
    count = "the server's number of questions" if schedule.questions is None else plural(schedule.questions, "question")
    text = f"{count} from {bank_title(bot, schedule)}"
    if schedule.seconds is not None:
        text += f", {schedule.seconds} s each"
    return text


def created(bot: QuizBot, schedule: StoredSchedule, runs: Sequence[datetime], reminder_minutes: int) -> str:
    """The reply to ``/quiz schedule add``: what was scheduled and its next runs."""
    where = f"<#{schedule.channel_id}>"
    lines = [f"🗓️ Schedule **#{schedule.number}** in {where}: {rule_in_words(schedule)}, {what(bot, schedule)}."]
    if reminder_minutes > 0:
        ping = f", pinging <@&{schedule.ping_role_id}>" if schedule.ping_role_id is not None else ""
        lines.append(f"A reminder goes out {reminder_minutes} min before each run{ping}.")
    elif schedule.ping_role_id is not None:
        lines.append("Reminders are off (`/quiz settings reminder`), so the role is not pinged.")
    lines.append("Next run:" if len(runs) == 1 else f"Next {len(runs)} runs:")
    lines.extend(f"• {when(run)}" for run in runs)
    return "\n".join(lines)


def listing_line(bot: QuizBot, schedule: StoredSchedule) -> tuple[str, str]:
    """One schedule for ``/quiz schedule list``, as an embed field's name and value."""
    name = f"#{schedule.number} · {rule_in_words(schedule)}"
    parts = [f"<#{schedule.channel_id}> · {what(bot, schedule)}"]
    if schedule.ping_role_id is not None:
        parts.append(f"Reminder pings <@&{schedule.ping_role_id}>")
    if schedule.paused:
        parts.append(f"⏸️ Paused: {schedule.pause_reason}" if schedule.pause_reason else "⏸️ Paused by a moderator")
    elif schedule.next_run_at is not None:
        parts.append(f"Next: {when(schedule.next_run_at)}")
    if schedule.last_run_at is not None and schedule.last_outcome is not None:
        parts.append(f"Last: {schedule.last_outcome} ({discord.utils.format_dt(schedule.last_run_at, 'f')})")
    return name[:256], "\n".join(parts)[:1024]


def _next(following: datetime | None) -> str:
    return f" Next run: {when(following)}." if following is not None else ""


def missed(due: datetime, count: int, following: datetime | None) -> str:
    """The notice for runs the bot missed while offline, beyond the grace window."""
    earlier = "" if count <= 1 else f" ({count} runs in all)"
    return (
        f"⏰ The quiz round scheduled for {discord.utils.format_dt(due, 'F')} was missed while the bot was "
        f"offline{earlier}.{_next(following)}"
    )


def skipped(due: datetime, following: datetime | None) -> str:
    """The notice for a run skipped because a round was still running in the channel."""
    return (
        f"⏭️ Skipped the quiz round scheduled for {discord.utils.format_dt(due, 't')}: "
        f"a round was still running in this channel.{_next(following)}"
    )


def late_start(count: int, run_at: datetime) -> str:
    """Said before a late start when earlier runs went by too."""
    return (
        f"⏰ {plural(count, 'earlier scheduled run')} went by while the bot was offline; "
        f"starting the one due {discord.utils.format_dt(run_at, 't')} now."
    )


def paused(schedule: StoredSchedule, reason: str) -> str:
    """What moderators are told when the bot pauses a schedule itself."""
    return (
        f"⏸️ Quiz schedule **#{schedule.number}** ({rule_in_words(schedule)} in <#{schedule.channel_id}>) is paused: "
        f"{reason}. Fix that, then run `/quiz schedule resume schedule:{schedule.number}`."
    )
