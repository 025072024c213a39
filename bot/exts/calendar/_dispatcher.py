"""The one task that runs every schedule: it sleeps until the earliest due run or reminder, then claims it.

A claimed run or reminder becomes a bot event (``bot.exts._common.events``) that the play feature
handles; its answer (started, or refused and why) comes back as another event, handled here.

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

from bot.db import repos
from bot.db.repos import Outcome, StoredSchedule
from bot.exts._common import events
from bot.exts._common.errors import schedule_pause_reason
from bot.exts._common.retry import with_retry
from bot.exts.calendar import _text as text
from bot.rounds.errors import RoundAlreadyRunning
from bot.schedules import RepeatKind, following_run, runs_between

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

# After an unexpected failure (say the database was unreachable), try again this much later.
RETRY_AFTER = timedelta(seconds=60)


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
                    due = await repos.next_schedule_due(session, self.bot.ownership)
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
        """The schedules of this process's guilds with a run or reminder due at ``now``."""
        async with self.bot.sessions.begin() as session:
            return await repos.due_schedules(session, now, self.bot.ownership)

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

    # Reminders: claimed here, posted by the play feature.

    async def _remind(self, schedule: StoredSchedule) -> None:
        run_at = schedule.next_run_at
        assert run_at is not None
        async with self.bot.sessions.begin() as session:
            if not await repos.claim_reminder(session, schedule.id, run_at=run_at):
                return
        self.bot.dispatch(
            events.REMINDER_DUE, events.ScheduledReminder(schedule, run_at, text.what(self.bot, schedule))
        )

    # Runs: claimed here (the guild's settings read in the same transaction), started by the play feature.

    async def _run(self, schedule: StoredSchedule, due: datetime, now: datetime) -> None:
        runs = runs_between(schedule, due, now)
        latest = runs[-1]
        following = following_run(schedule, now)
        async with self.bot.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, schedule.guild_id)
            start = now - latest <= timedelta(minutes=settings.grace_minutes)
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
            missed = len(runs) - 1
            late = text.late_start(missed, latest) if missed else None
            self.bot.dispatch(events.ROUND_DUE, events.ScheduledRound(schedule, latest, following, settings, late))
        elif await self._tell_missed(schedule, latest, len(runs), following):
            await self._forget_once(schedule)

    async def started(self, run: events.ScheduledRound) -> None:
        """The play feature started a scheduled run: a one-off schedule is done."""
        await self._forget_once(run.schedule)

    async def refused(self, run: events.ScheduledRound, error: Exception) -> None:
        """The play feature could not start a run: skip it if the channel was busy, else pause the schedule."""
        schedule = run.schedule
        if isinstance(error, RoundAlreadyRunning):
            await self._record(schedule, Outcome.SKIPPED)
            channel = events.channel_of(self.bot, schedule)
            if channel is not None:
                await self._say(channel, text.skipped(run.run_at, run.following))
            await self._forget_once(schedule)
            return
        reason = schedule_pause_reason(error, schedule.channel_id)
        if reason is None:
            log.error("Schedule %s failed to start its round; pausing it", schedule.id, exc_info=error)
            await self._pause_after_failure(schedule)
        else:
            await self._pause(schedule, reason)

    async def _forget_once(self, schedule: StoredSchedule) -> None:
        """Delete a one-off schedule once its run is over (started, skipped or missed)."""
        if schedule.repeat.kind is RepeatKind.ONCE:
            async with self.bot.sessions.begin() as session:
                await repos.delete_schedule(session, schedule.id)

    async def _tell_missed(
        self, schedule: StoredSchedule, due: datetime, count: int, following: datetime | None
    ) -> bool:
        channel = events.channel_of(self.bot, schedule)
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

    async def _say(self, channel: events.GuildMessageable, message: str) -> None:
        try:
            await with_retry(lambda: channel.send(message))
        except discord.HTTPException as error:
            log.warning("Could not post in channel %s: %s", channel.id, error)

    async def _record(self, schedule: StoredSchedule, outcome: str) -> None:
        async with self.bot.sessions.begin() as session:
            await repos.record_schedule_outcome(session, schedule.id, outcome)
