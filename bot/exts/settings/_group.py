"""The ``/quiz settings`` subcommands: each one reads the guild's settings, changes one, and says what changed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.checks import NotInGuild, guild_only, moderator_only
from bot.exts._common.replies import reply
from bot.exts._common.text import plural
from bot.exts._common.zone_choices import zone_autocomplete
from bot.exts.settings._embed import settings_embed
from bot.quiz.rules import SECONDS_RANGE
from bot.schedules.timezones import parse_zone

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

GROUP_NAME = "settings"
# A guild's default seconds obey the same bounds as a bank's own.
MIN_SECONDS, MAX_SECONDS = SECONDS_RANGE
MIN_QUESTIONS, MAX_QUESTIONS = 1, 50
# Reminders and the grace window for scheduled rounds, in minutes: up to a day.
MAX_REMINDER_MINUTES = MAX_GRACE_MINUTES = 1440
# Reports from this many distinct players hold a question back; more would never trigger in most servers.
MAX_HOLD_BACK_REPORTS = 50
# Keeps the channel list readable, and well inside an embed field's 1024 characters.
MAX_CHANNELS = 25

MANAGE_SERVER_ONLY = "Only members with the **Manage Server** permission can change the moderator role."
MANAGE_SERVER_ONLY_AUTHORS = "Only members with the **Manage Server** permission can change the author role."


def _guild(interaction: discord.Interaction[QuizBot]) -> discord.Guild:
    """The interaction's guild; the checks have already refused DMs, this keeps mypy and us honest."""
    if interaction.guild is None:
        raise NotInGuild("this command only works in a server")
    return interaction.guild


def _channel_list(channel_ids: tuple[int, ...]) -> str:
    return ", ".join(f"<#{channel_id}>" for channel_id in channel_ids)


Change = Callable[[repos.GuildSettings], repos.GuildSettings | None]
#: More work in the same transaction, given the open session and the stored settings.
AlsoStore = Callable[[Any, repos.GuildSettings], Awaitable[object]]


async def _store(
    interaction: discord.Interaction[QuizBot], change: Change, *, also: AlsoStore | None = None
) -> tuple[repos.GuildSettings, repos.GuildSettings | None]:
    """Read the guild's settings and store ``change`` of them in one transaction; a change of None stores nothing.

    Returns the settings before and after (None when nothing was stored), and logs what changed.
    """
    guild_id = _guild(interaction).id
    async with interaction.client.sessions.begin() as session:
        current = await repos.get_guild_settings(session, guild_id)
        wanted = change(current)
        if wanted is None:
            return current, None
        stored = await repos.update_guild_settings(session, wanted)
        if also is not None:
            await also(session, stored)
    changed = {
        f.name: getattr(stored, f.name) for f in fields(stored) if getattr(stored, f.name) != getattr(current, f.name)
    }
    log.info("Guild %s: user %s changed %s", guild_id, interaction.user.id, changed or "nothing")
    return current, stored


RoleField = Literal["moderator_role_id", "author_role_id"]


def _with_role(current: repos.GuildSettings, field: RoleField, role_id: int | None) -> repos.GuildSettings:
    """The settings with one of the two roles changed."""
    if field == "moderator_role_id":
        return replace(current, moderator_role_id=role_id)
    return replace(current, author_role_id=role_id)


async def _set_role(
    interaction: discord.Interaction[QuizBot], role: discord.Role, *, field: RoleField, refusal: str, everyone: str
) -> bool:
    """Store ``role`` as the moderator or author role; False (after saying why) if it may not be set."""
    # Such a role hands out powers, so only those who hold them by right (Manage Server) may choose it;
    # otherwise the role's holders could widen it themselves.
    if not interaction.permissions.manage_guild:
        await reply(interaction, refusal)
        return False
    if role.is_default():
        await reply(interaction, everyone)
        return False
    if role.managed:
        await reply(interaction, "That role belongs to a bot or integration and can't be given to members.")
        return False
    await _store(interaction, lambda current: _with_role(current, field, role.id))
    return True


