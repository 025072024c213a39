"""Load question banks from YAML into the engine's `Bank`, reporting every problem of every file."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.banks.cache import BankCache, digest
from bot.banks.errors import BankError, BankIssue
from bot.banks.passages import Article
from bot.banks.text import forbidden
from bot.banks.yaml_fast import fast_read
from bot.banks.yaml_source import DEFAULT_MAX_BYTES, Mark, YamlDocument, YamlProblem, collector_paused, read_yaml
from bot.quiz.questions import Bank, Question, Source

if TYPE_CHECKING:
    from bot.banks.messages import Finding
    from bot.banks.model import BankModel

log = logging.getLogger(__name__)

#: Articles are read whole into memory; anything bigger than this is not an article.
MAX_ARTICLE_BYTES = 5_000_000
BANK_SUFFIXES = frozenset({".yaml", ".yml"})


class SourceUnavailable(Exception):
    """The article a bank names cannot be used; the message says why, for the bank's author."""


ArticleLookup = Callable[[str], Article]
"""Gives the article for a bank's ``source.path`` (as written in the bank), or raises `SourceUnavailable`."""


class ArticleFiles:
    """Reads source articles from disk, each once: banks that share an article share its `Article`."""

    def __init__(self, *, max_bytes: int = MAX_ARTICLE_BYTES, root: Path | None = None) -> None:
        """``root``, when given, confines articles to ``.txt`` files inside that folder (for uploads)."""
        self.max_bytes = max_bytes
        self.root = root.resolve() if root is not None else None
        self._cache: dict[Path, Article | SourceUnavailable] = {}

    def get(self, base_dir: Path, relative: str) -> Article:
        """The article at ``relative`` (from the bank file's directory ``base_dir``); raise `SourceUnavailable`."""
        full, key = self._locate(base_dir, relative)
        cached = self._cache.get(key)
        if cached is None:
            try:
                cached = Article(self._read(full, relative), name=relative)
            except SourceUnavailable as exc:
                cached = exc
            self._cache[key] = cached
        if isinstance(cached, SourceUnavailable):
            raise cached
        return cached

    def digest(self, base_dir: Path, relative: str) -> str:
        """The SHA-256 of the article's bytes (see `bot.banks.cache`); raise `SourceUnavailable` as `get` would."""
        full, _ = self._locate(base_dir, relative)
        try:
            return digest(full.read_bytes())
        except OSError as exc:
            raise SourceUnavailable(f"source file {relative!r} cannot be read: {exc.strerror or exc}") from None

    def text(self, base_dir: Path, relative: str) -> str:
        """The article's text as written (to store or send back), read as `get` reads it; not cached."""
        full, _ = self._locate(base_dir, relative)
        return self._read(full, relative)

    def _locate(self, base_dir: Path, relative: str) -> tuple[Path, Path]:
        if Path(relative).is_absolute():
            raise SourceUnavailable(f"{relative!r} is an absolute path; give the path relative to the bank file")
        full = base_dir / relative
        key = _resolved(full, relative)
        if self.root is not None and (not key.is_relative_to(self.root) or key.suffix.casefold() != ".txt"):
            # An upload must not read ../../etc/passwd (or a bank file) as its article.
            raise SourceUnavailable(f"{relative!r} is not a .txt file inside the banks folder")
        if self.root is None and not key.is_relative_to(_resolved(base_dir, str(base_dir))):
            # Nor may a shipped bank: its "closest sentence" hints would quote the file to Discord.
            raise SourceUnavailable(f"{relative!r} is outside the bank file's folder; keep the article beside it")
        return full, key

    def lookup(self, base_dir: Path) -> ArticleLookup:
        """An `ArticleLookup` for banks in ``base_dir``."""
        return lambda relative: self.get(base_dir, relative)

    def _read(self, full: Path, relative: str) -> str:
        try:
            size = _regular_file(full, f"source file {relative!r}")
            if size > self.max_bytes:
                raise _NotRegular(
                    f"source file {relative!r} is {size:,} bytes; the limit for an article is {self.max_bytes:,}"
                )
            raw = full.read_bytes()
        except FileNotFoundError:
            raise SourceUnavailable(f"source file {relative!r} not found (looked for {str(full)!r})") from None
        except OSError as exc:
            raise SourceUnavailable(f"source file {relative!r} cannot be read: {exc.strerror or exc}") from None
        except _NotRegular as exc:
            raise SourceUnavailable(str(exc)) from None
        try:
            return raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise SourceUnavailable(
                f"source file {relative!r} is not valid UTF-8 text (byte 0x{raw[exc.start : exc.start + 1].hex()} "
                f"at offset {exc.start:,})"
            ) from None


