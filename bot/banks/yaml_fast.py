"""A fast read of a plain bank file: rapidyaml parses it in C++ and hands it over as JSON, read by ``json``.

`bot.banks.yaml_source` composes PyYAML nodes (about 20 objects per question) and builds the data from
them in Python; for a 10,000-question bank that is most of a cold load. rapidyaml builds its tree in one
C++ arena and writes it out as JSON, which the C ``json`` decoder turns into the same dicts, lists and
strings, with no Python object per node.

This path only ever *accepts*: `fast_read` gives the data of a file that uses a conservative subset of YAML,
or None, and the caller then reads the file with `yaml_source.read_yaml` as before. Syntax errors are
therefore always PyYAML's, and when a bank read this way has a problem, the positions its messages
give come from PyYAML's nodes of the same file, composed then (`YamlDocument`'s ``source``). What gives
way to PyYAML, because rapidyaml's JSON would lose it or its parser differs from libyaml's:

- characters libyaml refuses or treats as line breaks, tabs and carriage returns;
- anchors, aliases, tags, merge keys, complex keys, directives and document markers;
- a plain ``~``, ``Null`` or ``NULL`` (PyYAML's reader makes them None; rapidyaml keeps the text);
- a scalar starting with a character libyaml does not let one start with (``@``, backquote, ``%``, ``]``,
  ``}``, ``,``), and ``- `` inside a flow collection;
- backslash escapes other than ``\\\\``, ``\\"`` and ``\\n``; block scalars with an indentation or keep
  indicator, or ending the file without a line break;
- a float rapidyaml may have rewritten (it writes ``.5`` as ``0.5``), a bare ``true`` or ``false``;
- duplicate or empty keys, a root that is not a mapping, collections nested `MAX_DEPTH` deep, and
  anything rapidyaml or ``json`` refuses.

Patterns that look for these may raise false alarms (``x: ]`` in a comment, say): those files are only
read the slower way.

Numbers rapidyaml writes bare are read back as their text (``parse_int=str``), as PyYAML's reader keeps
them. ``tests/banks/test_yaml_fast.py`` checks the two readers agree on every bank of the tests and on
generated ones.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.banks.yaml_source import MAX_DEPTH

# Anything below sends the file to PyYAML; false alarms only cost speed, so the patterns are broad. The
# file is searched as UTF-8 bytes: every pattern is ASCII, and no byte of a multi-byte character is.
# ASCII control characters (tabs, CR and DEL included), found with one `bytes.translate` over the file.
_PLAIN_BYTES = bytes([0x0A, *range(0x20, 0x7F), *range(0x80, 0x100)])


# Each pattern starts with the byte given beside it, so the search skips to that byte in C, and only files
# that have the byte are searched; ``X(?<![^B]X)`` is "X at the start of the text or after a byte of B".
_B = rb"\s\[\]{},:"
_UNSURE = tuple(
    (first, re.compile(pattern, re.MULTILINE))
    for first, pattern in (
        # Characters libyaml refuses or reads as line breaks: C1 controls (NEL), the line and paragraph
        # separators, a BOM inside the text, non-characters.
        (b"\xc2", rb"\xc2[\x80-\x9f]"),
        (b"\xe2\x80\xa8", rb"\xe2\x80\xa8"),
        (b"\xe2\x80\xa9", rb"\xe2\x80\xa9"),
        (b"\xef", rb"\xef(?:\xbb\xbf|\xbf[\xbe\xbf])"),
        # Merge keys, and a "- " inside a flow collection (libyaml refuses it); anchors, aliases, tags and
        # complex keys are `_NODE_START`'s.
        (b"- ", rb"- (?<=[\[{,]- )|- (?<=[\[{,] - )"),
        (b"<<", rb"<<"),
        # Directives and document markers (at the very start: see `_DOCUMENT_START`).
        (b"\n", rb"\n(?:%|---|\.\.\.)"),
        # Plain scalars PyYAML's reader turns into None but rapidyaml keeps as text.
        (b"~", rb"~(?<![^" + _B + rb"]~) *(?:$|[,\]}#])"),
        (b"N", rb"N(?<![^" + _B + rb"]N)(?:ull|ULL) *(?:$|[,\]}#])"),
        # Escapes other than \\, \" and \n (a backslash outside double quotes is harmless, just unsure).
        (b"\\", rb"\\(?![\\\"n])"),
        # Block scalars with an indentation or keep indicator.
        (b"|", rb"\|[-+]?[0-9+]"),
        (b">", rb">[-+]?[0-9+]"),
    )
)
_DOCUMENT_START = (b"%", b"---", b"...")
# Bare true/false in rapidyaml's JSON would become booleans; PyYAML's reader keeps the text.
# One pattern per word: a pattern starting with a literal is searched in C, one starting with [tf] is not.
_BOOLEANS = tuple(re.compile(word + r"(?=\s*(?:[,\]}]|$))", re.MULTILINE) for word in ("true", "false"))


def _unsure(raw: bytes) -> bool:
    """Whether ``raw`` uses anything outside the subset this reader vouches for."""
    if raw.startswith(_DOCUMENT_START) or raw.translate(None, _PLAIN_BYTES):
        return True
    if not raw.endswith(b"\n") and (b"|" in raw or b">" in raw):
        return True  # a block scalar at the very end: libyaml ends it without a line break, rapidyaml with one
    if any(first in raw and pattern.search(raw) is not None for first, pattern in _UNSURE):
        return True
    return any(_starts_node(raw, char) for char in _NODE_START)


# Characters that mean something else at the start of a node: an anchor, an alias, a tag or a complex key
# (&a, *a, !t, ? k; in a flow collection a "?" needs no blank after it), or that a plain scalar may not
# start with (libyaml refuses those, rapidyaml takes them as text).
_NODE_START = b"&*!?@`%]},"
# Where such a character may start a node: right after one of ``[{,:``, a line break or a blank (``[]``
# and ``{}`` are empty collections). Each pattern starts with its character, so the search skips to it in
# C; the few places found are then looked at closely by `_starts_node`.
_EMPTY = ((ord("["), ord("]")), (ord("{"), ord("}")))
_MAY_START = {
    char: re.compile(
        re.escape(bytes([char]))
        + rb"(?<=["
        + re.escape(bytes(before for before in b"[{,:\n " if (before, char) not in _EMPTY))
        + rb"]"
        + re.escape(bytes([char]))
        + rb")"
    )
    for char in _NODE_START
}


def _starts_node(raw: bytes, char: int) -> bool:
    """Whether ``char`` may start a node: at a line's start, after ``[{,:``, or after ``- ?`` and blanks.

    Prose (``30%``, ``Tom & Jerry``, ``Wow!``, ``# see `url```) is let through.
    """
    if raw[:1] == bytes([char]):
        return True
    for match in _MAY_START[char].finditer(raw):
        at = match.start()
        before = at - 1
        while before >= 0 and raw[before] == 0x20:
            before -= 1
        if before < 0:
            return True
        previous = raw[before]
        starts = previous in b"\n[{,:" or (previous in b"-?" and before < at - 1)
        if starts and not raw[raw.rfind(b"\n", 0, at) + 1 : at].lstrip(b" ").startswith(b"#"):  # not in a comment
            return True
    return False


class _Unsure(Exception):
    """The fast read cannot vouch for this file."""


def _mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs) or "<<" in result or "" in result:
        raise _Unsure  # duplicate and merge keys are PyYAML's to report; an empty key may be a lone ":"
    return result


def _number(text: str) -> str:
    return text


# rapidyaml writes ``.5`` as ``0.5`` and ``1.`` as ``1.0``: a float that may have been rewritten is unsure.
_REWRITTEN = re.compile(r"^[-+]?0\.|\.0(?![0-9])")


def _float(text: str) -> str:
    if _REWRITTEN.search(text) is not None:
        raise _Unsure
    return text


def _constant(text: str) -> Any:
    raise _Unsure  # NaN, Infinity: not JSON rapidyaml writes for a bank


_decoder = json.JSONDecoder(object_pairs_hook=_mapping, parse_int=_number, parse_float=_float)
_decoder.parse_constant = _constant


def _has_boolean(emitted: str) -> bool:
    """Whether the JSON has a bare true or false (one after ``:``, ``[`` or ``,``, not inside a string)."""
    for pattern in _BOOLEANS:
        for match in pattern.finditer(emitted):
            start = match.start()
            before = emitted[max(0, start - 80) : start].rstrip()
            if not before or before[-1] in ":[,":  # (80 blanks before it: unsure too)
                return True
    return False


def fast_read(raw: bytes) -> dict[str, Any] | None:
    """The data of a bank file's bytes as `read_yaml` gives it; None when unsure.

    None means "read it with PyYAML", never "it is wrong".
    """
    try:
        import ryml  # here, not at the top: start-up need not load it when every bank comes from the cache
    except ImportError:  # pragma: no cover - the dependency is declared; without it every file goes to PyYAML
        return None
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if _unsure(raw):
        return None
    try:
        raw.decode("utf-8")  # rapidyaml takes bytes as they come; PyYAML's reader says where they break
    except UnicodeDecodeError:
        return None
    try:
        emitted = ryml.emit_json(ryml.parse_in_arena(raw))
    except Exception:  # rapidyaml refuses it, or cannot write it as JSON: PyYAML says why
        return None
    if not emitted or _has_boolean(emitted):
        return None
    try:
        data = _decoder.decode(emitted)
    except (_Unsure, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and _shallow(data, 0) else None


def _shallow(value: dict[str, Any] | list[Any], depth: int) -> bool:
    """Whether no collection is nested `MAX_DEPTH` deep (PyYAML's reader refuses those)."""
    if depth >= MAX_DEPTH:
        return False
    for item in value.values() if type(value) is dict else value:
        if (type(item) is dict or type(item) is list) and not _shallow(item, depth + 1):
            return False
    return True
