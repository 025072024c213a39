"""``/quiz bank upload``: read the attachments, find the article, check, and store a new version or list
every problem. Nothing is stored unless the whole upload passes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from sqlalchemy.exc import IntegrityError

from bot.db.repos import banks as bank_repo
from bot.exts._common.checks import NotInGuild
from bot.exts._common.replies import NO_MENTIONS, reply
from bot.exts.authoring._upload import (
    Checked,
    UploadRefused,
    check_bank,
    decode_article,
    import_quiz,
    problem_reply,
    shipped_article,
    source_path,
    text_file,
    too_big,
    upload_kind,
)
from bot.quiz import Bank

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


def guild_id_of(interaction: discord.Interaction[QuizBot]) -> int:
    """The interaction's server id; the checks already refused DMs."""
    if interaction.guild_id is None:
        raise NotInGuild("this command only works in a server")
    return interaction.guild_id


def code(text: str) -> str:
    """User text (a bank id) as inline code that cannot break out of its backticks."""
    return "`" + text.replace("`", "'")[:80] + "`"


async def run_upload(
    interaction: discord.Interaction[QuizBot], file: discord.Attachment, article: discord.Attachment | None
) -> None:
    """Check an upload and store it as a new version, or reply with every problem; raises `UploadRefused`."""
    guild_id = guild_id_of(interaction)
    bot = interaction.client
    settings = bot.settings
    fmt = upload_kind(file.filename)
    # Sizes are checked before anything is downloaded: a huge file costs nothing.
    if file.size > settings.max_upload_bytes:
        raise too_big(file.filename, file.size, settings.max_upload_bytes, "a bank file")
    if article is not None and article.size > settings.max_article_upload_bytes:
        raise too_big(article.filename, article.size, settings.max_article_upload_bytes, "an article")
    await interaction.response.defer(ephemeral=True, thinking=True)
    raw = await file.read()
    if len(raw) > settings.max_upload_bytes:
        raise too_big(file.filename, len(raw), settings.max_upload_bytes, "a bank file")
    article_text = None
    if article is not None:
        article_raw = await article.read()
        if len(article_raw) > settings.max_article_upload_bytes:
            raise too_big(article.filename, len(article_raw), settings.max_article_upload_bytes, "an article")
        article_text = decode_article(article_raw, article.filename)

    imported: Checked | None = None
    if fmt is not None:
        given = (article.filename, article_text) if article is not None and article_text is not None else None
        imported = import_quiz(raw, fmt, filename=file.filename, article=given)
        assert imported.yaml_text is not None
        raw = imported.yaml_text.encode("utf-8")
    # The article: the one attached, else one the bot knows by the bank's source.path.
    article_name = source_path(raw)
    if article_text is None and article_name is not None:
        article_text = await _known_article(bot, guild_id, article_name)
    elif article is not None:
        article_name = article_name or article.filename
    checked = check_bank(
        raw,
        filename=imported.filename if imported is not None else file.filename,
        article_text=article_text,
        max_bytes=settings.max_upload_bytes,
        checked=imported,
    )

    if checked.bank is None or checked.yaml_text is None or article_text is None or article_name is None:
        await _refuse(interaction, checked)
        return
    await _store(interaction, checked, checked.bank, checked.yaml_text, article_name, article_text)


async def _known_article(bot: QuizBot, guild_id: int, name: str) -> str | None:
    """An article the bot already knows by this name: one of this server's uploads, or a shipped one."""
    async with bot.sessions.begin() as session:
        found = await bank_repo.find_article(session, guild_id, name)
    if found is not None:
        return found[1]
    return shipped_article(bot.settings.banks_dir, name)


async def _refuse(interaction: discord.Interaction[QuizBot], checked: Checked) -> None:
    files: list[discord.File] = []
    if checked.imported is not None:
        header = (
            f"Imported `{checked.filename}` from {checked.imported}, but it is not a playable bank yet: "
            f"{len(checked.issues)} problem(s). Nothing was stored. Fill in the attached YAML (every `TODO`), "
            "then upload it with its article."
        )
        lines = checked.notes + checked.issues
    else:
        header = f"`{checked.filename}` has {len(checked.issues)} problem(s). Nothing was stored."
        lines = checked.issues
    content, problem_files = problem_reply(header, lines or ["(no details)"])
    files.extend(problem_files)
    if checked.imported is not None and checked.yaml_text is not None:
        files.append(text_file(checked.yaml_text, checked.filename))
    await interaction.followup.send(content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def _store(
    interaction: discord.Interaction[QuizBot],
    checked: Checked,
    bank: Bank,
    yaml_text: str,
    article_name: str,
    article_text: str,
) -> None:
    guild_id = guild_id_of(interaction)
    bot = interaction.client
    if bot.library.is_shipped(bank.id):
        raise UploadRefused(
            f"{code(bank.id)} is the id of a bank that ships with the bot. Give your bank another `id`. "
            "Nothing was stored."
        )
    try:
        async with bot.sessions.begin() as session:
            stored = await bank_repo.store_version(
                session,
                guild_id=guild_id,
                bank_id=bank.id,
                title=bank.title,
                question_count=len(bank.questions),
                yaml_text=yaml_text,
                filename=checked.filename,
                article_name=article_name,
                article_text=article_text,
                uploaded_by=interaction.user.id,
                uploaded_at=bot.clock(),
            )
    except IntegrityError:
        raise UploadRefused(
            f"Another version of {code(bank.id)} was stored at the same moment. Check "
            "`/quiz bank history` and upload again if needed."
        ) from None
    bot.library.put_guild_bank(guild_id, bank, stored.version)
    log.info("Guild %s: user %s stored bank %s v%d", guild_id, interaction.user.id, bank.id, stored.version)
    title = discord.utils.escape_markdown(bank.title)
    message = (
        f"Stored *{title}* as version {stored.version} ({len(bank.questions)} questions). It is live in this server."
    )
    if bot.library.is_disabled(bank.id, guild_id):
        message = (
            f"Stored *{title}* as version {stored.version} ({len(bank.questions)} questions). It is switched "
            f"off in this server: `/quiz bank enable` puts it in play."
        )
    if checked.notes:
        content, files = problem_reply(message + "\nNotes from the import:", checked.notes)
        await interaction.followup.send(content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return
    await reply(interaction, message)
