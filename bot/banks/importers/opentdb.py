"""Read the JSON of the Open Trivia Database API (https://opentdb.com/api_config.php) into drafts.

Its text comes HTML-encoded (``&quot;``, ``&#039;``): every string is decoded. ``multiple`` questions keep
their answers (sorted, so the right one is not always first), ``boolean`` ones become True/False, the
difficulty is kept, and the category becomes a tag. OpenTDB has no explanations.
"""

from __future__ import annotations

import html
import json
from typing import Any

from bot.banks.importers.form import Draft, Imported, ImportFailed, clean, difficulty_of, tag_of, true_false

_RESPONSE_CODES = {
    1: "no results (the API had too few questions for the query)",
    2: "invalid parameter",
    3: "session token not found",
    4: "session token exhausted",
    5: "rate limited",
}


def parse_opentdb(text: str) -> Imported:
    """Read an OpenTDB API response into drafts; raise `ImportFailed` if it is not one."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        # json's decoder recurses once per level: 100,000 nested brackets exhaust Python's stack.
        raise ImportFailed("the JSON is nested too deeply to be an Open Trivia Database response") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ImportFailed('not an Open Trivia Database response: expected {"response_code": 0, "results": [...]}')
    code = data.get("response_code", 0)
    if code != 0:
        raise ImportFailed(f"the response reports an error: response_code {code} ({_RESPONSE_CODES.get(code, '?')})")
    imported = Imported()
    for index, item in enumerate(data["results"]):
        where = f"results[{index}]"
        if not isinstance(item, dict):
            imported.skip(where, "not a question object")
            continue
        draft = _draft(item, where, imported)
        if draft is not None:
            imported.add(draft)
    return imported


def _draft(item: dict[str, Any], where: str, imported: Imported) -> Draft | None:
    kind = item.get("type")
    prompt = _text(item.get("question"))
    correct = _text(item.get("correct_answer"))
    wrong_raw = item.get("incorrect_answers")
    if not prompt or not correct or not isinstance(wrong_raw, list):
        imported.skip(where, "'question', 'correct_answer' and 'incorrect_answers' are required")
        return None
    if kind == "boolean":
        choices, answer = true_false(correct.casefold() == "true")
    elif kind == "multiple":
        choices = tuple(sorted([correct, *(_text(wrong) for wrong in wrong_raw)], key=str.casefold))
        answer = choices.index(correct)
    else:
        imported.skip(where, f"question type {kind!r}; only 'multiple' and 'boolean' are importable")
        return None
    category = _text(item.get("category"))
    tag = tag_of(category) if category else None
    return Draft(
        prompt=prompt,
        choices=choices,
        answer=answer,
        where=where,
        difficulty=difficulty_of(item.get("difficulty")),
        tags=(tag,) if tag else (),
    )


def _text(value: object) -> str:
    return clean(html.unescape(value)) if isinstance(value, str) else ""
