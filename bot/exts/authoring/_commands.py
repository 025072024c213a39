"""``/quiz bank``: authors upload and manage this server's question banks; anyone can look at them.

Each command turns its options into one call of the bank service (``bot.banks``) and its result into a
reply. Refusals are the service's domain errors, which the command tree's error handler words.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.banks.analytics import with_reports
from bot.banks.uploads import Rejected, UploadedFile
from bot.exts._common.attachments import AttachmentReader
from bot.exts._common.authors import author_only
from bot.exts._common.autocomplete import MAX_AUTOCOMPLETE_CHOICES
from bot.exts._common.checks import NotInGuild, guild_only, moderator_only
from bot.exts._common.options import StoredNumber
from bot.exts._common.paging import Page, Pager, page_count
from bot.exts._common.replies import NO_MENTIONS, reply
from bot.exts._common.text import inline_code
from bot.exts.authoring._messages import problem_reply, rejected, reload_summary, text_file, uploaded
from bot.exts.authoring._render import (
    LIST_PER_PAGE,
    STATS_PER_PAGE,
    history_embed,
    list_embed,
    show_embed,
    stats_embed,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

GROUP_NAME = "bank"
#: Uploaders not in the member cache are fetched by id (one request each), for a few of them per reply.
MAX_FETCHED_NAMES = 5


def guild_id_of(interaction: discord.Interaction[QuizBot]) -> int:
    """The interaction's server id; the checks already refused DMs."""
    if interaction.guild_id is None:
        raise NotInGuild("this command only works in a server")
    return interaction.guild_id


async def display_names(interaction: discord.Interaction[QuizBot], user_ids: set[int]) -> dict[int, str]:
    """The display names in this server of ``user_ids``: cached, the caller, else asked of Discord (a few at most).

    Whoever is not found (they left, or past the few) is left out, and shown by id.
    """
    names: dict[int, str] = {}
    asked = 0
    for user_id in sorted(user_ids):
        person: discord.abc.User | None = None
        if interaction.guild is not None:
            person = interaction.guild.get_member(user_id)
            if person is None and user_id != interaction.user.id and asked < MAX_FETCHED_NAMES:
                asked += 1
                try:
                    person = await interaction.guild.fetch_member(user_id)
                except discord.HTTPException:
                    log.debug("No member %s in guild %s", user_id, interaction.guild.id)
        if person is None and user_id == interaction.user.id:
            person = interaction.user
        if person is not None:
            names[user_id] = person.display_name
    return names


async def known_bank_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    """Every bank of this server, switched off or not, whose id or title contains what was typed."""
    if interaction.guild_id is None:
        return []
    choices = []
    for entry in interaction.client.banks.entries(interaction.guild_id, current)[:MAX_AUTOCOMPLETE_CHOICES]:
        origin = "shipped" if entry.version is None else f"v{entry.version}"
        off = ", off" if entry.disabled else ""
        choices.append(app_commands.Choice(name=f"{entry.bank.title} ({origin}{off})"[:100], value=entry.bank.id))
    return choices


