"""Read Aiken, Moodle's simplest quiz format (https://docs.moodle.org/en/Aiken_format), into drafts.

A question is its text (one line, or several before the first choice), then one line per choice
(``A. text`` or ``A) text``), then ``ANSWER: B``. Blank lines between questions are optional. Aiken has
no titles, feedback or explanations, so the explanations are left for the author to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.banks.importers.form import Draft, Imported, clean

_CHOICE = re.compile(r"^([A-Za-z])\s*[.)]\s+(\S.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


@dataclass(slots=True)
class _Pending:
    line: int
    prompt: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)


def parse_aiken(text: str) -> Imported:
    """Read Aiken text into drafts, skipping (with an issue) questions whose answer is missing or unclear."""
    imported = Imported()
    pending: _Pending | None = None
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if pending is None:
            # The first line of a question is its text, even if it happens to look like a choice.
            pending = _Pending(number, [line])
            continue
        answer = _ANSWER.match(line)
        choice = _CHOICE.match(line)
        if answer:
            _finish(imported, pending, answer.group(1).strip(), number)
            pending = None
        elif choice:
            pending.letters.append(choice.group(1).upper())
            pending.choices.append(clean(choice.group(2)))
        elif pending.choices:
            imported.skip(f"line {pending.line}", f"line {number} is neither a choice ('B. text') nor 'ANSWER: B'")
            pending = None
        else:
            pending.prompt.append(line)
    if pending is not None:
        imported.skip(f"line {pending.line}", "no 'ANSWER:' line before the end of the file")
    return imported


def _finish(imported: Imported, pending: _Pending, letter: str, answer_line: int) -> None:
    where = f"line {pending.line}"
    if not pending.choices:
        imported.skip(where, f"no choices before 'ANSWER:' on line {answer_line}")
        return
    letters = [part.strip().upper() for part in re.split(r"[,;\s]+", letter) if part.strip()]
    if len(letters) != 1:
        imported.skip(where, f"'ANSWER: {letter}' names {len(letters)} answers; a question here has exactly one")
        return
    if letters[0] not in pending.letters:
        imported.skip(where, f"'ANSWER: {letter}' is not one of the choices {', '.join(pending.letters)}")
        return
    if len(set(pending.letters)) != len(pending.letters):
        imported.skip(where, "two choices have the same letter")
        return
    imported.add(
        Draft(
            prompt=clean(" ".join(pending.prompt)),
            choices=tuple(pending.choices),
            answer=pending.letters.index(letters[0]),
            where=where,
        )
    )
