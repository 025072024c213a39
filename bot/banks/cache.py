"""Validated banks kept on disk, so that loading an unchanged bank skips parsing and checking it.

An entry is found by the SHA-256 of the bank file's bytes and holds the SHA-256 of the article the bank
was checked against: a changed byte in either misses, and the bank is loaded and checked afresh. Entries
are ``marshal`` data (plain strings, numbers and tuples, so reading one runs no code), behind a digest of
their own: a truncated or corrupt entry, or one written by another format, is ignored, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.quiz.questions import Bank, Difficulty, Question, Source

log = logging.getLogger(__name__)

#: Bump when validation, or what a `Bank` holds, changes: entries of another format are never read.
FORMAT = b"quizbot-bank-cache 2\n"
_DIGEST = hashlib.sha256().digest_size


def digest(data: bytes) -> str:
    """The hex SHA-256 of ``data``: how a bank file or an article is recognised."""
    return hashlib.sha256(data).hexdigest()


class BankCache:
    """A folder of validated banks; see the module's docstring. One file per bank content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bank_digest: str) -> Path:
        return self.folder / f"{bank_digest}.bank"

    def get(self, bank_digest: str) -> tuple[str | None, str | None, Bank] | None:
        """The entry for a bank file's digest: (article path, article digest, bank), or None if there is none usable."""
        try:
            raw = self._file(bank_digest).read_bytes()
        except OSError:
            return None
        head = len(FORMAT) + _DIGEST
        if (
            not raw.startswith(FORMAT)
            or len(raw) < head
            or hashlib.sha256(raw[head:]).digest() != raw[len(FORMAT) : head]
        ):
            log.debug("Ignoring the bank cache entry %s: not one this version wrote whole", bank_digest)
            return None
        try:
            key, relative, article_digest, fields = marshal.loads(raw[head:])
            if key != bank_digest:
                return None
            return relative, article_digest, _thaw(fields)
        except Exception:  # a bad entry is a miss, whatever is wrong with it
            log.debug("Ignoring the bank cache entry %s: it does not hold a bank", bank_digest, exc_info=True)
            return None

    def put(self, bank_digest: str, relative: str | None, article_digest: str | None, bank: Bank) -> None:
        """Keep a bank that was just validated; a cache that cannot be written is only logged."""
        payload = marshal.dumps((bank_digest, relative, article_digest, _freeze(bank)))
        data = FORMAT + hashlib.sha256(payload).digest() + payload
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed over, so a reader never sees half an entry.
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, self._file(bank_digest))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("Cannot write the bank cache in %s: %s", self.folder, exc)


def _init_fields(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


# What an entry holds of each object: the dataclasses' own fields, so a field added to them changes the
# layout, which is stored in the entry and checked, and entries of the old layout are simply missed.
_SOURCE = _init_fields(Source)
_QUESTION = tuple(name for name in _init_fields(Question) if name not in ("bank_id", "source"))
_BANK = tuple(name for name in _init_fields(Bank) if name not in ("source", "questions"))
_LAYOUT = (_SOURCE, _QUESTION, _BANK)


def _plain(value: Any) -> Any:
    # Enums are stored as their values; everything else a bank holds is already str, int, None or tuples.
    return value.value if isinstance(value, Difficulty) else value


def _freeze(bank: Bank) -> tuple[Any, ...]:
    return (
        _LAYOUT,
        tuple(getattr(bank.source, name) for name in _SOURCE),
        tuple(tuple(_plain(getattr(q, name)) for name in _QUESTION) for q in bank.questions),
        tuple(getattr(bank, name) for name in _BANK),
    )


# Where a stored question's fields go in `Question`'s positional arguments: ``bank_id`` and ``source`` are
# put back between them, and the difficulty's value made a `Difficulty` again. Positional calls cost about
# half of keyword ones, and this runs once per question of every bank loaded from the cache.
_INIT_QUESTION = _init_fields(Question)
_BANK_AT = _INIT_QUESTION.index("bank_id")
_SOURCE_AT = _INIT_QUESTION.index("source") - 1  # in the stored row, which has no bank_id
_DIFFICULTY_AT = _QUESTION.index("difficulty")
_POSITIONAL = _BANK_AT < _SOURCE_AT + 1 and _SOURCE_AT <= _DIFFICULTY_AT


def _thaw(fields: tuple[Any, ...]) -> Bank:
    layout, source_fields, questions, bank_fields = fields
    if tuple(tuple(names) for names in layout) != _LAYOUT:
        raise ValueError("the entry was written for other fields")
    source = Source(**dict(zip(_SOURCE, source_fields, strict=True)))
    values = dict(zip(_BANK, bank_fields, strict=True))
    bank_id = values["id"]
    difficulties = {difficulty.value: difficulty for difficulty in Difficulty}  # a dict: Enum() costs 1 µs a call
    width = len(_QUESTION)
    if any(len(question) != width for question in questions):
        raise ValueError("a question of the entry has other fields")
    if _POSITIONAL:
        a, b, d = _BANK_AT, _SOURCE_AT, _DIFFICULTY_AT
        built = [
            Question(*q[:a], bank_id, *q[a:b], source, *q[b:d], difficulties[q[d]], *q[d + 1 :])  # type: ignore[call-arg]
            for q in questions
        ]
    else:  # pragma: no cover - only if Question's fields are reordered
        built = []
        for question in questions:
            named = dict(zip(_QUESTION, question, strict=True))
            named["difficulty"] = difficulties[named["difficulty"]]
            built.append(Question(bank_id=bank_id, source=source, **named))
    return Bank(source=source, questions=tuple(built), **values)