class _NotRegular(Exception):
    """A path that is missing, not a regular file (a FIFO would block the read), or too big."""


def _resolved(path: Path, relative: str) -> Path:
    """``path`` with its symlinks followed; raise `SourceUnavailable` for a loop or an impossible path."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise SourceUnavailable(f"{relative!r} cannot be followed: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, RuntimeError):
        return "it is a symbolic link loop"
    if isinstance(exc, ValueError):
        return "it contains a NUL character"
    return getattr(exc, "strerror", None) or str(exc)


def _regular_file(path: Path, what: str) -> int:
    """The size of ``path``, checked before reading to be a regular file; raise `_NotRegular`."""
    try:
        info = path.stat()
    except ValueError:
        raise _NotRegular(f"{what} cannot be read: its name contains a NUL character") from None
    if not stat.S_ISREG(info.st_mode):
        raise _NotRegular(f"{what} is not a regular file (a directory, FIFO or device cannot be read)")
    return info.st_size


@dataclass(slots=True)
class LoadReport:
    """What `load_banks` found: the banks that loaded, and every problem of the ones that did not."""

    banks: list[Bank] = field(default_factory=list)
    issues: list[BankIssue] = field(default_factory=list)
    #: The file each loaded bank came from, by bank id (the linter pins its warnings to lines in it).
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no file had a problem."""
        return not self.issues


@dataclass(frozen=True, slots=True)
class _Parsed:
    bank: Bank
    relative: str | None
    #: Where the bank's id is written; only a clash of ids asks, so positions are worked out only then.
    id_mark: Callable[[], Mark | None]


