"""The ``/quiz schedule`` subcommands: moderators add, list, pause, resume, skip and remove scheduled rounds."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.db import repos
from bot.db.repos import StoredSchedule
from bot.exts._common.autocomplete import MAX_AUTOCOMPLETE_CHOICES, bank_autocomplete
from bot.exts._common.checks import NotInGuild, moderator_only
from bot.exts._common.options import StoredNumber
from bot.exts._common.permissions import missing_permissions
from bot.exts._common.replies import reply
from bot.exts.calendar import _text as text
from bot.exts.calendar._dispatcher import Dispatcher
from bot.rounds.plans import admit_channel
from bot.schedules import (
    Recurrence,
    RepeatKind,
    anchor,
    check_recurrence,
    guild_zone,
    parse_repeat,
    parse_when,
    recurrence_of,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

GROUP_NAME = "schedule"
# Enough for any server's plans; keeps /quiz schedule list inside one embed and autocomplete's 25 choices.
MAX_SCHEDULES = 25
SHOWN_RUNS = 3
REPEAT_SUGGESTIONS = (
    ("none: run once", "none"),
    ("daily", "daily"),
    ("weekly: on the day of the first run", "weekly"),
    ("weekly on Monday, Wednesday and Friday", "weekly mon,wed,fri"),
    ("cron: 19:30 on weekdays", "30 19 * * 1-5"),
    ("RRULE: Saturdays at 20:00", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0"),
)
NO_SUCH = "There is no schedule #{id} in this server. `/quiz schedule list` shows them."


def _guild(interaction: discord.Interaction[QuizBot]) -> discord.Guild:
    if interaction.guild is None:
        raise NotInGuild("this command only works in a server")
    return interaction.guild


def _no_such(schedule_id: int) -> str:
    return NO_SUCH.replace("{id}", str(schedule_id))


async def repeat_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    """Example repeat rules matching what the moderator typed, with what they typed kept first."""
    needle = current.casefold().strip()
    choices = [
        app_commands.Choice(name=name, value=value)
        for name, value in REPEAT_SUGGESTIONS
        if needle in name.casefold() or needle in value.casefold()
    ]
    if current.strip() and all(choice.value != current.strip() for choice in choices):
        choices.insert(0, app_commands.Choice(name=current.strip()[:100], value=current.strip()[:100]))
    return choices[:MAX_AUTOCOMPLETE_CHOICES]


async def schedule_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[int]]:
    """The server's schedules whose number, rule or channel matches what was typed."""
    guild = interaction.guild
    if guild is None:
        return []
    async with interaction.client.sessions.begin() as session:
        schedules = await repos.guild_schedules(session, guild.id)
    needle = current.casefold().strip().lstrip("#")
    choices = []
    for schedule in schedules:
        channel = guild.get_channel(schedule.channel_id)
        where = f"#{channel.name}" if channel is not None else "deleted channel"
        name = f"#{schedule.number} · {text.rule_in_words(schedule)} · {where}"
        if schedule.paused:
            name += " · paused"
        if needle in name.casefold():
            choices.append(app_commands.Choice(name=name[:100], value=schedule.number))
    return choices[:MAX_AUTOCOMPLETE_CHOICES]


