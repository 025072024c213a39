"""``/quiz bank``: authors upload and manage this server's question banks; anyone can look at them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.banks.analytics import bank_report
from bot.db.repos import banks as bank_repo
from bot.exts._common.authors import author_only
from bot.exts._common.autocomplete import MAX_AUTOCOMPLETE_CHOICES
from bot.exts._common.checks import guild_only, moderator_only
from bot.exts._common.paging import Page, Pager, page_count
from bot.exts._common.replies import NO_MENTIONS, reply
from bot.exts.authoring._render import (
    LIST_PER_PAGE,
    STATS_PER_PAGE,
    BankLine,
    history_embed,
    list_embed,
    show_embed,
    stats_embed,
)
from bot.exts.authoring._upload import (
    UploadRefused,
    problem_reply,
    text_file,
)
from bot.exts.authoring._uploading import code, guild_id_of, run_upload
from bot.quiz import Bank, QuizError
from bot.rounds.shipped import ReloadReport

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

GROUP_NAME = "bank"


class BankActionRefused(QuizError):
    """A bank command that cannot do what was asked; the message says why."""


def _line(bot: QuizBot, guild_id: int, bank: Bank) -> BankLine:
    return BankLine(bank, bot.library.uploaded_version(bank.id, guild_id), bot.library.is_disabled(bank.id, guild_id))


async def known_bank_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    """Every bank of this server, switched off or not, whose id or title contains what was typed."""
    if interaction.guild_id is None:
        return []
    needle = current.casefold().strip()
    library = interaction.client.library
    choices = []
    for bank in library.known(interaction.guild_id):
        if needle not in bank.id.casefold() and needle not in bank.title.casefold():
            continue
        version = library.uploaded_version(bank.id, interaction.guild_id)
        origin = "shipped" if version is None else f"v{version}"
        off = ", off" if library.is_disabled(bank.id, interaction.guild_id) else ""
        choices.append(app_commands.Choice(name=f"{bank.title} ({origin}{off})"[:100], value=bank.id))
    return choices[:MAX_AUTOCOMPLETE_CHOICES]


def reload_summary(report: ReloadReport) -> str:
    """What a reload did, in a sentence or three."""
    parts = [f"Reloaded the shipped banks: {len(report.loaded)} loaded from their files."]
    if report.kept:
        kept = ", ".join(code(bank_id) for bank_id in report.kept)
        parts.append(f"Broken files kept their previous good version live: {kept}.")
    if report.removed:
        parts.append("No longer in the folder: " + ", ".join(code(bank_id) for bank_id in report.removed) + ".")
    if report.issues:
        parts.append(f"{len(report.issues)} problem(s):")
    return " ".join(parts)


class BankGroup(app_commands.Group):
    """``/quiz bank``: build one per bot, since command objects belong to one tree."""

    def __init__(self) -> None:
        super().__init__(name=GROUP_NAME, description="Upload, look at and manage this server's question banks.")

    # Looking (everyone).

    @app_commands.command(name="list")
    @guild_only()
    async def list_banks(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Every bank of this server, shipped and uploaded, with the ones switched off."""
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        lines = [_line(bot, guild_id, bank) for bank in bot.library.known(guild_id)]
        if not lines:
            await reply(interaction, "This server has no question banks. Authors add one with `/quiz bank upload`.")
            return

        async def render(index: int) -> Page:
            return Page(list_embed(lines, index), page_count(len(lines), LIST_PER_PAGE))

        await Pager(owner_id=interaction.user.id, render=render, command="/quiz bank list").send(
            interaction, ephemeral=True
        )

    @app_commands.command(name="show")
    @app_commands.describe(bank="The bank to show.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    async def show_bank(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """A bank's details: source, size, where it comes from, and whether it is in play here."""
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        found = bot.library.get(bank, guild_id)
        latest = None
        if bot.library.is_uploaded(found.id, guild_id):
            async with bot.sessions.begin() as session:
                versions = await bank_repo.history(session, guild_id, found.id)
            latest = versions[0] if versions else None
        await reply(interaction, embed=show_embed(_line(bot, guild_id, found), latest))

    @app_commands.command(name="history")
    @app_commands.describe(bank="The uploaded bank whose versions to list.")
    @app_commands.autocomplete(bank=known_bank_autocomplete)
    @guild_only()
    async def bank_history(self, interaction: discord.Interaction[QuizBot], bank: str) -> None:
        """Every uploaded version of a bank, newest first: when, by whom, how many questions."""
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        found = bot.library.get(bank, guild_id)
        if not bot.library.is_uploaded(found.id, guild_id):
            await reply(interaction, f"{code(found.id)} ships with the bot, so it has no upload history here.")
            return
        async with bot.sessions.begin() as session:
            versions = await bank_repo.history(session, guild_id, found.id)
        await reply(interaction, embed=history_embed(found, versions))

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
        try:
            await run_upload(interaction, file, article)
        except UploadRefused as exc:
            # A refusal, not a failure: the author reads why and tries again.
            await reply(interaction, str(exc))

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
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        bank = bot.library.get(bank_id, guild_id)
        async with bot.sessions.begin() as session:
            was = await bank_repo.set_disabled(
                session, guild_id, bank.id, disabled, changed_by=interaction.user.id, changed_at=bot.clock()
            )
        bot.library.set_disabled(guild_id, bank.id, disabled)
        title = discord.utils.escape_markdown(bank.title)
        log.info("Guild %s: user %s set bank %s disabled=%s", guild_id, interaction.user.id, bank.id, disabled)
        if was == disabled:
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
        try:
            await self._delete(interaction, bank)
        except BankActionRefused as exc:
            await reply(interaction, str(exc))

    @staticmethod
    async def _delete(interaction: discord.Interaction[QuizBot], bank: str) -> None:
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        found = bot.library.get(bank, guild_id)
        if not bot.library.is_uploaded(found.id, guild_id):
            raise BankActionRefused(
                f"{code(found.id)} ships with the bot and cannot be deleted; "
                "`/quiz bank disable` takes it out of play here."
            )
        async with bot.sessions.begin() as session:
            deleted = await bank_repo.delete_bank(session, guild_id, found.id)
        bot.library.drop_guild_bank(guild_id, found.id)
        log.info("Guild %s: user %s deleted bank %s (%d versions)", guild_id, interaction.user.id, found.id, deleted)
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
        version: app_commands.Range[int, 1, None] | None = None,
    ) -> None:
        """Authors: get a bank's YAML (and its article) to edit and upload again."""
        try:
            await self._download(interaction, bank, version)
        except BankActionRefused as exc:
            await reply(interaction, str(exc))

    @staticmethod
    async def _download(interaction: discord.Interaction[QuizBot], bank: str, version: int | None) -> None:
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        found = bot.library.get(bank, guild_id)
        if not bot.library.is_uploaded(found.id, guild_id):
            path = bot.library.file_of(found.id)
            if path is None or version is not None:
                raise BankActionRefused(f"{code(found.id)} ships with the bot; it has no uploaded versions here.")
            text = path.read_text(encoding="utf-8")
            await interaction.response.send_message(
                f"{code(found.id)} as it ships with the bot.",
                file=text_file(text, path.name),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        async with bot.sessions.begin() as session:
            stored = await bank_repo.get_version(session, guild_id, found.id, version)
        if stored is None or stored.yaml_text is None or stored.article_text is None:
            raise BankActionRefused(f"{code(found.id)} has no version {version}: `/quiz bank history` lists them.")
        article_file = stored.article_name.replace("\\", "/").rsplit("/", 1)[-1] or "article.txt"
        await interaction.response.send_message(
            f"{code(found.id)} version {stored.version}, with its article.",
            files=[text_file(stored.yaml_text, stored.filename), text_file(stored.article_text, article_file)],
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
        guild_id = guild_id_of(interaction)
        bot = interaction.client
        found = bot.library.get(bank, guild_id)
        async with bot.sessions.begin() as session:
            activity = await bank_repo.bank_activity(session, guild_id, found.id)
        reports = bank_report(found, activity.asked, activity.answers)

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
        report = interaction.client.reload_banks()
        summary = reload_summary(report)
        if not report.issues:
            await reply(interaction, summary)
            return
        content, files = problem_reply(summary, [str(issue) for issue in report.issues])
        await interaction.response.send_message(content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)