def parse_bank_text(
    text: str | bytes,
    *,
    name: str,
    article_text: str | None = None,
    base_dir: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Bank:
    """Validate a bank given as text (an upload, say) and build it; raise `BankError` listing every problem.

    ``name`` is how issues refer to the file. Passages are checked against ``article_text`` when it is
    given, otherwise against the bank's ``source.path`` read relative to ``base_dir``; with neither, the
    bank is refused, since its passages cannot be verified.
    """
    if article_text is not None:
        lookup = fixed_article(article_text)
    elif base_dir is not None:
        lookup = ArticleFiles().lookup(base_dir)
    else:
        lookup = _no_article
    return _parse(text, name=name, articles=lookup, max_bytes=max_bytes).bank


def load_bank(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, cache: BankCache | None = None) -> Bank:
    """Load one bank file (from ``cache`` if it holds this very bank); raise `BankError` listing every problem."""
    return _load_file(path, str(path), ArticleFiles(), max_bytes, cache).bank


def load_banks(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, cache: BankCache | None = None
) -> LoadReport:
    """Load every bank in ``paths`` (files, or directories whose ``*.yaml``/``*.yml`` files are loaded).

    A bank with any problem is left out whole and its problems reported; the other banks still load.
    Bank ids must be unique: a second bank reusing an id is refused, naming the file that has it.
    With a ``cache``, a file whose bytes and article are unchanged since it last loaded is not checked again.
    """
    report = LoadReport()
    articles = ArticleFiles()
    owners: dict[str, str] = {}
    for path, name in _bank_files(paths, report):
        try:
            parsed = _load_file(path, name, articles, max_bytes, cache)
        except BankError as exc:
            report.issues.extend(exc.issues)
            continue
        except Exception as exc:  # one file must never stop the others loading (nor the bot starting)
            log.exception("Unexpected error loading bank file %s", name)
            report.issues.append(BankIssue(name, None, None, "", f"could not be checked ({type(exc).__name__})"))
            continue
        bank = parsed.bank
        if bank.id in owners:
            line, column = parsed.id_mark() or (None, None)
            report.issues.append(
                BankIssue(name, line, column, "id", f"bank id {bank.id!r} is already used by {owners[bank.id]}")
            )
            continue
        owners[bank.id] = name
        report.files[bank.id] = path
        report.banks.append(bank)
    log.info("Loaded %d question banks; %d problems", len(report.banks), len(report.issues))
    return report


def _bank_files(paths: Iterable[Path], report: LoadReport) -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            try:
                found = bank_entries(path)
            except OSError as exc:
                report.issues.append(BankIssue(str(path), None, None, "", f"cannot be read: {exc.strerror or exc}"))
                continue
        elif path.exists() or path.is_symlink():  # a symlink loop "does not exist", but is the file's error
            found = [path]
        else:
            report.issues.append(BankIssue(str(path), None, None, "", "no such file or directory"))
            continue
        for file in found:
            # The same file reached twice (say, as itself and through its directory) is one bank, not a clash.
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                files.append((file, str(file)))
    return files


def bank_entries(folder: Path) -> list[Path]:
    """The bank files of a folder, sorted: every ``*.yaml``/``*.yml`` entry that is not a folder.

    A FIFO or a broken link is listed too, so that loading it reports it rather than skipping it unseen.
    """
    return sorted(child for child in folder.iterdir() if child.suffix in BANK_SUFFIXES and not child.is_dir())


def _identity(file: Path) -> Path:
    try:
        return file.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop: loading it reports it
        return file.absolute()


def _load_file(path: Path, name: str, articles: ArticleFiles, max_bytes: int, cache: BankCache | None) -> _Parsed:
    try:
        # Refused before reading: a huge file should cost nothing, and reading a FIFO would block for ever.
        size = _regular_file(path, "the file")
        if size > max_bytes:
            raise _fail(name, f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes")
        raw = path.read_bytes()
    except _NotRegular as exc:
        raise _fail(name, str(exc)) from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror or exc}") from None
    if cache is None:
        return _parse(raw, name=name, articles=articles.lookup(path.parent), max_bytes=max_bytes)
    bank_digest = digest(raw)
    cached = _from_cache(cache, bank_digest, articles, path.parent)
    if cached is not None:
        return _Parsed(cached, None, lambda: read_yaml(raw, max_bytes=len(raw)).marks.get("id"))
    parsed = _parse(raw, name=name, articles=articles.lookup(path.parent), max_bytes=max_bytes)
    try:
        article_digest = None if parsed.relative is None else articles.digest(path.parent, parsed.relative)
    except SourceUnavailable:
        return parsed  # the article went away while we read it: nothing sure to remember
    cache.put(bank_digest, parsed.relative, article_digest, parsed.bank)
    return parsed


def _from_cache(cache: BankCache, bank_digest: str, articles: ArticleFiles, base_dir: Path) -> Bank | None:
    """The cached bank for these bytes, if the article it was checked against is byte for byte the same."""
    entry = cache.get(bank_digest)
    if entry is None:
        return None
    relative, article_digest, bank = entry
    if relative is not None:
        try:
            if articles.digest(base_dir, relative) != article_digest:
                return None
        except SourceUnavailable:
            return None  # loading afresh reports why
    return bank


def _fail(name: str, message: str) -> BankError:
    return BankError([BankIssue(name, None, None, "", message)])


def fixed_article(text: str) -> ArticleLookup:
    """An `ArticleLookup` that gives ``text`` for whatever ``source.path`` the bank names (an uploaded article)."""
    articles: dict[str, Article] = {}

    def lookup(relative: str) -> Article:
        if relative not in articles:
            articles[relative] = Article(text, name=relative)
        return articles[relative]

    return lookup


def _no_article(relative: str) -> Article:
    raise SourceUnavailable(f"no article text was given for {relative!r}, so the passages cannot be checked")


def _parse(source: str | bytes, *, name: str, articles: ArticleLookup, max_bytes: int) -> _Parsed:
    with collector_paused():
        # A plain bank is read by the fast reader; anything else by PyYAML's, which words syntax errors.
        document = _fast_document(source, max_bytes)
        if document is None:
            document = read_bank_yaml(source, name=name, max_bytes=max_bytes)
        bank, relative = _parse_document(document, name=name, articles=articles)
    # Keeping the document for its marks would keep every node of the file alive with the bank (and the
    # collector walking them all); the source is one object, read again if the id's position is asked for.
    return _Parsed(bank, relative, lambda: read_yaml(source, max_bytes=max_bytes).marks.get("id"))


def _fast_document(source: str | bytes, max_bytes: int) -> YamlDocument | None:
    """The bank's data read by `fast_read`, when the file is within the limit and in its subset; else None."""
    if isinstance(source, str):
        try:
            raw = source.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: PyYAML's reader says where
            return None
    else:
        raw = source
    if len(raw) > max_bytes:
        return None  # PyYAML's path words the refusal
    data = fast_read(raw)
    if data is None:
        return None
    # Positions are only needed to word a problem: PyYAML composes the file for them then, and only then.
    return YamlDocument(data, source=source)


def read_bank_yaml(source: str | bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read a bank file's YAML, the one parse of it; raise `BankError` if it is not readable YAML."""
    try:
        return read_yaml(source, max_bytes=max_bytes)
    except YamlProblem as problem:
        raise BankError([BankIssue(name, problem.line, problem.column, problem.field, problem.message)]) from None


def source_path(data: Any) -> str | None:
    """The ``source.path`` a bank's data names, read leniently: None unless it is non-empty text."""
    source = data.get("source") if isinstance(data, dict) else None
    relative = source.get("path") if isinstance(source, dict) else None
    if not isinstance(relative, str) or not relative.strip() or forbidden(relative) is not None:
        return None  # a NUL in the path is the text check's to report; the file system would refuse it
    return relative.strip()


def bank_from_yaml(document: YamlDocument, *, name: str, articles: ArticleLookup) -> Bank:
    """Validate a bank already read by `read_bank_yaml` and build it; raise `BankError` listing every problem.

    ``articles`` gives the article the bank's ``source.path`` names (see `fixed_article`).
    """
    with collector_paused():
        return _parse_document(document, name=name, articles=articles)[0]


def _parse_document(document: YamlDocument, *, name: str, articles: ArticleLookup) -> tuple[Bank, str | None]:
    """The bank and the article path it names; raise `BankError` listing every problem."""
    # Imported here, not at the top: a bank read from the cache of validated banks (every shipped bank at
    # a usual start-up) needs neither pydantic, the bank schema nor the checks (see tests/test_startup.py).
    from pydantic import ValidationError

    from bot.banks.checks import check_passages, check_questions, check_related, check_text
    from bot.banks.messages import Finding, translate
    from bot.banks.model import BankModel
    from bot.banks.suggest import blank_passage_hints

    issues = [BankIssue(name, p.line, p.column, p.field, p.message) for p in document.problems]
    findings: list[Finding] = []
    model: BankModel | None = None
    try:
        model = BankModel.model_validate(document.data)
    except ValidationError as exc:
        findings.extend(translate(error) for error in exc.errors())
    findings.extend(check_questions(document))
    findings.extend(check_text(document))
    findings.extend(check_related(document))

    paragraphs: dict[int, int] = {}
    data = document.data
    relative = source_path(data)
    if relative is not None:
        try:
            article = articles(relative)
        except SourceUnavailable as exc:
            findings.append(Finding("source.path", str(exc)))
        else:
            passage_findings, paragraphs = check_passages(document, article)
            findings.extend(passage_findings)
            questions = data.get("questions") if isinstance(data, dict) else None
            if isinstance(questions, list):
                hints = blank_passage_hints(questions, article)
                findings = [
                    replace(f, message=f"{f.message}; {hints[f.field]}") if f.field in hints else f for f in findings
                ]

    issues.extend(_position(name, document, finding) for finding in findings)
    if issues or model is None:
        raise BankError(sorted(issues, key=lambda issue: issue.sort_key))
    return _build(model, paragraphs), relative


def _position(name: str, document: YamlDocument, finding: Finding) -> BankIssue:
    path = finding.field
    mark: Mark | None = None
    if finding.anchor == "key":
        mark = document.key_marks.get(path)
    elif finding.anchor == "parent":
        path = _parent(path)
    while mark is None:
        mark = document.marks.get(path)
        if not path:
            break
        path = _parent(path)
    line, column = mark or (None, None)
    return BankIssue(name, line, column, finding.field, finding.message)


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _build(model: BankModel, paragraphs: dict[int, int]) -> Bank:
    from bot.banks.checks import answer_index  # loaded by _parse_document already; see there

    source = Source(
        title=model.source.title, author=model.source.author, url=model.source.url, licence=model.source.licence
    )
    questions = tuple(
        Question(
            id=question.id,
            bank_id=model.id,
            prompt=question.prompt,
            choices=tuple(question.choices),
            answer=answer_index(question.answer, question.choices) or 0,  # the checks found it
            explanation=question.explanation,
            passage=question.passage,
            source=source,
            paragraph=paragraphs.get(index),
            difficulty=question.difficulty,
            tags=tuple(question.tags),
        )
        for index, question in enumerate(model.questions)
    )
    defaults = model.defaults
    return Bank(
        id=model.id,
        title=model.title,
        source=source,
        questions=questions,
        description=model.description or "",
        authors=tuple(model.authors),
        language=model.language,
        seconds=defaults.seconds if defaults else None,
        points=defaults.points if defaults else None,
        related=tuple(tuple(group) for group in model.related),
    )
