"""Checking an uploaded bank (or quiz file to import) exactly as ``quizbot check`` would, with no I/O.

An upload is read once: its kind and size are admitted first, a quiz file is imported to bank YAML, the
YAML is parsed, and the ``source.path`` it names tells the caller which article to find. `check_upload`
then validates the parsed bank against that article. Every step is plain CPU work on bytes, so it can
run off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.banks.errors import (
    ArticleNotText,
    BankError,
    BankIssue,
    FileTooBig,
    QuizFileUnreadable,
    UnsupportedFile,
)
from bot.banks.loader import SourceUnavailable, bank_from_yaml, fixed_article, read_bank_yaml
from bot.banks.loader import source_path as named_article
from bot.banks.passages import Article
from bot.quiz import Bank

if TYPE_CHECKING:
    from bot.banks.importers import Format
    from bot.banks.yaml_source import YamlDocument

BANK_SUFFIXES = (".yaml", ".yml")
#: Quiz files imported as ``quizbot import`` does; ``.txt`` is read as Aiken (GIFT files end in ``.gift``).
IMPORT_SUFFIXES: dict[str, Format] = {".gift": "gift", ".txt": "aiken", ".json": "opentdb", ".xml": "moodle-xml"}
#: The ``source.path`` problem of a bank naming an article that was neither attached nor known to the bot.
ARTICLE_UNKNOWN = "the bot knows no article by this name"


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """The largest bank (or quiz) file and article an upload may have, in bytes."""

    bank_bytes: int
    article_bytes: int


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file as the author attached it: its name and bytes."""

    name: str
    data: bytes


@dataclass(slots=True)
class Draft:
    """An upload read once: its YAML (parsed, or the problem that stopped the parse) and the article it names."""

    filename: str
    yaml_text: str | None
    document: YamlDocument | None
    article_name: str | None
    problem: BankError | None = None
    imported: Format | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Checked:
    """A draft that passed: the playable bank, with the texts to store."""

    bank: Bank
    filename: str
    yaml_text: str
    article_name: str
    article_text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """A draft that did not pass: every problem, and for an import the YAML it gave, to fill in."""

    filename: str
    issues: tuple[BankIssue, ...]
    notes: tuple[str, ...] = ()
    imported: Format | None = None
    yaml_text: str | None = None


def upload_format(filename: str) -> Format | None:
    """None for a bank file, the import format for a quiz file; raise `UnsupportedFile` for anything else."""
    suffix = PurePath(filename).suffix.casefold()
    if suffix in BANK_SUFFIXES:
        return None
    if suffix in IMPORT_SUFFIXES:
        return IMPORT_SUFFIXES[suffix]
    raise UnsupportedFile(filename)


def admit(name: str, size: int, article: tuple[str, int] | None, limits: UploadLimits) -> Format | None:
    """Check an upload's kind and sizes before anything is downloaded; returns its import format (None: a bank).

    Raises `UnsupportedFile` or `FileTooBig`: a huge or wrong file costs nothing.
    """
    fmt = upload_format(name)
    if size > limits.bank_bytes:
        raise FileTooBig(name, size, limits.bank_bytes, "bank")
    if article is not None and article[1] > limits.article_bytes:
        raise FileTooBig(article[0], article[1], limits.article_bytes, "article")
    return fmt


def decode_article(article: UploadedFile) -> str:
    """An uploaded article's text; raise `ArticleNotText` unless it is UTF-8."""
    try:
        return article.data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ArticleNotText(article.name, article.data[exc.start : exc.start + 1].hex(), exc.start) from None


def read_upload(
    file: UploadedFile, article: UploadedFile | None, article_text: str | None, limits: UploadLimits
) -> Draft:
    """Import (for a quiz file) and parse the upload once; raise `UnsupportedFile` or `QuizFileUnreadable`.

    The draft names the article to check against: the bank's ``source.path``, else the attached file's name.
    """
    # Imported here: the importers (and the YAML writer, the XML and HTML parsers they use) are only
    # needed once a quiz file is uploaded, not at the bot's start-up.
    from bot.banks.importers import BankOptions, ImportFailed, import_bank

    fmt = upload_format(file.name)
    raw = file.data
    draft = Draft(file.name, None, None, None)
    if fmt is not None:
        draft.filename = PurePath(file.name).stem + ".yaml"
        draft.imported = fmt
        options = BankOptions(source_path=article.name if article is not None else None)
        given = Article(article_text, name=article.name) if article is not None and article_text is not None else None
        try:
            yaml_text, notes = import_bank(raw, fmt, options, name=file.name, article=given)
        except ImportFailed as exc:
            raise QuizFileUnreadable(file.name, str(exc)) from None
        draft.yaml_text = yaml_text
        draft.notes = [f"{file.name}: {note}" for note in notes]
        raw = yaml_text.encode("utf-8")
    try:
        draft.document = read_bank_yaml(raw, name=draft.filename, max_bytes=limits.bank_bytes)
    except BankError as exc:
        draft.problem = exc
        return draft
    if draft.yaml_text is None:
        draft.yaml_text = raw.decode("utf-8").removeprefix("\ufeff")
    draft.article_name = named_article(draft.document.data) or (article.name if article is not None else None)
    return draft


def check_upload(draft: Draft, article_text: str | None) -> Checked | Rejected:
    """Validate the draft's bank against ``article_text`` (None: the bot knows no such article)."""
    problem = draft.problem
    bank: Bank | None = None
    if problem is None and draft.document is not None:
        lookup = fixed_article(article_text) if article_text is not None else _unknown_article
        try:
            bank = bank_from_yaml(draft.document, name=draft.filename, articles=lookup)
        except BankError as exc:
            problem = exc
    if bank is None or draft.yaml_text is None or draft.article_name is None or article_text is None:
        return Rejected(
            draft.filename,
            tuple(problem.issues if problem is not None else ()),
            tuple(draft.notes),
            draft.imported,
            draft.yaml_text if draft.imported is not None else None,
        )
    return Checked(bank, draft.filename, draft.yaml_text, draft.article_name, article_text, tuple(draft.notes))


def _unknown_article(relative: str) -> Article:
    raise SourceUnavailable(ARTICLE_UNKNOWN)


@dataclass(frozen=True, slots=True)
class NeedArticle:
    """The question `check_files` asks when no article was attached: the text of the article ``name``."""

    name: str


def check_files(
    ask: Callable[[NeedArticle], str | None], file: UploadedFile, article: UploadedFile | None, limits: UploadLimits
) -> Checked | Rejected:
    """The whole check of an upload, pure CPU work (the job the bank service runs off the event loop).

    Without an attached article, it asks for the one the bank names (``ask`` answers None if the bot
    knows none). Raises `UnsupportedFile`, `FileTooBig`, `ArticleNotText` or `QuizFileUnreadable`.
    """
    admit(file.name, len(file.data), (article.name, len(article.data)) if article is not None else None, limits)
    article_text = decode_article(article) if article is not None else None
    draft = read_upload(file, article, article_text, limits)
    if article_text is None and draft.article_name is not None and draft.problem is None:
        article_text = ask(NeedArticle(draft.article_name))
    return check_upload(draft, article_text)
