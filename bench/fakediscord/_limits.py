"""Discord's size limits on message bodies; a breach is a 400 with code 50035 (Invalid Form Body)."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_FIELDS = 25
MAX_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_LABEL = 80
MAX_CUSTOM_ID = 100
# (path inside an embed, limit)
EMBED_TEXT_LIMITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("title",), 256),
    (("description",), 4096),
    (("footer", "text"), 2048),
    (("author", "name"), 256),
)
FIELD_LIMITS = (("name", 256), ("value", 1024))


def _text(obj: Any, path: tuple[str, ...]) -> str:
    for key in path:
        if not isinstance(obj, dict):
            return ""
        obj = obj.get(key)
    return obj if isinstance(obj, str) else ""


def _embed_problems(index: int, embed: JSON) -> tuple[list[str], int]:
    problems: list[str] = []
    total = 0
    for path, limit in EMBED_TEXT_LIMITS:
        text = _text(embed, path)
        total += len(text)
        if len(text) > limit:
            problems.append(f"embeds.{index}.{'.'.join(path)}: must be {limit} or fewer in length")
    fields = embed.get("fields") or []
    if len(fields) > MAX_FIELDS:
        problems.append(f"embeds.{index}.fields: must be {MAX_FIELDS} or fewer in length")
    for f_index, field in enumerate(fields):
        for key, limit in FIELD_LIMITS:
            text = _text(field, (key,))
            total += len(text)
            if len(text) > limit:
                problems.append(f"embeds.{index}.fields.{f_index}.{key}: must be {limit} or fewer in length")
    return problems, total


def _component_problems(components: list[JSON]) -> list[str]:
    problems: list[str] = []
    if len(components) > MAX_ROWS:
        problems.append(f"components: must be {MAX_ROWS} or fewer in length")
    seen: set[str] = set()
    for r_index, row in enumerate(components):
        items = row.get("components") or []
        if row.get("type") == 1 and len(items) > MAX_ROW_ITEMS:
            problems.append(f"components.{r_index}.components: must be {MAX_ROW_ITEMS} or fewer in length")
        for i_index, item in enumerate(items):
            where = f"components.{r_index}.components.{i_index}"
            label = item.get("label")
            if isinstance(label, str) and len(label) > MAX_LABEL:
                problems.append(f"{where}.label: must be {MAX_LABEL} or fewer in length")
            custom_id = item.get("custom_id")
            if custom_id is None:
                continue
            if not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
                problems.append(f"{where}.custom_id: must be between 1 and {MAX_CUSTOM_ID} in length")
            if custom_id in seen:
                problems.append(f"{where}.custom_id: component custom id cannot be duplicated")
            seen.add(custom_id)
    return problems


def message_problems(body: JSON) -> list[str]:
    """Every way this message body breaks Discord's size limits (empty when it is acceptable)."""
    problems: list[str] = []
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        problems.append(f"content: must be {MAX_CONTENT} or fewer in length")
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"embeds: must be {MAX_EMBEDS} or fewer in length")
    total = 0
    for index, embed in enumerate(embeds):
        embed_problems, size = _embed_problems(index, embed)
        problems.extend(embed_problems)
        total += size
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds: all embeds together must be {MAX_EMBED_TOTAL} or fewer characters")
    problems.extend(_component_problems(body.get("components") or []))
    return problems


def invalid_form_body(problems: list[str]) -> JSON:
    """The 50035 error body, with every problem listed under ``errors``."""
    return {"code": 50035, "message": "Invalid Form Body", "errors": {"_problems": problems}}
