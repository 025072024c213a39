"""Write a bank as GIFT, Moodle's plain-text quiz format, so that it can be used in Moodle and imported back.

Each question becomes ``::id::prompt{ =answer ~other ... ####explanation }``, its choices in the bank's
order. What GIFT has no syntax for goes into comment lines that Moodle ignores and `quizbot import`
reads back: ``// quizbot passage: "..."``, ``// quizbot difficulty: "easy"``, ``// quizbot tags: [...]``
before each question, and one ``// quizbot bank: {...}`` line at the top with the bank's own fields (id,
title, authors, source, defaults...). The values are JSON, so nothing is lost in the round trip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.banks.importers.gift import ESCAPED, MARKERS
from bot.banks.loader import load_bank
from bot.banks.model import BankModel, QuestionModel
from bot.banks.yaml_source import read_yaml

_ESCAPES = {character: "\\" + character for character in ESCAPED} | {"\n": "\\n"}


def gift_escape(text: str) -> str:
    """``text`` with GIFT's special characters (``~ = # { } : \\``) escaped, and line breaks as ``\\n``."""
    escaped = "".join(_ESCAPES.get(character, character) for character in text)
    # Text that starts like a format marker would lose it on import; an explicit [plain] protects it.
    if escaped.lstrip().casefold().startswith(tuple(f"[{marker}]" for marker in MARKERS)):
        return "[plain]" + escaped
    return escaped


def _comment(key: str, value: Any) -> str:
    return f"// quizbot {key}: {json.dumps(value, ensure_ascii=False)}"


def _question(question: QuestionModel) -> list[str]:
    lines = [_comment("passage", question.passage), _comment("difficulty", question.difficulty.value)]
    if question.tags:
        lines.append(_comment("tags", list(question.tags)))
    lines.append(f"::{question.id}::{gift_escape(question.prompt)} {{")
    lines.extend(f"{'=' if choice == question.answer else '~'}{gift_escape(choice)}" for choice in question.choices)
    lines.append(f"####{gift_escape(question.explanation)}")
    lines.append("}")
    return lines


def export_gift(model: BankModel) -> str:
    """The bank as GIFT text (see the module's documentation for what goes where)."""
    header = model.model_dump(mode="json", exclude={"questions"}, exclude_none=True)
    lines = [
        f"// {model.title}: {len(model.questions)} questions exported by quizbot from the bank {model.id!r}.",
        "// The 'quizbot' comments keep what GIFT cannot say; `quizbot import` reads them back.",
        _comment("bank", header),
    ]
    for question in model.questions:
        lines.append("")
        lines.extend(_question(question))
    return "\n".join(lines) + "\n"


def read_bank_model(path: Path) -> BankModel:
    """A bank file as its model, after checking it fully (passages included); raise `BankError` if invalid."""
    load_bank(path)
    return BankModel.model_validate(read_yaml(path.read_bytes()).data)
