"""The common form every importer produces: draft questions, bank fields, and what was skipped and why."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.banks.model import MAX_CHOICE, MAX_CHOICES, MAX_EXPLANATION, MAX_ID_LENGTH, MAX_PROMPT, MAX_TAG, MIN_CHOICES
from bot.quiz.questions import Difficulty

log = logging.getLogger(__name__)

#: Import files are read whole; a quiz export is far smaller than this.
MAX_IMPORT_BYTES = 5_000_000


class ImportFailed(Exception):
    """The file cannot be imported at all (not the format it claims, unsafe XML, ...); the message says why."""


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """A question skipped, or a problem the bank loader will refuse later, and where it is in the source."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Draft:
    """One imported multiple-choice question, before it has an id or a passage of the article.

    ``title`` is the source's own name for the question (GIFT's ``::title::``, Moodle's ``<name>``), from
    which its id is made; ``where`` says where it came from (``line 12``, ``results[3]``) for messages.
    """

    prompt: str
    choices: tuple[str, ...]
    answer: int
    where: str
    explanation: str = ""
    title: str = ""
    passage: str = ""
    difficulty: Difficulty | None = None
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"answer index {self.answer} is outside the {len(self.choices)} choices")

    @property
    def correct_choice(self) -> str:
        """The text of the correct choice."""
        return self.choices[self.answer]


@dataclass(slots=True)
class Imported:
    """What an importer read: the drafts, any bank fields the file carries, and the issues met."""

    drafts: list[Draft] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    #: Bank fields (``id``, ``title``, ``source``, ...) found in the file, such as our own GIFT export's header.
    bank: dict[str, Any] = field(default_factory=dict)

    def skip(self, where: str, message: str) -> None:
        """Record a question left out, and why."""
        log.debug("Skipped %s: %s", where, message)
        self.issues.append(ImportIssue(where, f"skipped: {message}"))

    def add(self, draft: Draft) -> None:
        """Keep a draft, warning now about what the bank loader would refuse later."""
        self.drafts.append(draft)
        self.issues.extend(ImportIssue(draft.where, message) for message in limit_problems(draft))


def limit_problems(draft: Draft) -> list[str]:
    """What the bank loader will refuse in this draft: choice count and lengths, prompt and explanation length."""
    problems: list[str] = []
    count = len(draft.choices)
    if not MIN_CHOICES <= count <= MAX_CHOICES:
        problems.append(f"{count} choices; a question needs {MIN_CHOICES} to {MAX_CHOICES}")
    problems.extend(
        f"choice {choice[:40]!r} is {len(choice)} characters; a button label holds {MAX_CHOICE}"
        for choice in draft.choices
        if len(choice) > MAX_CHOICE
    )
    folded = [choice.strip().casefold() for choice in draft.choices]
    if len(set(folded)) != len(folded):
        problems.append("two choices are the same (ignoring case)")
    if len(draft.prompt) > MAX_PROMPT:
        problems.append(f"the prompt is {len(draft.prompt)} characters; the limit is {MAX_PROMPT}")
    if len(draft.explanation) > MAX_EXPLANATION:
        problems.append(f"the explanation is {len(draft.explanation)} characters; the limit is {MAX_EXPLANATION}")
    return problems


def clean(text: str) -> str:
    """Text as one line: every run of whitespace (line breaks included) as one space, none at either end."""
    return " ".join(text.split())


def slugify(text: str, max_length: int = MAX_ID_LENGTH) -> str:
    """A lowercase-hyphenated slug of ``text`` (accents dropped), cut at a word boundary to ``max_length``."""
    # Apostrophes join, so that "Armenia's" is one word whichever apostrophe was typed.
    joined = text.replace("'", "").replace("\u2019", "")
    ascii_text = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    return slug


def tag_of(text: str) -> str | None:
    """A tag made from a category name (``Entertainment: Video Games`` is ``entertainment-video-games``)."""
    return slugify(text, MAX_TAG) or None


def unique_ids(names: Iterable[str], fallback: str = "question") -> list[str]:
    """One id per name: slugified, at most `MAX_ID_LENGTH` characters, made unique with ``-2``, ``-3``..."""
    taken: set[str] = set()
    ids: list[str] = []
    for name in names:
        base = slugify(name) or fallback
        candidate = base
        number = 1
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        taken.add(candidate)
        ids.append(candidate)
    return ids


def true_false(answer: bool) -> tuple[tuple[str, ...], int]:
    """The choices and answer index of a true/false question."""
    return ("True", "False"), 0 if answer else 1


def difficulty_of(value: object) -> Difficulty | None:
    """The difficulty named by ``value`` (``easy``, ``Medium``...), or None."""
    if isinstance(value, str):
        try:
            return Difficulty(value.strip().casefold())
        except ValueError:
            return None
    return None
