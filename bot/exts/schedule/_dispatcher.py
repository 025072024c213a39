"""The one task that runs every schedule: it sleeps until the earliest due run or reminder, then acts.

The task only ever sleeps (never waits on an event), so "wake early when schedules change"
is ``reschedule()``: cancel the sleeping task and start a fresh one, which reads the new
earliest time from the database. While the task is busy handling runs it is not cancelled;
it re-reads the database before sleeping again, and a version counter makes sure a change
made meanwhile is not slept through.

Decisions (see docs/scheduling.md):

- A run that falls due while a round is still running in its channel is skipped, with a notice.
- A run found late (the bot was offline) starts if it is at most the guild's grace window late;
  otherwise it is recorded as missed, the channel is told, and the schedule moves to its next
  future run. Only the latest missed run can start: earlier ones are never replayed.
- A channel that is gone, or where the bot lacks permissions, pauses the schedule; the
  moderators are told in the server's system channel, or else the schedule's creator by DM.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.banks.errors import UnknownBank
from bot.db import repos
from bot.db.repos import Outcome, StoredSchedule
from bot.exts.rounds._conductor import with_retry
from bot.exts.schedule import _text as text
from bot.exts.schedule._timing import following_run, runs_between
from bot.quiz import QuizError
from bot.rounds.errors import ChannelNotAllowed, MissingPermissions, NoBanks, RoundAlreadyRunning
from bot.schedules import RepeatKind

if TYPE_CHECKING:
    from bot.client import QuizBot
    from bot.exts.rounds import Rounds

log = logging.getLogger(__name__)

# After an unexpected failure (say the database was unreachable), try again this much later.
RETRY_AFTER = timedelta(seconds=60)

GuildMessageable = discord.TextChannel | discord.VoiceChannel | discord.StageChannel | discord.Thread


class Dispatcher:
    """Runs due schedules and sends due reminders for this process."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.task: asyncio.Task[None] | None = None
        self._sleeping: asyncio.Task[None] | None = None
        self._version = 0

    def start(self) -> None:
        """Start the task unless it is running."""
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._loop(), name="quiz-schedules")
            self.task.add_done_callback(self._log_crash)

    def reschedule(self) -> None:
        """Schedules changed: make the task re-read the earliest due time (cheap; call after every change)."""
        self._version += 1
        if self.task is not None and not self.task.done() and self._sleeping is self.task:
            self.task.cancel()
            self.task = None
        self.start()

    async def stop(self) -> None:
        """Cancel the task (on unload) and wait for it to end."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    @staticmethod
    def _log_crash(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("The schedule dispatcher crashed", exc_info=error)

    async def _loop(self) -> None:
        while True:
            version = self._version
            try:
                async with self.bot.sessions.begin() as session:
                    due = await repos.next_schedule_due(session)
                if version != self._version:
                    continue  # changed while we read: read again
                if due is None:
                    return  # nothing to do until reschedule() starts a new task
                if due > self.bot.clock():
                    await self._sleep_until(due)
                await self.run_due(self.bot.clock())
            except Exception:
                log.exception("The schedule dispatcher failed; retrying in %s", RETRY_AFTER)
                await self._sleep_until(self.bot.clock() + RETRY_AFTER)

    async def _sleep_until(self, when: datetime) -> None:
        self._sleeping = asyncio.current_task()
        try:
            await discord.utils.sleep_until(when)
        finally:
            if self._sleeping is asyncio.current_task():
                self._sleeping = None

    async def find_due(self, now: datetime) -> list[StoredSchedule]:
        """The schedules with a run or reminder due at ``now``."""
        async with self.bot.sessions.begin() as session:
            return await repos.due_schedules(session, now)

    async def run_due(self, now: datetime) -> None:
        """Handle every run and reminder due at ``now``."""
        await self.handle(await self.find_due(now), now)

    async def handle(self, schedules: list[StoredSchedule], now: datetime) -> None:
        """Handle runs and reminders read earlier; each is claimed first, so a stale read does no harm."""
        for schedule in schedules:
            try:
                if schedule.next_run_at is not None and schedule.next_run_at <= now:
                    await self._run(schedule, schedule.next_run_at, now)
                elif schedule.reminder_pending and schedule.remind_at is not None and schedule.remind_at <= now:
                    await self._remind(schedule)
            except Exception:
                log.exception("Schedule %s failed; pausing it", schedule.id)
                await self._pause_after_failure(schedule)

    async def _pause_after_failure(self, schedule: StoredSchedule) -> None:
        """Pause a schedule whose handling crashed, so it cannot stay due and spin the loop."""
        try:
            await self._pause(schedule, "it failed to run (the bot's log says why)")
        except Exception:
            log.exception("Could not pause schedule %s either", schedule.id)

    # Reminders.

    async def _remind(self, schedule: StoredSchedule) -> None:
        run_at = schedule.next_run_at
        assert run_at is not None
        async with self.bot.sessions.begin() as session:
            if not await repos.claim_reminder(session, schedule.id, run_at=run_at):
                return
        channel = self._channel(schedule)
        if channel is None:
            return  # the run itself will pause the schedule and say why
        role_id = schedule.ping_role_id
        if role_id is not None and channel.guild.get_role(role_id) is None:
            role_id = None  # a deleted role would only show as @deleted-role
        # The only ping the bot ever makes: the role a moderator chose for this schedule.
        mentions = (
            discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)])
            if role_id is not None
            else discord.AllowedMentions.none()
        )
        content = text.reminder(self.bot, schedule, run_at, role_id)
        try:
            await with_retry(lambda: channel.send(content, allowed_mentions=mentions))
        except discord.HTTPException as error:
            log.warning("Could not send the reminder of schedule %s: %s", schedule.id, error)

    # Runs.

    async def _run(self, schedule: StoredSchedule, due: datetime, now: datetime) -> None:
        async with self.bot.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, schedule.guild_id)
        runs = runs_between(schedule, due, now)
        latest = runs[-1]
        start = now - latest <= timedelta(minutes=settings.grace_minutes)
        following = following_run(schedule, now)
        async with self.bot.sessions.begin() as session:
            won = await repos.claim_run(
                session,
                schedule.id,
                due=due,
                next_run_at=following,
                remind_at=repos.reminder_time(following, settings.reminder_minutes),
                outcome=Outcome.STARTED if start else Outcome.MISSED,
            )
        if not won:
            log.info("Schedule %s: the run due %s was claimed elsewhere", schedule.id, due.isoformat())
            return
        log.info("Schedule %s: run due %s (%s)", schedule.id, latest.isoformat(), "start" if start else "missed")
        if start:
            finished = await self._start(schedule, latest, following, missed=len(runs) - 1)
        else:
            finished = await self._tell_missed(schedule, latest, len(runs), following)
        if finished and schedule.repeat.kind is RepeatKind.ONCE:
            async with self.bot.sessions.begin() as session:
                await repos.delete_schedule(session, schedule.id)

    async def _start(
        self, schedule: StoredSchedule, run_at: datetime, following: datetime | None, *, missed: int
    ) -> bool:
        """Start the round; False if the schedule was paused instead."""
        channel = self._channel(schedule)
        if channel is None:
            return not await self._pause(schedule, "its channel was deleted, or I can no longer see it")
        rounds: Rounds | None = self.bot.get_cog("Rounds")  # type: ignore[assignment]
        if rounds is None:
            log.error("Schedule %s: the rounds extension is not loaded", schedule.id)
            await self._record(schedule, Outcome.FAILED)
            return True
        try:
            if missed:
                await with_retry(lambda: channel.send(text.late_start(missed, run_at)))
            await rounds.start_in(
                channel,
                started_by=schedule.created_by,
                bank=schedule.bank_id,
                questions=schedule.questions,
                seconds=schedule.seconds,
            )
        except RoundAlreadyRunning:
            await self._record(schedule, Outcome.SKIPPED)
            await self._say(channel, text.skipped(run_at, following))
        except MissingPermissions as error:
            needed = ", ".join(f"**{name}**" for name in error.names)
            return not await self._pause(schedule, f"I need {needed} in <#{schedule.channel_id}>")
        except ChannelNotAllowed:
            return not await self._pause(schedule, f"<#{schedule.channel_id}> is no longer one of the quiz channels")
        except UnknownBank as error:
            bank = discord.utils.escape_markdown(error.bank_id)
            return not await self._pause(schedule, f"the bank `{bank}` is no longer loaded")
        except NoBanks:
            return not await self._pause(schedule, "no question banks are loaded")
        except QuizError as error:
            return not await self._pause(schedule, f"the round could not start ({error})")
        except discord.Forbidden:
            return not await self._pause(schedule, f"I'm not allowed to post in <#{schedule.channel_id}>")
        except discord.NotFound:
            return not await self._pause(schedule, "its channel was deleted")
        return True

    async def _tell_missed(
        self, schedule: StoredSchedule, due: datetime, count: int, following: datetime | None
    ) -> bool:
        channel = self._channel(schedule)
        if channel is None:
            return not await self._pause(schedule, "its channel was deleted, or I can no longer see it")
        await self._say(channel, text.missed(due, count, following))
        return True

    # Pausing and telling people.

    async def _pause(self, schedule: StoredSchedule, reason: str) -> bool:
        """Pause the schedule and tell the moderators why; True once done."""
        async with self.bot.sessions.begin() as session:
            await repos.pause_schedule(session, schedule.id, reason=reason)
            await repos.record_schedule_outcome(session, schedule.id, Outcome.PAUSED)
        log.warning("Schedule %s paused: %s", schedule.id, reason)
        await self.tell_moderators(schedule, text.paused(schedule, reason))
        return True

    async def tell_moderators(self, schedule: StoredSchedule, message: str) -> None:
        """Post in the server's system channel if the bot may, else DM the schedule's creator."""
        guild = self.bot.get_guild(schedule.guild_id)
        system = guild.system_channel if guild is not None else None
        if system is not None and guild is not None and system.permissions_for(guild.me).send_messages:
            try:
                await with_retry(lambda: system.send(message))
                return
            except discord.HTTPException as error:
                log.warning("Could not post in the system channel of guild %s: %s", schedule.guild_id, error)
        try:
            user = await self.bot.fetch_user(schedule.created_by)
            await user.send(message)
        except discord.HTTPException as error:
            log.warning("Could not DM user %s about schedule %s: %s", schedule.created_by, schedule.id, error)

    async def _say(self, channel: GuildMessageable, message: str) -> None:
        try:
            await with_retry(lambda: channel.send(message))
        except discord.HTTPException as error:
            log.warning("Could not post in channel %s: %s", channel.id, error)

    async def _record(self, schedule: StoredSchedule, outcome: str) -> None:
        async with self.bot.sessions.begin() as session:
            await repos.record_schedule_outcome(session, schedule.id, outcome)

    def _channel(self, schedule: StoredSchedule) -> GuildMessageable | None:
        channel = self.bot.get_channel(schedule.channel_id)
        if isinstance(channel, GuildMessageable) and channel.guild.id == schedule.guild_id:
            return channel
        return None