class ScheduleGroup(app_commands.Group):
    """``/quiz schedule``: build one per bot, bound to that bot's dispatcher."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        super().__init__(name=GROUP_NAME, description="Schedule quiz rounds, once or repeating (moderators).")
        self.dispatcher = dispatcher

    @app_commands.command(name="add")
    @app_commands.describe(
        when="When the first round starts, in the server's time zone: 2026-12-01 19:30, 19:30, tomorrow 18:00, "
        "friday 19:30 or in 2h.",
        repeat="none, daily, weekly, weekly mon,wed,fri, an RRULE (FREQ=...) or a cron line (30 19 * * 1-5).",
        channel="Where the rounds run (default: this channel).",
        bank="The question bank to play (default: all banks).",
        questions="How many questions (default: the server's setting).",
        seconds="Seconds to answer each question (default: the bank's or the server's setting).",
        ping="A role to ping in the reminder before each round (default: no ping).",
    )
    @app_commands.autocomplete(bank=bank_autocomplete, repeat=repeat_autocomplete)
    @moderator_only()
    async def add(
        self,
        interaction: discord.Interaction[QuizBot],
        when: str,
        repeat: str = "none",
        channel: discord.TextChannel | None = None,
        bank: str | None = None,
        questions: app_commands.Range[int, 1, 50] | None = None,
        seconds: app_commands.Range[int, 5, 120] | None = None,
        ping: discord.Role | None = None,
    ) -> None:
        """Moderators: schedule a quiz round, once or repeating; the reply lists the next runs."""
        guild = _guild(interaction)
        target = channel or interaction.channel
        if not isinstance(target, discord.TextChannel | discord.Thread | discord.VoiceChannel):
            await reply(interaction, "Pick a text channel for the rounds with the `channel` option.")
            return
        client = interaction.client
        async with client.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, guild.id)
            existing = len(await repos.guild_schedules(session, guild.id))
        zone = guild_zone(settings.timezone)
        # A ScheduleError names what could not be read; the tree's error handler shows it.
        start = parse_when(when, client.clock(), zone)
        rule = anchor(parse_repeat(repeat), start.wall)
        if rule.kind is RepeatKind.ONCE:
            runs = [start.at]
        else:
            runs = check_recurrence(Recurrence(rule, start.wall, zone), start.at)
        if bank is not None:
            client.library.playable(bank, guild.id)  # raises UnknownBank / BankDisabled, answered by the tree
        admit_channel(settings, target.id, missing_permissions(target, guild.me))
        if ping is not None and ping.is_default():
            await reply(interaction, "I won't ping @everyone: pick a role for the reminder, or leave `ping` out.")
            return
        if existing >= MAX_SCHEDULES:
            await reply(interaction, f"This server has {MAX_SCHEDULES} schedules, the most allowed: remove one first.")
            return
        async with client.sessions.begin() as session:
            stored = await repos.create_schedule(
                session,
                guild_id=guild.id,
                channel_id=target.id,
                created_by=interaction.user.id,
                timezone=zone.key,
                starts_local=start.wall,
                repeat=rule,
                next_run_at=runs[0],
                remind_at=repos.reminder_time(runs[0], settings.reminder_minutes),
                bank_id=bank,
                questions=questions,
                seconds=seconds,
                ping_role_id=ping.id if ping is not None else None,
                created_at=client.clock(),
            )
        self.dispatcher.reschedule()
        log.info("Guild %s: user %s added schedule %s", guild.id, interaction.user.id, stored.id)
        await reply(interaction, text.created(client, stored, runs[:SHOWN_RUNS], settings.reminder_minutes))

    @app_commands.command(name="list")
    @moderator_only()
    async def list_schedules(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Moderators: see this server's scheduled rounds, their next runs and any that are paused."""
        guild = _guild(interaction)
        async with interaction.client.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, guild.id)
            schedules = await repos.guild_schedules(session, guild.id)
            made = await repos.schedules_made(session, guild.id)
        reminders = f"**{settings.reminder_minutes} min** before" if settings.reminder_minutes else "**off**"
        embed = discord.Embed(
            title="Scheduled quiz rounds",
            colour=discord.Colour.blurple(),
            description=(
                f"Server time zone: **{settings.timezone}** · reminders {reminders} · "
                f"runs missed while the bot was offline still start up to **{settings.grace_minutes} min** late."
            ),
        )
        if not schedules:
            # "yet" only while the server never had one: one-off schedules are gone once they ran.
            none = "No schedules yet" if made == 0 else "No schedules now (one-off schedules end once they run)"
            embed.description = (embed.description or "") + f"\n\n{none}: add one with `/quiz schedule add`."
        for schedule in schedules[:MAX_SCHEDULES]:
            name, value = text.listing_line(interaction.client, schedule)
            embed.add_field(name=name, value=value, inline=False)
        await reply(interaction, embed=embed)

    async def _find(self, interaction: discord.Interaction[QuizBot], number: int) -> StoredSchedule | None:
        guild = _guild(interaction)
        async with interaction.client.sessions.begin() as session:
            found = await repos.schedule_by_number(session, guild.id, number)
        if found is None:
            await reply(interaction, _no_such(number))
        return found

    @app_commands.command(name="remove")
    @app_commands.describe(schedule="The schedule to delete (its number in /quiz schedule list).")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @moderator_only()
    async def remove(self, interaction: discord.Interaction[QuizBot], schedule: StoredNumber) -> None:
        """Moderators: delete a schedule; a round it already started keeps running."""
        guild = _guild(interaction)
        async with interaction.client.sessions.begin() as session:
            found = await repos.schedule_by_number(session, guild.id, schedule)
            deleted = found is not None and await repos.delete_schedule(session, found.id, guild_id=guild.id)
        if not deleted:
            await reply(interaction, _no_such(schedule))
            return
        self.dispatcher.reschedule()
        log.info("Guild %s: user %s removed schedule %s", guild.id, interaction.user.id, found and found.id)
        await reply(interaction, f"Schedule **#{schedule}** is removed.")

    @app_commands.command(name="pause")
    @app_commands.describe(schedule="The schedule to pause (its number in /quiz schedule list).")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @moderator_only()
    async def pause(self, interaction: discord.Interaction[QuizBot], schedule: StoredNumber) -> None:
        """Moderators: stop a schedule from running until you resume it."""
        found = await self._find(interaction, schedule)
        if found is None:
            return
        if found.paused:
            await reply(interaction, f"Schedule **#{schedule}** is already paused.")
            return
        async with interaction.client.sessions.begin() as session:
            await repos.pause_schedule(session, found.id, guild_id=found.guild_id)
        self.dispatcher.reschedule()
        log.info("Guild %s: user %s paused schedule %s", found.guild_id, interaction.user.id, found.id)
        await reply(
            interaction,
            f"Schedule **#{schedule}** is paused. `/quiz schedule resume schedule:{schedule}` starts it again.",
        )

    @app_commands.command(name="resume")
    @app_commands.describe(schedule="The paused schedule to run again (its number in /quiz schedule list).")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @moderator_only()
    async def resume(self, interaction: discord.Interaction[QuizBot], schedule: StoredNumber) -> None:
        """Moderators: run a paused schedule again, from its next run after now."""
        found = await self._find(interaction, schedule)
        if found is None:
            return
        if not found.paused:
            await reply(interaction, f"Schedule **#{schedule}** is not paused.")
            return
        now = interaction.client.clock()
        if found.repeat.kind is RepeatKind.ONCE:
            following = found.next_run_at if found.next_run_at is not None and found.next_run_at > now else None
        else:
            following = recurrence_of(found).next_after(now)
        if following is None:
            await reply(
                interaction,
                f"Schedule **#{schedule}** has no runs left: remove it and add a new one with `/quiz schedule add`.",
            )
            return
        async with interaction.client.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, found.guild_id)
            await repos.resume_schedule(
                session,
                found.id,
                guild_id=found.guild_id,
                next_run_at=following,
                remind_at=repos.reminder_time(following, settings.reminder_minutes),
            )
        self.dispatcher.reschedule()
        log.info("Guild %s: user %s resumed schedule %s", found.guild_id, interaction.user.id, found.id)
        await reply(interaction, f"Schedule **#{schedule}** runs again. Next run: {text.when(following)}.")

    @app_commands.command(name="skip-next")
    @app_commands.describe(schedule="The schedule whose next run to skip (its number in /quiz schedule list).")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @moderator_only()
    async def skip_next(self, interaction: discord.Interaction[QuizBot], schedule: StoredNumber) -> None:
        """Moderators: skip a repeating schedule's next run; the ones after it stay."""
        found = await self._find(interaction, schedule)
        if found is None:
            return
        if found.repeat.kind is RepeatKind.ONCE:
            await reply(interaction, "A one-off schedule has no later run to move to: remove it instead.")
            return
        if found.paused or found.next_run_at is None:
            await reply(interaction, f"Schedule **#{schedule}** is paused: resume it first.")
            return
        skipped = found.next_run_at
        following = recurrence_of(found).next_after(skipped)
        async with interaction.client.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, found.guild_id)
            moved = await repos.move_next_run(
                session,
                found.id,
                expected=skipped,
                next_run_at=following,
                remind_at=repos.reminder_time(following, settings.reminder_minutes),
            )
        if not moved:
            await reply(interaction, f"Schedule **#{schedule}** just ran or changed: check `/quiz schedule list`.")
            return
        self.dispatcher.reschedule()
        log.info("Guild %s: user %s skipped the next run of schedule %s", found.guild_id, interaction.user.id, found.id)
        after = f"Next run: {text.when(following)}." if following is not None else "It has no runs after that."
        await reply(
            interaction, f"Skipped the run of {discord.utils.format_dt(skipped, 'F')} of **#{schedule}**. {after}"
        )