class BankGroup(app_commands.Group):
    """``/quiz bank``: build one per bot, since command objects belong to one tree."""

    def __init__(self, reader: AttachmentReader | None = None) -> None:
        super().__init__(name=GROUP_NAME, description="Upload, look at and manage this server's question banks.")
        #: Downloads attachments, stopping at the size limit (never ``Attachment.read()``, which reads it all).
        self.reader = reader if reader is not None else AttachmentReader()

    # Looking (everyone).

    @app_commands.command(name="list")
    @guild_only()
    async def list_banks(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Every bank of this server, shipped and uploaded, with the ones switched off."""
        entries = interaction.client.banks.entries(guild_id_of(interaction))
        if not entries:
            await reply(interaction, "This server has no question banks. Authors add one with `/quiz bank upload`.")
            return

        async def render(index: int) -> Page:
            return Page(list_embed(entries, index), page_count(len(entries), LIST_PER_PAGE))

        await Pager(owner_id=interaction.user.id, render=render, command="/quiz bank list").send(
            interaction, ephemeral=True
        )

    @app_commands.command(name="show")
    @app_commands.describe(bank="The bank to show.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    async def show_bank(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """A bank's details: source, size, where it comes from, and whether it is in play here."""
        entry, latest = await interaction.client.banks.latest(guild_id_of(interaction), bank)
        names = await display_names(interaction, {latest.uploaded_by} if latest is not None else set())
        await reply(interaction, embed=show_embed(entry, latest, names))

    @app_commands.command(name="history")
    @app_commands.describe(bank="The uploaded bank whose versions to list.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    async def bank_history(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Every uploaded version of a bank, newest first: when, by whom, how many questions."""
        found, versions = await interaction.client.banks.history(guild_id_of(interaction), bank)
        names = await display_names(interaction, {version.uploaded_by for version in versions})
        await reply(interaction, embed=history_embed(found, versions, names))

    # Authoring (the author role or Manage Server).

    @app_commands.command(name="upload")
    @app_commands.describe(
        file="A .yaml bank, or a .gift, .txt (Aiken), .json (Open Trivia DB) or .xml (Moodle XML) quiz to import.",
        article="The source article as UTF-8 text, if the bot does not know it yet.",
    )
    @guild_only()
    @author_only()
    async def upload(
        self,
        interaction: discord.Interaction[QuizBot],
        file: discord.Attachment,
        article: discord.Attachment | None = None,
    ) -> None:
        """Authors: add a bank to this server, or a new version of one; it is checked like `quizbot check`."""
        guild_id = guild_id_of(interaction)
        service = interaction.client.banks
        # Kind and sizes are checked before anything is downloaded: a huge file costs nothing.
        service.admit(file.filename, file.size, (article.filename, article.size) if article is not None else None)
        await interaction.response.defer(ephemeral=True, thinking=True)
        limits = service.limits
        given = None
        if article is not None:
            given = UploadedFile(article.filename, await self.reader.read(article, limits.article_bytes, "article"))
        data = await self.reader.read(file, limits.bank_bytes, "bank")
        result = await service.upload(guild_id, interaction.user.id, UploadedFile(file.filename, data), given)
        if isinstance(result, Rejected):
            content, files = rejected(result)
        elif result.notes:
            content, files = problem_reply(uploaded(result) + "\nNotes from the import:", list(result.notes))
        else:
            await reply(interaction, uploaded(result))
            return
        await interaction.followup.send(content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="disable")
    @app_commands.describe(bank="The bank to switch off in this server.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    @author_only()
    async def disable_bank(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Authors: stop playing a bank in this server (shipped or uploaded); nothing is deleted."""
        await self._switch(interaction, bank, disabled=True)

    @app_commands.command(name="enable")
    @app_commands.describe(bank="The bank to put back in play in this server.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    @author_only()
    async def enable_bank(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Authors: put a switched-off bank back in play in this server."""
        await self._switch(interaction, bank, disabled=False)

    @staticmethod
    async def _switch(interaction: discord.Interaction[QuizBot], bank_id: str, *, disabled: bool) -> None:
        switched = await interaction.client.banks.set_disabled(
            guild_id_of(interaction), bank_id, disabled, by=interaction.user.id
        )
        title = discord.utils.escape_markdown(switched.bank.title)
        if switched.unchanged:
            state = "switched off" if disabled else "in play"
            await reply(interaction, f"*{title}* was already {state} here.")
        elif disabled:
            await reply(
                interaction,
                f"*{title}* is switched off here: rounds no longer play it. `/quiz bank enable` undoes this.",
            )
        else:
            await reply(interaction, f"*{title}* is back in play here.")

    @app_commands.command(name="delete")
    @app_commands.describe(bank="The uploaded bank to delete, with every version.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    @author_only()
    async def delete_bank(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Authors: delete an uploaded bank and all its versions (players' scores stay)."""
        found, deleted = await interaction.client.banks.delete(guild_id_of(interaction), bank, by=interaction.user.id)
        title = discord.utils.escape_markdown(found.title)
        await reply(interaction, f"Deleted *{title}* and its {deleted} version(s).")

    @app_commands.command(name="download")
    @app_commands.describe(bank="The bank to download.", version="Which uploaded version (default: the live one).")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    @author_only()
    async def download_bank(
        self,
        interaction: discord.Interaction[QuizBot],
        bank: str,
        version: StoredNumber | None = None,
    ) -> None:
        """Authors: get a bank's YAML (and its article) to edit and upload again."""
        download = await interaction.client.banks.download(guild_id_of(interaction), bank, version)
        bank_id = inline_code(download.bank.id)
        if download.version is None:
            content = f"{bank_id} as it ships with the bot."
        else:
            content = f"{bank_id} version {download.version}, with its article."
        await interaction.response.send_message(
            content,
            files=[text_file(text, name) for name, text in download.files],
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="stats")
    @app_commands.describe(bank="The bank whose questions to analyse.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    @author_only()
    async def bank_stats(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Authors: per question, times asked, % right, average answer time and the favourite wrong choice."""
        found, reports = await interaction.client.banks.analytics(guild_id_of(interaction), bank)
        # Players' reports sit beside the figures (bot.reports keeps them).
        reports = with_reports(reports, await interaction.client.reports.counts(guild_id_of(interaction), found.id))

        async def render(index: int) -> Page:
            return Page(stats_embed(found, reports, index), page_count(len(reports), STATS_PER_PAGE))

        await Pager(owner_id=interaction.user.id, render=render, command="/quiz bank stats").send(
            interaction, ephemeral=True
        )

    # Operating (moderators).

    @app_commands.command(name="reload")
    @moderator_only()
    async def reload_banks(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Moderators: re-read the shipped banks folder; a broken file keeps its last good version live."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await interaction.client.banks.reload()
        summary = reload_summary(report)
        if not report.issues:
            await reply(interaction, summary)
            return
        content, files = problem_reply(summary, [str(issue) for issue in report.issues])
        await interaction.followup.send(content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)
