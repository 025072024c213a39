"""Write imported drafts as a bank file: readable YAML, with a ``# TODO`` comment wherever the author must fill in.

Imports rarely carry what a bank requires (the passage quoting the article, often the explanation, the
article's title and author), so those are written empty, which `quizbot check` refuses until they are
filled, each under a ``# TODO`` comment; with the article at hand, each missing passage's comment lists
the sentences that best answer the question, ready to copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from bot.banks.importers.form import Draft, Imported, slugify, unique_ids
from bot.banks.passages import Article, Suggestion
from bot.banks.suggest import question_query, suggest_passages

#: Suggestions listed in each missing passage's comment.
SUGGESTIONS = 3
WIDTH = 100
_SOURCE_KEYS = ("title", "author", "url", "path", "publisher", "licence")


@dataclass(frozen=True, slots=True)
class BankOptions:
    """Bank fields given on the command line; each overrides what the imported file says."""

    bank_id: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    source_title: str | None = None
    source_author: str | None = None
    #: The article's path as the bank should name it: relative to the bank file.
    source_path: str | None = None


class _Dumper(yaml.SafeDumper):
    """A safe dumper that indents list items under their key, as the shipped banks are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: Any, *, flow: bool = False) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=None if flow else False,
    )


def _indent(text: str, spaces: int) -> list[str]:
    pad = " " * spaces
    return [pad + line if line else line for line in text.splitlines()]


def _todo(key: str, note: str, spaces: int) -> list[str]:
    pad = " " * spaces
    return [f"{pad}# TODO {key}: {note}", f'{pad}{key}: ""']


def render_bank(imported: Imported, options: BankOptions, *, name: str, article: Article | None = None) -> str:
    """The bank file's text for the imported drafts; ``name`` is the imported file (its stem is the fallback id)."""
    bank = dict(imported.bank)
    lines = [
        f"# Imported by quizbot from {name}. Fill in every TODO, then run `quizbot check` on this file.",
        "# `quizbot suggest` on this file lists the article's sentences that best answer each question.",
    ]
    bank_id = options.bank_id or bank.get("id") or slugify(PurePath(name).stem) or "imported"
    lines += _indent(_dump({"id": bank_id}), 0)
    title = options.title or bank.get("title") or options.source_title
    lines += _indent(_dump({"title": title}), 0) if title else _todo("title", "the bank's title, shown to players", 0)
    if bank.get("description"):
        lines += _indent(_dump({"description": bank["description"]}), 0)
    authors = list(options.authors) or bank.get("authors")
    if authors:
        lines += _indent(_dump({"authors": authors}, flow=True), 0)
    else:
        lines += ["# TODO authors: who wrote the questions", 'authors: [""]']
    lines += _indent(_dump({"language": bank.get("language") or "en"}), 0)
    lines += ["source:", *_source(bank.get("source"), options)]
    if bank.get("defaults"):
        lines += _indent(_dump({"defaults": bank["defaults"]}), 0)
    lines.append("questions:")
    ids = unique_ids(draft.title or draft.prompt for draft in imported.drafts)
    for question_id, draft in zip(ids, imported.drafts, strict=True):
        lines += _question(question_id, draft, article)
    if bank.get("related"):
        # default_flow_style=None writes each group as [a, b] under a block list, as authors write it.
        lines += _indent(_dump({"related": bank["related"]}, flow=True), 0)
    return "\n".join(lines) + "\n"


def _source(given: object, options: BankOptions) -> list[str]:
    source: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    overrides = {"title": options.source_title, "author": options.source_author, "path": options.source_path}
    source.update({key: value for key, value in overrides.items() if value})
    notes = {
        "title": "the article's title, as published",
        "author": "the article's author(s)",
        "path": "the article's plain-text file, relative to this file (one paragraph per line)",
    }
    lines: list[str] = []
    for key in _SOURCE_KEYS:
        value = source.get(key)
        if value:
            lines += _indent(_dump({key: value}), 2)
        elif key in notes:
            lines += _todo(key, notes[key], 2)
    return lines


def _question(question_id: str, draft: Draft, article: Article | None) -> list[str]:
    head: dict[str, Any] = {
        "id": question_id,
        "prompt": draft.prompt,
        "choices": list(draft.choices),
        "answer": draft.correct_choice,
    }
    lines = ["", *_indent(_dump([head]), 2)]
    if draft.explanation:
        lines += _indent(_dump({"explanation": draft.explanation}), 4)
    else:
        lines += _todo("explanation", "why the answer is right, in your words", 4)
    if draft.passage:
        lines += _indent(_dump({"passage": draft.passage}), 4)
    else:
        lines += _passage_todo(draft, article)
    if draft.difficulty is not None:
        lines += _indent(_dump({"difficulty": draft.difficulty.value}), 4)
    if draft.tags:
        lines += _indent(_dump({"tags": list(draft.tags)}, flow=True), 4)
    return lines


def _passage_todo(draft: Draft, article: Article | None) -> list[str]:
    pad = " " * 4
    if article is None:
        return _todo("passage", "quote the article word for word (`quizbot suggest` proposes sentences)", 4)
    query = question_query(draft.prompt, draft.correct_choice, draft.explanation)
    found = suggest_passages(article, query, SUGGESTIONS)
    if not found:
        return _todo("passage", "quote the article word for word; no sentence of it matches this question", 4)
    return [
        f"{pad}# TODO passage: quote the article word for word. Suggestions (paragraph, score):",
        *(f"{pad}#   {line}" for line in suggestion_lines(found)),
        f'{pad}passage: ""',
    ]


def suggestion_lines(suggestions: Sequence[Suggestion]) -> list[str]:
    """One line per suggestion: ``¶3 87%: "the sentence"``, the sentence on one line."""
    return [
        f"¶{suggestion.paragraph} {suggestion.score:.0f}%: {_quoted(suggestion.sentence)}" for suggestion in suggestions
    ]


def _quoted(sentence: str) -> str:
    # Double-quoted so the author can paste it after `passage: ` as is; the sentence's own double quotes
    # and backslashes are escaped as YAML requires.
    one_line = " ".join(sentence.split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'
