"""Checking an uploaded bank (or quiz file to import) exactly as ``quizbot check`` would, without Discord.

The command reads the attachments and finds the article; these functions turn bytes into either a
playable bank or the full list of problems, each as ``file:line:col: field: message``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import discord

from bot.banks import BankError, BankIssue, parse_bank_text
from bot.banks.importers import BankOptions, Format, ImportFailed, import_bank
from bot.banks.loader import MAX_ARTICLE_BYTES
from bot.banks.passages import Article
from bot.banks.yaml_source import YamlProblem, read_yaml
from bot.quiz import Bank, QuizError

BANK_SUFFIXES = (".yaml", ".yml")
#: Quiz files imported as ``quizbot import`` does; ``.txt`` is read as Aiken (GIFT files end in ``.gift``).
IMPORT_SUFFIXES: dict[str, Format] = {".gift": "gift", ".txt": "aiken", ".json": "opentdb", ".xml": "moodle-xml"}
ACCEPTED = "a `.yaml` bank, or a `.gift`, `.txt` (Aiken), `.json` (Open Trivia DB) or `.xml` (Moodle XML) quiz"
#: Past this many characters the problems go in an attached ``errors.txt`` (a message holds 2,000).
INLINE_LIMIT = 1800
NOT_KNOWN_PREFIX = "no article text was given for"


class UploadRefused(QuizError):
    """The upload cannot even be checked (wrong type, too big, unreadable article); the message says why."""


@dataclass(slots=True)
class Checked:
    """The outcome of checking an upload: the bank if it passed, else every problem; imports carry their YAML."""

    filename: str
    bank: Bank | None = None
    yaml_text: str | None = None
    issues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: Format | None = None


def upload_kind(filename: str) -> Format | None:
    """None for a bank file, the import format for a quiz file; raise `UploadRefused` for anything else."""
    suffix = PurePath(filename).suffix.casefold()
    if suffix in BANK_SUFFIXES:
        return None
    if suffix in IMPORT_SUFFIXES:
        return IMPORT_SUFFIXES[suffix]
    raise UploadRefused(f"`{_safe(filename)}` is not a file I can read: upload {ACCEPTED}.")


def too_big(filename: str, size: int, limit: int, what: str) -> UploadRefused:
    """The refusal for an attachment over its size limit."""
    return UploadRefused(
        f"`{_safe(filename)}` is {size:,} bytes; {what} may be at most {limit:,} bytes. Nothing was stored."
    )


def decode_article(raw: bytes, filename: str) -> str:
    """An uploaded article's text; raise `UploadRefused` unless it is UTF-8."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UploadRefused(
            f"The article `{_safe(filename)}` is not UTF-8 text (byte 0x{raw[exc.start : exc.start + 1].hex()} at "
            f"offset {exc.start:,}). Save it as UTF-8 and upload it again. Nothing was stored."
        ) from None


def source_path(raw: bytes | str) -> str | None:
    """The bank's ``source.path``, read leniently (None if the file cannot be read or has none)."""
    try:
        data: Any = read_yaml(raw, max_bytes=4 * len(raw) + 1).data
    except YamlProblem:
        return None
    source = data.get("source") if isinstance(data, dict) else None
    relative = source.get("path") if isinstance(source, dict) else None
    return relative.strip() if isinstance(relative, str) and relative.strip() else None


def shipped_article(folder: Path, relative: str) -> str | None:
    """The text of a shipped article named ``relative`` (a ``.txt`` inside ``folder``), or None.

    The resolved path must stay inside the folder: a bank cannot read ``../../etc/passwd`` as its article.
    """
    if PurePath(relative).is_absolute():
        return None
    base = folder.resolve()
    full = (folder / relative).resolve()
    if not full.is_relative_to(base) or full.suffix.casefold() != ".txt" or not full.is_file():
        return None
    try:
        if full.stat().st_size > MAX_ARTICLE_BYTES:
            return None
        return full.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None


def check_bank(
    raw: bytes, *, filename: str, article_text: str | None, max_bytes: int, checked: Checked | None = None
) -> Checked:
    """Validate a bank as ``quizbot check`` does, against ``article_text`` when there is one.

    ``checked`` carries an import's YAML and notes through; the bank or the problems are filled in.
    """
    checked = checked or Checked(filename)
    try:
        checked.bank = parse_bank_text(raw, name=filename, article_text=article_text, max_bytes=max_bytes)
    except BankError as exc:
        checked.issues = [str(_explain(issue)) for issue in exc.issues]
        return checked
    checked.yaml_text = raw.decode("utf-8").removeprefix("\ufeff")
    return checked


def import_quiz(raw: bytes, fmt: Format, *, filename: str, article: tuple[str, str] | None) -> Checked:
    """Import a quiz file as ``quizbot import`` does: the bank YAML it gives, not yet validated.

    Quiz files have no passages, so the YAML usually fails `check_bank`: it goes back to the author
    (with the article's suggested passages in its TODO comments when the article was attached) to fill in.
    """
    checked = Checked(PurePath(filename).stem + ".yaml", imported=fmt)
    options = BankOptions(source_path=article[0] if article else None)
    text_article = Article(article[1], name=article[0]) if article else None
    try:
        yaml_text, notes = import_bank(raw, fmt, options, name=filename, article=text_article)
    except ImportFailed as exc:
        raise UploadRefused(f"`{_safe(filename)}` could not be imported: {exc}. Nothing was stored.") from None
    checked.yaml_text = yaml_text
    checked.notes = [f"{filename}: {note}" for note in notes]
    return checked


def _explain(issue: BankIssue) -> BankIssue:
    """Say how to give the article when the bank names one the bot does not know."""
    if issue.field == "source.path" and issue.message.startswith(NOT_KNOWN_PREFIX):
        return BankIssue(
            issue.path,
            issue.line,
            issue.column,
            issue.field,
            "the bot knows no article by this name: attach the article's text file as the `article` option",
        )
    return issue


def _safe(text: str) -> str:
    """User text for inside backticks: no backticks of its own, one line, not too long."""
    return " ".join(text.replace("`", "'").split())[:100]


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
