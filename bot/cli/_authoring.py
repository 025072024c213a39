"""``quizbot import``, ``export`` and ``suggest``: bring questions in from other formats, take banks out to
GIFT, and find the article's sentences to quote as passages.

``bot.cli`` adds these commands to ``quizbot``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from bot.banks.errors import BankError
from bot.banks.export import export_gift, read_bank_model
from bot.banks.importers import FORMATS, BankOptions, Format, ImportFailed, guess_format, import_bank
from bot.banks.importers.bank_yaml import suggestion_lines
from bot.banks.loader import ArticleFiles, SourceUnavailable, source_path
from bot.banks.model import MAX_ID_LENGTH, SLUG_PATTERN
from bot.banks.passages import Article
from bot.banks.suggest import question_query, suggest_passages
from bot.banks.yaml_source import YamlProblem, read_yaml


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _slug(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (len(value) > MAX_ID_LENGTH or not re.match(SLUG_PATTERN, value)):
        raise click.BadParameter(
            f"{value!r} is not a valid id: lowercase letters, digits and single hyphens, at most {MAX_ID_LENGTH}"
        )
    return value


def _read_article(path: Path) -> Article:
    try:
        return ArticleFiles().get(path.parent, path.name)
    except SourceUnavailable as exc:
        raise click.BadParameter(str(exc), param_hint="'--article'") from None


def _relative(target: Path, base_dir: Path) -> str:
    """``target`` as the bank file at ``base_dir`` should name it: relative, with forward slashes."""
    try:
        return Path(os.path.relpath(target.resolve(), base_dir.resolve())).as_posix()
    except ValueError:  # Another drive on Windows: the loader will say an absolute path is refused.
        return target.resolve().as_posix()


def _write(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise click.UsageError(f"{output} already exists; pass --force to overwrite it")
    output.write_text(text, encoding="utf-8")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The file's format (default: from its suffix: .gift, .json for opentdb, .xml for moodle-xml).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Bank file to write.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The article's text file: sets source.path and lists suggested passages.",
)
@click.option("--source-title", help="The article's title.")
@click.option("--source-author", help="The article's author(s).")
@click.option("--bank-id", callback=_slug, help="The bank's id (default: from the file name).")
@click.option("--title", help="The bank's title (default: the article's title).")
@click.option("--author", "authors", multiple=True, help="Who wrote the questions (repeat for several).")
def import_command(
    file: Path,
    fmt: Format | None,
    output: Path | None,
    force: bool,
    article: Path | None,
    source_title: str | None,
    source_author: str | None,
    bank_id: str | None,
    title: str | None,
    authors: tuple[str, ...],
) -> None:
    """Turn a GIFT, Aiken, Open Trivia DB or Moodle XML quiz into a bank file.

    Questions with exactly one right answer (and true/false ones) are kept; the others are skipped
    with a warning. What the file cannot give (passages, often explanations) is left empty under a
    TODO comment: fill it in, then run `quizbot check`. With --article, each TODO lists the
    article's sentences that best answer the question.
    """
    fmt = fmt or guess_format(file)
    if fmt is None:
        raise click.UsageError(f"cannot tell the format of {file.name} from its suffix; pass --format")
    base_dir = output.parent if output is not None else Path.cwd()
    options = BankOptions(
        bank_id=bank_id,
        title=title,
        authors=authors,
        source_title=source_title,
        source_author=source_author,
        source_path=_relative(article, base_dir) if article is not None else None,
    )
    text_article = _read_article(article) if article is not None else None
    try:
        text, issues = import_bank(file.read_bytes(), fmt, options, name=file.name, article=text_article)
    except ImportFailed as exc:
        _fail(f"{file}: {exc}")
    for issue in issues:
        click.echo(f"{file}: {issue}", err=True)
    _write(text, output, force)
    kept = text.count("\n  - id: ")
    skipped = sum(1 for issue in issues if issue.message.startswith("skipped:"))
    todos = text.count("# TODO ")
    summary = f"Imported {kept} question(s) from {file.name}; skipped {skipped}; {todos} TODO(s) to fill in."
    click.echo(summary if output is None else f"{summary} Wrote {output}.", err=output is None)


@click.command("export")
@click.argument("bank", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["gift"]), default="gift", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def export_command(bank: Path, fmt: str, output: Path | None, force: bool) -> None:
    """Write a bank as GIFT, for Moodle; `quizbot import` reads it back whole.

    Passages, difficulty, tags and the bank's own fields travel in `// quizbot` comments, which
    Moodle ignores. The bank must pass `quizbot check` first.
    """
    try:
        model = read_bank_model(bank)
    except BankError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        _fail(f"{bank}: fix the {len(exc.issues)} error(s) above before exporting.")
    _write(export_gift(model), output, force)
    if output is not None:
        click.echo(f"Exported {len(model.questions)} question(s) to {output}.")


@click.command("suggest")
@click.argument("bank", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-k", "--count", default=3, show_default=True, type=click.IntRange(1, 10), help="Suggestions each.")
@click.option(
    "--article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The article's text file (default: the bank's source.path).",
)
def suggest_command(bank: Path, count: int, article: Path | None) -> None:
    """List passages to quote for the questions whose passage is missing or not found in the article.

    A missing passage gets the article's sentences that best match the question (prompt, answer and
    explanation); a passage that is not found gets the sentences closest to what it says. Each comes
    with its paragraph number and a score out of 100. Exits 1 while any passage is missing or not found.
    """
    try:
        document = read_yaml(bank.read_bytes())
    except YamlProblem as exc:
        where = f"{bank}:{exc.line}" if exc.line else str(bank)
        _fail(f"{where}: {exc.message}")
    data: Any = document.data
    relative = source_path(data)
    if article is not None:
        text_article = _read_article(article)
    elif relative is not None:
        try:
            text_article = ArticleFiles().get(bank.parent, relative)
        except SourceUnavailable as exc:
            _fail(f"{bank}: source.path: {exc}; pass --article")
    else:
        _fail(f"{bank}: the bank has no source.path; pass --article")
    questions = data.get("questions") if isinstance(data, dict) else None
    needing = 0
    for index, question in enumerate(questions if isinstance(questions, list) else []):
        if not isinstance(question, dict):
            continue
        lines = _suggestions(question, text_article, count)
        if lines is None:
            continue
        needing += 1
        line = document.marks.get(f"questions[{index}]", (None, None))[0]
        where = f"{bank}:{line}" if line else str(bank)
        click.echo(f"{where}: questions[{index}] {_name(question)}: {lines[0]}")
        click.echo("\n".join(f"  {number}. {text}" for number, text in enumerate(lines[1:], start=1)))
    if needing:
        click.echo(f"{needing} question(s) need a passage.")
        sys.exit(1)  # like `quizbot check`: a script or CI step must not read "done" while passages are missing
    click.echo(f"Every passage is found in {text_article.name}.")


def _name(question: dict[str, Any]) -> str:
    question_id = question.get("id")
    return repr(question_id) if isinstance(question_id, str) else "(no id)"


def _suggestions(question: dict[str, Any], article: Article, count: int) -> list[str] | None:
    """A heading and one line per suggestion, or None when the question's passage is found."""
    passage = question.get("passage")
    if isinstance(passage, str) and passage.strip():
        if article.locate(passage) is not None:
            return None
        return ["passage not found; the closest sentences to it:", *suggestion_lines(article.suggest(passage, count))]
    query = question_query(*(_text(question.get(key)) for key in ("prompt", "answer", "explanation")))
    found = suggest_passages(article, query, count)
    if not found:
        return ["no passage, and no sentence of the article matches the question"]
    return ["no passage; the sentences that best answer the question:", *suggestion_lines(found)]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
