"""The text replies of ``/quiz bank``: an upload's outcome, a list of problems, a reload, and files to send."""

from __future__ import annotations

import io

import discord

from bot.banks import BankIssue
from bot.banks.service import Uploaded
from bot.banks.shipped import ReloadReport
from bot.banks.uploads import ARTICLE_UNKNOWN, Rejected
from bot.exts._common.text import inline_code

#: Past this many characters the problems go in an attached ``errors.txt`` (a message holds 2,000).
INLINE_LIMIT = 1800
#: How an author gives the bot an article it does not know.
ATTACH_ARTICLE = "attach the article's text file as the `article` option"


def uploaded(result: Uploaded) -> str:
    """What a stored upload says: its version and size, and whether it is in play here."""
    title = discord.utils.escape_markdown(result.bank.title)
    stored = f"Stored *{title}* as version {result.version} ({len(result.bank.questions)} questions)."
    if result.disabled:
        return f"{stored} It is switched off in this server: `/quiz bank enable` puts it in play."
    return f"{stored} It is live in this server."


def rejected(result: Rejected) -> tuple[str, list[discord.File]]:
    """A refused upload: every problem (and an import's YAML to fill in); nothing was stored."""
    issues = [str(_with_hint(issue)) for issue in result.issues]
    if result.imported is not None:
        header = (
            f"Imported {inline_code(result.filename)} from {result.imported}, but it is not a playable bank yet: "
            f"{len(issues)} problem(s). Nothing was stored. Fill in the attached YAML (every `TODO`), "
            "then upload it with its article."
        )
        lines = [*result.notes, *issues]
    else:
        header = f"{inline_code(result.filename)} has {len(issues)} problem(s). Nothing was stored."
        lines = issues
    content, files = problem_reply(header, lines or ["(no details)"])
    if result.imported is not None and result.yaml_text is not None:
        files.append(text_file(result.yaml_text, result.filename))
    return content, files


def _with_hint(issue: BankIssue) -> BankIssue:
    """Say how to give the article when the bank names one the bot does not know."""
    if issue.field == "source.path" and issue.message == ARTICLE_UNKNOWN:
        return BankIssue(issue.path, issue.line, issue.column, issue.field, f"{ARTICLE_UNKNOWN}: {ATTACH_ARTICLE}")
    return issue


def reload_summary(report: ReloadReport) -> str:
    """What a reload did, in a sentence or three."""
    parts = [f"Reloaded the shipped banks: {len(report.loaded)} loaded from their files."]
    if report.kept:
        kept = ", ".join(inline_code(bank_id) for bank_id in report.kept)
        parts.append(f"Broken files kept their previous good version live: {kept}.")
    if report.removed:
        parts.append("No longer in the folder: " + ", ".join(inline_code(bank_id) for bank_id in report.removed) + ".")
    if report.issues:
        parts.append(f"{len(report.issues)} problem(s):")
    return " ".join(parts)


def code_block(lines: list[str]) -> str:
    """Lines in a code block that user text cannot close early."""
    body = "\n".join(lines).replace("```", "`\u200b`\u200b`")
    return f"```\n{body}\n```"


def problem_reply(header: str, lines: list[str], *, limit: int = INLINE_LIMIT) -> tuple[str, list[discord.File]]:
    """The message for a list of problems: inline in a code block, or as ``errors.txt`` past ``limit``."""
    inline = f"{header}\n{code_block(lines)}"
    if len(inline) <= limit:
        return inline, []
    first = code_block([lines[0][:300]])
    summary = f"{header}\nAll {len(lines)} are in the attached `errors.txt`. The first:\n{first}"
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return summary, [discord.File(io.BytesIO(data), filename="errors.txt")]


def text_file(text: str, filename: str) -> discord.File:
    """A text attachment."""
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=filename)
