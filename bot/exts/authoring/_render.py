"""Embeds of ``/quiz bank``: the server's banks, one bank, its versions, and its per-question analytics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.banks.analytics import Flag, QuestionReport, percent, reports_note, seconds
from bot.banks.service import BankEntry, StoredBankVersion
from bot.exts._common.paging import page_count
from bot.exts._common.text import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_TITLE,
    join_within,
    player_name,
    truncate,
)
from bot.exts.banklist import difficulty_mix
from bot.quiz import Bank, Source

COLOUR = discord.Colour.dark_teal()
LIST_PER_PAGE = 15
STATS_PER_PAGE = 8
HISTORY_SHOWN = 20
PROMPT_LIMIT = 200
FLAG_MARKS = {Flag.NOBODY: "🔴", Flag.EVERYBODY: "🟢"}

escape = discord.utils.escape_markdown


def origin(entry: BankEntry) -> str:
    """``ships with the bot`` or ``uploaded, version N``."""
    return "ships with the bot" if entry.version is None else f"uploaded, version {entry.version}"


def uploader(user_id: int, names: Mapping[int, str]) -> str:
    """Who uploaded a version, as plain text that can neither ping nor pass for someone else."""
    name = names.get(user_id)
    return player_name(name, user_id) if name else f"user {user_id}"


def source_text(source: Source) -> str:
    """The article a bank quotes: title and author, then its licence and link when the bank gives them."""
    lines = [f"*{escape(source.title)}* by {escape(source.author)}"]
    if source.licence:
        lines.append(f"Licence: {escape(source.licence)}")
    if source.url:
        # Angle brackets keep Discord from unfurling it; the schema allows no whitespace in a URL.
        lines.append(f"<{source.url}>")
    return "\n".join(lines)


def list_embed(lines: Sequence[BankEntry], index: int) -> discord.Embed:
    """Page ``index`` of the server's banks, switched off ones included."""
    shown = lines[index * LIST_PER_PAGE : (index + 1) * LIST_PER_PAGE]
    rows = [
        f"{'⏸️' if line.disabled else '▶️'} `{line.bank.id}` · **{escape(truncate(line.bank.title, 80))}** · "
        f"{len(line.bank.questions)} q · {origin(line)}{' · switched off' if line.disabled else ''}"
        for line in shown
    ]
    live = sum(1 for line in lines if not line.disabled)
    embed = discord.Embed(
        title="This server's question banks",
        description=join_within(rows, EMBED_DESCRIPTION - 200),
        colour=COLOUR,
    )
    embed.set_footer(
        text=f"{live} of {len(lines)} in play · Page {index + 1}/{page_count(len(lines), LIST_PER_PAGE)} · "
        "Authors: /quiz bank upload, disable, enable"
    )
    return embed


def show_embed(line: BankEntry, latest: StoredBankVersion | None, names: Mapping[int, str]) -> discord.Embed:
    """One bank in detail; ``names`` are the display names known for uploaders."""
    bank = line.bank
    embed = discord.Embed(
        title=truncate(escape(bank.title), EMBED_TITLE),
        description=escape(truncate(bank.description, 1000)) if bank.description else None,
        colour=COLOUR,
    )
    embed.add_field(name="Id", value=f"`{bank.id}`")
    embed.add_field(name="Questions", value=f"{len(bank.questions)} ({difficulty_mix(bank)})")
    embed.add_field(name="Status", value="Switched off here" if line.disabled else "In play here")
    embed.add_field(
        name="Source",
        value=truncate(source_text(bank.source), EMBED_FIELD_VALUE),
        inline=False,
    )
    if latest is None:
        where = "Ships with the bot (the `questions/` folder)."
    else:
        when = discord.utils.format_dt(latest.uploaded_at, "f")
        where = f"Version {latest.version}, uploaded by {uploader(latest.uploaded_by, names)} on {when}."
    embed.add_field(name="Origin", value=truncate(where, EMBED_FIELD_VALUE), inline=False)
    if bank.authors:
        embed.add_field(name="Written by", value=truncate(escape(", ".join(bank.authors)), 1024), inline=False)
    return embed


def history_embed(bank: Bank, versions: Sequence[StoredBankVersion], names: Mapping[int, str]) -> discord.Embed:
    """A guild bank's versions, newest first; ``names`` are the display names known for uploaders."""
    rows = [
        f"**v{v.version}** · {discord.utils.format_dt(v.uploaded_at, 'f')} · {uploader(v.uploaded_by, names)} · "
        f"{v.question_count} q · `{escape(truncate(v.filename, 60))}`" + (" · *live*" if index == 0 else "")
        for index, v in enumerate(versions[:HISTORY_SHOWN])
    ]
    if len(versions) > HISTORY_SHOWN:
        rows.append(f"…and {len(versions) - HISTORY_SHOWN} older")
    return discord.Embed(
        title=truncate(f"Versions of {escape(bank.title)}", EMBED_TITLE),
        description=join_within(rows, EMBED_DESCRIPTION - 100),
        colour=COLOUR,
    ).set_footer(text="Authors get any version with /quiz bank download.")


def stats_embed(bank: Bank, reports: Sequence[QuestionReport], index: int) -> discord.Embed:
    """Page ``index`` of a bank's per-question analytics."""
    shown = reports[index * STATS_PER_PAGE : (index + 1) * STATS_PER_PAGE]
    flagged = sum(1 for report in reports if report.flag is not None)
    asked = sum(report.asked for report in reports)
    embed = discord.Embed(
        title=truncate(f"Analytics: {escape(bank.title)}", EMBED_TITLE),
        description=(
            f"{len(reports)} questions, asked {asked} times in this server's rounds. "
            f"{flagged} flagged: 🔴 nobody gets it, 🟢 everybody gets it."
        ),
        colour=COLOUR,
    )
    for report in shown:
        mark = FLAG_MARKS.get(report.flag, "") if report.flag else ""
        name = f"{mark} {report.question_id}".strip()
        prompt = escape(truncate(report.prompt, PROMPT_LIMIT)) if report.prompt else "*(no longer in the bank)*"
        figures = (
            f"Asked {report.asked} · {percent(report)} right ({report.correct}/{report.answers}) · "
            f"{seconds(report)} on average"
        )
        if report.top_wrong is not None:
            figures += f"\nMost-picked wrong: **{escape(truncate(report.top_wrong, 80))}** ({report.top_wrong_count})"
        if report.flag is not None:
            figures += f"\n{report.flag.value.capitalize()}."
        if report.reports:
            figures += f"\n🚩 {reports_note(report)}: `/quiz bank reports`"
        embed.add_field(name=truncate(name, 100), value=f"{prompt}\n{figures}", inline=False)
    embed.set_footer(text=f"Page {index + 1}/{page_count(len(reports), STATS_PER_PAGE)}")
    return embed
