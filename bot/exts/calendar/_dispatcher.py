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
- A run that starts is recorded as an occurrence with a lease and a fencing token in the claim's
  transaction; a run whose process died before recording its round is taken over once its lease
  runs out (``recover``), and its announcement's nonce keeps Discord from posting it twice
  (docs/scaling-exactly-once.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.db.repos import Outcome, StoredSchedule
from bot.db.repos import occurrences as occ
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
# How long a claim on a run holds before another process (or this one's restart) may take it over.
# Longer than a start takes (plan, two posts, one transaction), far shorter than any grace window.
LEASE = timedelta(seconds=30)
# On a shared database (PostgreSQL), the longest the task sleeps without re-reading the table: a
# schedule another process added is found this late at worst if its notification was lost (a
# notification wakes the task at once). On SQLite one process makes every change, so it never polls.
RECHECK = timedelta(minutes=5)


def process_name() -> str:
    """Who holds a lease, for the logs and the table: host, process id, and a tag for this dispatcher."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Dispatcher:
    """Runs due schedules and sends due reminders for this process."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.task: asyncio.Task[None] | None = None
        self._sleeping: asyncio.Task[None] | None = None
        self._version = 0
        self.lease = LEASE
        self.owner = process_name()
        # Only a shared database can change behind this process's back.
        self.recheck: timedelta | None = RECHECK if bot.hints.active else None
        self._hints: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        """Start the task unless it is running."""
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._loop(), name="quiz-schedules")
            self.task.add_done_callback(self._log_crash)

    def reschedule(self) -> None:
        """Schedules changed here: re-read the earliest due time, and hint the other processes (after every change)."""
        self.wake()
        if self.bot.hints.active:
            task = asyncio.create_task(self.bot.hints.publish("schedules"))
            self._hints.add(task)
            task.add_done_callback(self._hints.discard)

    def wake(self) -> None:
        """Make the task re-read the earliest due time now (a change here or in another process)."""
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
                    expiry = await occ.next_lease_expiry(session, other_than=self.owner)
                    db_now = await occ.database_now(session) if expiry is not None else None
                if version != self._version:
                    continue  # changed while we read: read again
                now = self.bot.clock()
                # A lease is timed by the database's clock: wake when it has run out there.
                lapse = None
                if expiry is not None and db_now is not None:
                    lapse = now + max(expiry - db_now, timedelta(0)) + timedelta(seconds=1)
                    due = lapse if due is None else min(due, lapse)
                if self.recheck is not None:
                    due = now + self.recheck if due is None else min(due, now + self.recheck)
                if due is None:
                    return  # nothing to do until reschedule() starts a new task
                if due > now:
                    await self._sleep_until(due)
                now = self.bot.clock()
                if lapse is not None and lapse <= now:
                    await self.recover(now)
                await self.run_due(now)
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
            if not self.bot.owns_guild(schedule.guild_id):
                continue
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
            # Recorded in the claim's transaction: a crash loses both or neither.
            claim = (
                await occ.record_occurrence(
                    session,
                    schedule_id=schedule.id,
                    guild_id=schedule.guild_id,
                    due_at=latest,
                    owner=self.owner,
                    lease=self.lease,
                )
                if won and start
                else None
            )
        if not won:
            log.info("Schedule %s: the run due %s was claimed elsewhere", schedule.id, due.isoformat())
            return
        log.info("Schedule %s: run due %s (%s)", schedule.id, latest.isoformat(), "start" if start else "missed")
        if start:
            missed = len(runs) - 1
            late = text.late_start(missed, latest) if missed else None
            run = events.ScheduledRound(schedule, latest, following, settings, late, claim)
            self.bot.dispatch(events.ROUND_DUE, run)
        elif await self._tell_missed(schedule, latest, len(runs), following):
            await self._forget_once(schedule)

    async def recover(self, now: datetime) -> None:
        """Take over the runs whose process died between claiming and recording them, once their lease ran out.

        A run still within its guild's grace window starts again under the new token (its announcement
        has the same nonce, so Discord does not post it twice); a later one is recorded as missed.
        """
        taken: list[occ.OccurrenceClaim] = []
        async with self.bot.sessions.begin() as session:
            for occurrence_id, guild_id in await occ.expired_occurrences(session):
                if self.bot.owns_guild(guild_id):
                    claim = await occ.take_over(session, occurrence_id, owner=self.owner, lease=self.lease)
                    if claim is not None:
                        taken.append(claim)
        for claim in taken:
            try:
                await self._restart(claim, now)
            except Exception:
                log.exception("Could not take over the run of schedule %s due %s", claim.schedule_id, claim.due_at)

    async def _restart(self, claim: occ.OccurrenceClaim, now: datetime) -> None:
        async with self.bot.sessions.begin() as session:
            schedule = await repos.get_schedule(session, claim.schedule_id)
            settings = await repos.get_guild_settings(session, claim.guild_id)
            late = now - claim.due_at > timedelta(minutes=settings.grace_minutes)
            if schedule is None or schedule.paused or late:
                await occ.finish_occurrence(session, claim, Outcome.MISSED)
        if schedule is None or schedule.paused or late:
            log.warning(
                "Schedule %s: the run due %s was not taken over (gone, paused or too late)",
                claim.schedule_id,
                claim.due_at,
            )
            return
        log.info(
            "Schedule %s: taking over the run due %s (token %d)", schedule.id, claim.due_at.isoformat(), claim.fence
        )
        following = schedule.next_run_at
        self.bot.dispatch(
            events.ROUND_DUE, events.ScheduledRound(schedule, claim.due_at, following, settings, None, claim)
        )

    async def started(self, run: events.ScheduledRound) -> None:
        """The play feature started a scheduled run: a one-off schedule is done."""
        await self._forget_once(run.schedule)

    async def refused(self, run: events.ScheduledRound, error: Exception) -> None:
        """The play feature could not start a run: skip it if the channel was busy, else pause the schedule."""
        schedule = run.schedule
        if isinstance(error, occ.FenceLost):
            log.info("Schedule %s: the run due %s was taken over elsewhere", schedule.id, run.run_at.isoformat())
            return
        if run.occurrence is not None:
            async with self.bot.sessions.begin() as session:
                await occ.finish_occurrence(session, run.occurrence, "refused")
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
