"""Where each alias (``*name``) of a YAML file stands, so a problem in what it repeats is reported there.

The composer hands back the anchored node itself for every alias, with the anchor's position, so an
alias repeating a whole question would be reported at the anchor's line. Only files that use aliases of
collections pay for this second, event-level read (the builder knows whether it expanded one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from bot.banks.yaml_source import Marks

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(slots=True)
class _Frame:
    path: str | None
    sequence: bool
    index: int = 0
    key: str | None = None
    expecting_key: bool = True


def alias_marks(text: str) -> dict[str, Any]:
    """The field path of every alias in ``text`` and where the alias is written."""
    found: dict[str, Any] = {}  # PyYAML's or libyaml's marks, as the composer keeps them
    stack: list[_Frame] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        path = _path_of(stack, event)
        if isinstance(event, yaml.AliasEvent):
            if path is not None and event.start_mark is not None:
                found[path] = event.start_mark
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Frame(path, isinstance(event, yaml.SequenceStartEvent)))
    return found


def _path_of(stack: list[_Frame], event: yaml.NodeEvent) -> str | None:
    """The path of the node this event starts (None for a mapping key, or inside a complex key)."""
    if not stack:
        return ""
    frame = stack[-1]
    if frame.path is None:
        return None
    if frame.sequence:
        frame.index += 1
        return f"{frame.path}[{frame.index - 1}]"
    if frame.expecting_key:
        frame.expecting_key = False
        frame.key = event.value if isinstance(event, yaml.ScalarEvent) else None
        return None
    frame.expecting_key = True
    if frame.key is None:
        return None
    return f"{frame.path}.{frame.key}" if frame.path else frame.key


def point_at_aliases(text: str, marks: Marks, key_marks: Marks) -> None:
    """Move the marks of everything an alias repeats to the alias itself."""
    for path, mark in alias_marks(text).items():
        for table in (marks.raw, key_marks.raw):
            for field in table:
                if field == path or field.startswith((f"{path}.", f"{path}[")):
                    table[field] = mark