async def _clear_role(interaction: discord.Interaction[QuizBot], *, field: RoleField, refusal: str) -> bool | None:
    """Clear the moderator or author role: None if refused, False if there was none, True if cleared."""
    if not interaction.permissions.manage_guild:
        await reply(interaction, refusal)
        return None
    _, cleared = await _store(
        interaction, lambda current: None if getattr(current, field) is None else _with_role(current, field, None)
    )
    return cleared is not None


class SettingsGroup(app_commands.Group):
    """``/quiz settings``: build one per bot, since command objects belong to one tree."""

    def __init__(self) -> None:
        super().__init__(name=GROUP_NAME, description="See and change how quizzes run in this server.")

    @app_commands.command(name="show")
    @guild_only()
    async def show_settings(self, interaction: discord.Interaction[QuizBot]) -> None:
        """See this server's quiz settings: timing, moderators, channels and reveals."""
        guild = _guild(interaction)
        async with interaction.client.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, guild.id)
        await reply(interaction, embed=settings_embed(settings, guild))

    @app_commands.command(name="seconds")
    @app_commands.describe(seconds=f"Seconds to answer each question, {MIN_SECONDS} to {MAX_SECONDS}.")
    @moderator_only()
    async def set_seconds(
        self,
        interaction: discord.Interaction[QuizBot],
        seconds: app_commands.Range[int, MIN_SECONDS, MAX_SECONDS],
    ) -> None:
        """Moderators: set how long players have for each question by default."""
        await _store(interaction, lambda current: replace(current, default_seconds=seconds))
        await reply(interaction, f"Questions now last {seconds} s.")

    @app_commands.command(name="questions")
    @app_commands.describe(questions=f"Questions in a round, {MIN_QUESTIONS} to {MAX_QUESTIONS}.")
    @moderator_only()
    async def set_questions(
        self,
        interaction: discord.Interaction[QuizBot],
        questions: app_commands.Range[int, MIN_QUESTIONS, MAX_QUESTIONS],
    ) -> None:
        """Moderators: set how many questions a round has by default."""
        await _store(interaction, lambda current: replace(current, default_questions=questions))
        await reply(interaction, f"Rounds now have {plural(questions, 'question')}.")

    @app_commands.command(name="moderator-role")
    @app_commands.describe(role="Members with this role may run quizzes and change these settings.")
    @moderator_only()
    async def set_moderator_role(self, interaction: discord.Interaction[QuizBot], role: discord.Role) -> None:
        """Server managers: let members with a role moderate quizzes (Manage Server always can)."""
        everyone = "@everyone can't be the moderator role: pick a role only moderators have."
        if await _set_role(interaction, role, field="moderator_role_id", refusal=MANAGE_SERVER_ONLY, everyone=everyone):
            await reply(
                interaction,
                f"Members with {role.mention} are now quiz moderators, as is everyone with **Manage Server**.",
            )

    @app_commands.command(name="moderator-role-clear")
    @moderator_only()
    async def clear_moderator_role(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Server managers: stop using a moderator role; only Manage Server moderates then."""
        cleared = await _clear_role(interaction, field="moderator_role_id", refusal=MANAGE_SERVER_ONLY)
        if cleared is False:
            await reply(interaction, "There is no moderator role to clear: only **Manage Server** moderates.")
        elif cleared:
            await reply(interaction, "The moderator role is cleared: only members with **Manage Server** moderate now.")

    @app_commands.command(name="author-role")
    @app_commands.describe(role="Members with this role may upload and manage this server's question banks.")
    @moderator_only()
    async def set_author_role(self, interaction: discord.Interaction[QuizBot], role: discord.Role) -> None:
        """Server managers: let members with a role upload and manage question banks (Manage Server always can)."""
        everyone = "@everyone can't be the author role: pick a role only your bank authors have."
        if await _set_role(
            interaction, role, field="author_role_id", refusal=MANAGE_SERVER_ONLY_AUTHORS, everyone=everyone
        ):
            await reply(
                interaction,
                f"Members with {role.mention} may now upload and manage question banks, as may everyone with "
                "**Manage Server**.",
            )

    @app_commands.command(name="author-role-clear")
    @moderator_only()
    async def clear_author_role(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Server managers: stop using an author role; only Manage Server manages banks then."""
        cleared = await _clear_role(interaction, field="author_role_id", refusal=MANAGE_SERVER_ONLY_AUTHORS)
        if cleared is False:
            await reply(interaction, "There is no author role to clear: only **Manage Server** manages banks.")
        elif cleared:
            await reply(
                interaction, "The author role is cleared: only members with **Manage Server** manage banks now."
            )

    @app_commands.command(name="channel-add")
    @app_commands.describe(channel="A channel quiz rounds may run in.")
    @moderator_only()
    async def add_channel(self, interaction: discord.Interaction[QuizBot], channel: discord.TextChannel) -> None:
        """Moderators: allow rounds in a channel; once any is listed, rounds run only in listed ones."""

        def add(current: repos.GuildSettings) -> repos.GuildSettings | None:
            allowed = current.allowed_channel_ids
            if channel.id in allowed or len(allowed) >= MAX_CHANNELS:
                return None
            return replace(current, allowed_channel_ids=(*allowed, channel.id))

        current, updated = await _store(interaction, add)
        if updated is None:
            if channel.id in current.allowed_channel_ids:
                await reply(interaction, f"{channel.mention} is already one of the quiz channels.")
            else:
                await reply(
                    interaction,
                    f"There are already {MAX_CHANNELS} quiz channels, the most allowed: remove one first.",
                )
            return
        if len(updated.allowed_channel_ids) == 1:
            message = f"Quiz rounds may now run only in {channel.mention}."
        else:
            message = f"Quiz rounds may now run in {_channel_list(updated.allowed_channel_ids)}."
        await reply(interaction, message)

    @app_commands.command(name="channel-remove")
    @app_commands.describe(channel="The channel to take off the list of quiz channels.")
    @moderator_only()
    async def remove_channel(self, interaction: discord.Interaction[QuizBot], channel: discord.TextChannel) -> None:
        """Moderators: stop allowing rounds in a channel; an empty list means any channel."""

        def remove(current: repos.GuildSettings) -> repos.GuildSettings | None:
            if channel.id not in current.allowed_channel_ids:
                return None
            return replace(
                current, allowed_channel_ids=tuple(c for c in current.allowed_channel_ids if c != channel.id)
            )

        _, updated = await _store(interaction, remove)
        if updated is None:
            await reply(interaction, f"{channel.mention} is not one of the quiz channels.")
            return
        remaining = updated.allowed_channel_ids
        if remaining:
            message = f"{channel.mention} is no longer a quiz channel. Rounds may run in {_channel_list(remaining)}."
        else:
            message = f"{channel.mention} is no longer a quiz channel. With none listed, rounds may run anywhere."
        await reply(interaction, message)

    @app_commands.command(name="channels-clear")
    @moderator_only()
    async def clear_channels(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Moderators: empty the channel list, so rounds may run in any channel."""
        await _store(interaction, lambda current: replace(current, allowed_channel_ids=()))
        await reply(interaction, "Quiz rounds may now run in any channel.")

    @app_commands.command(name="reveal-answerers")
    @app_commands.describe(enabled="True: reveals name who answered what. False: they only count the answers.")
    @moderator_only()
    async def set_reveal_answerers(self, interaction: discord.Interaction[QuizBot], enabled: bool) -> None:
        """Moderators: choose whether answer reveals show who answered."""
        await _store(interaction, lambda current: replace(current, show_answerers=enabled))
        if enabled:
            await reply(interaction, "Reveals now show who answered.")
        else:
            await reply(interaction, "Reveals no longer show who answered, only how many did.")

    @app_commands.command(name="timezone")
    @app_commands.describe(zone="An IANA time zone such as Europe/Berlin or America/New_York; start typing a city.")
    @app_commands.autocomplete(zone=zone_autocomplete)
    @moderator_only()
    async def set_timezone(self, interaction: discord.Interaction[QuizBot], zone: str) -> None:
        """Moderators: set the time zone that schedule times are read in (default UTC)."""
        found = parse_zone(zone)
        if found is None:
            shown = discord.utils.escape_markdown(zone.replace("`", "'")[:64])
            await reply(
                interaction,
                f"`{shown}` is not a time zone I know. Use an IANA name such as `Europe/Berlin` or "
                "`America/New_York`; the option suggests names as you type.",
            )
            return
        await _store(interaction, lambda current: replace(current, timezone=found.key))
        local = interaction.client.clock().astimezone(found)
        await reply(
            interaction,
            f"The server's time zone is now **{found.key}** (it is {local:%H:%M} there). New schedules read times "
            "in it; existing schedules keep the zone they were created in.",
        )

    @app_commands.command(name="reminder")
    @app_commands.describe(minutes=f"Minutes before a scheduled round, 0 to {MAX_REMINDER_MINUTES}; 0 turns them off.")
    @moderator_only()
    async def set_reminder(
        self,
        interaction: discord.Interaction[QuizBot],
        minutes: app_commands.Range[int, 0, MAX_REMINDER_MINUTES],
    ) -> None:
        """Moderators: choose how long before a scheduled round its reminder goes out (default 10 minutes)."""
        await _store(
            interaction,
            lambda current: replace(current, reminder_minutes=minutes),
            # Every schedule's next reminder moves with the lead time, in the same transaction.
            also=lambda session, stored: repos.set_guild_reminders(session, stored.guild_id, minutes),
        )
        # The schedule dispatcher sleeps until the next reminder: let it re-read.
        interaction.client.dispatch("schedules_changed")
        if minutes == 0:
            await reply(interaction, "Scheduled rounds no longer send a reminder.")
        else:
            await reply(interaction, f"Scheduled rounds now send a reminder {minutes} min before they start.")

    @app_commands.command(name="grace")
    @app_commands.describe(
        minutes=f"How late, 0 to {MAX_GRACE_MINUTES} minutes, a run missed while the bot was offline may start."
    )
    @moderator_only()
    async def set_grace(
        self,
        interaction: discord.Interaction[QuizBot],
        minutes: app_commands.Range[int, 0, MAX_GRACE_MINUTES],
    ) -> None:
        """Moderators: choose how late a scheduled round missed while the bot was offline may still start."""
        await _store(interaction, lambda current: replace(current, grace_minutes=minutes))
        await reply(
            interaction,
            f"A scheduled round the bot missed while offline now starts if it is at most {minutes} min late; "
            "later than that, it is reported as missed.",
        )

    @app_commands.command(name="report-hold-back")
    @app_commands.describe(
        reports=f'Distinct players\' open "wrong answer" reports, 1 to {MAX_HOLD_BACK_REPORTS}; 0 turns it off.'
    )
    @moderator_only()
    async def set_report_hold_back(
        self,
        interaction: discord.Interaction[QuizBot],
        reports: app_commands.Range[int, 0, MAX_HOLD_BACK_REPORTS],
    ) -> None:
        """Moderators: keep a question out of rounds once this many players report a wrong answer (0: off)."""
        await _store(interaction, lambda current: replace(current, report_hold_back=reports))
        if reports == 0:
            await reply(interaction, "Reported questions stay in rounds; authors still see the reports.")
        else:
            await reply(
                interaction,
                f"A question now sits out rounds once {plural(reports, 'player')} report a wrong answer, "
                "until an author resolves, dismisses or fixes it. Authors are told when it happens.",
            )
