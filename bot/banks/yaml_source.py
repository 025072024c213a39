"""Read a YAML bank file into plain data: every scalar as the text the author wrote, with positions.

PyYAML's usual loaders turn ``yes`` into True, ``1.10`` into 1.1 and ``007`` into 7 (YAML 1.1's
resolver), which silently corrupts quiz choices. So we only *compose* the document (syntax, no typing)
and build the data ourselves: mappings become dicts, sequences lists, and every scalar its source text,
except plain ``~``/``null``/empty, which become None. Pydantic's lax mode converts the few numeric fields.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import yaml

from bot.banks.yaml_errors import OTHER_CHECKS, explain

log = logging.getLogger(__name__)

# libyaml's composer is several times faster than the pure-Python one; both are "safe" (no object tags).
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:

    class _TextLoader(yaml.CSafeLoader):
        """libyaml's safe loader, minus implicit tag resolution: we read every scalar as text anyway."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            # Matching each of a big bank's scalars against YAML 1.1's regexes costs 15% of a load, for
            # tags we then ignore.
            return _UNRESOLVED

    _Loader = _TextLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

DEFAULT_MAX_BYTES = 1_000_000
#: How many values aliases may add on top of the ones written out; bounds "billion laughs" documents.
MAX_ALIAS_EXPANSION = 10_000
#: A bank is four levels deep; anything far deeper is a mistake or an attack on the recursion limit.
MAX_DEPTH = 32

_UNRESOLVED = "tag:yaml.org,2002:str"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Mark = tuple[int, int]
"""A 1-based (line, column) position in the file."""


class YamlProblem(Exception):
    """A problem with the YAML text itself, with its 1-based position when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.field = field


class YamlDocument:
    """The plain data of a bank file, and where each value and key starts.

    ``marks`` maps a field path (``questions[3].answer``; the root is ``""``) to the start of its value;
    ``key_marks`` maps the path of a mapping entry to the start of its key. ``problems`` holds the
    non-fatal problems met while building the data (duplicate keys and the like).

    Positions are only needed to word an error, so they are worked out from the composed nodes on first
    use: a bank that loads cleanly never builds the path of its hundreds of thousands of values.
    """

    __slots__ = ("_alias_text", "_marks", "_root", "_source", "data", "problems")

    def __init__(
        self,
        data: Any,
        root: yaml.Node | None = None,
        problems: list[YamlProblem] | None = None,
        *,
        alias_text: str | None = None,
        source: str | bytes | None = None,
    ) -> None:
        """``source``, for data read by another reader (`bot.banks.yaml_fast`), is composed for the marks."""
        self.data = data
        self.problems: list[YamlProblem] = [] if problems is None else problems
        self._root = root
        self._alias_text = alias_text
        self._source = source
        self._marks: tuple[Marks, Marks] | None = None

    @property
    def marks(self) -> Marks:
        """Field paths to where their values start."""
        return self._walked()[0]

    @property
    def key_marks(self) -> Marks:
        """Field paths of mapping entries to where their keys start."""
        return self._walked()[1]

    def _walked(self) -> tuple[Marks, Marks]:
        if self._marks is None:
            marks, key_marks = Marks(), Marks()
            if self._root is None and self._source is not None:
                # The fast reader gives the same data as PyYAML's (tests/banks/test_yaml_fast.py), so the
                # positions PyYAML's nodes give are those of this very data.
                text = decode(self._source) if isinstance(self._source, bytes) else self._source
                with collector_paused():
                    self._root = yaml.compose(text.removeprefix("\ufeff"), Loader=_Loader)
                self._source = None
            if self._root is not None:
                careful = _Builder(marks.raw, key_marks.raw)
                careful.build(self._root)
            if self._alias_text is not None:
                _point_at_aliases(self._alias_text, marks, key_marks)
            self._marks = (marks, key_marks)
        return self._marks


def decode(raw: bytes) -> str:
    """Decode a bank file's bytes as UTF-8 (a BOM is allowed), or raise a `YamlProblem` saying where it breaks."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise YamlProblem(f"the file is not valid UTF-8 text (byte 0x{bad})", line, column) from None
    return text.removeprefix("\ufeff")


def read_yaml(source: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Parse one YAML document into plain data with positions; raise `YamlProblem` if it cannot be read at all."""
    size = len(source) if isinstance(source, bytes) else len(source.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise YamlProblem(f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes")
    text = decode(source) if isinstance(source, bytes) else source.removeprefix("\ufeff")
    with collector_paused():
        return _compose_and_build(text)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bank's nodes, data and models are built.

    Building hundreds of thousands of objects triggers full collections over an ever larger heap: for a
    10,000-question bank the collector took 70% of the parse time. The objects built hold no cycles that
    outlive the parse (the size limit bounds them), so collecting can wait until we are done. Nesting is
    fine: the collector is re-enabled only if it was enabled on entry.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compose_and_build(text: str) -> YamlDocument:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"YAML syntax error at line {line}: the character U+{code:04X} is not allowed in YAML text; delete it"
        raise YamlProblem(f"{message}. {OTHER_CHECKS} (The YAML library says: {exc.reason}.)", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax error: {exc}. {OTHER_CHECKS}") from None
    except RecursionError:
        raise YamlProblem("the YAML is nested too deeply") from None
    if root is None:
        raise YamlProblem("the file is empty", 1, 1)
    try:
        quick = _QuickBuilder()
        data = quick.build(root)
        problems: list[YamlProblem] = []
        expanded = quick.expanded
    except _Irregular:
        # Something to report: build again, this time with the paths the problems are worded with.
        careful = _Builder()
        data = careful.build(root)
        problems, expanded = careful.problems, careful.expanded
    # An alias of a collection repeats nodes marked at the anchor: its marks are moved to the alias when
    # (and only if) a problem asks for them.
    return YamlDocument(data, root, problems, alias_text=text if expanded else None)


def _point_at_aliases(text: str, marks: Marks, key_marks: Marks) -> None:
    from bot.banks.yaml_aliases import point_at_aliases  # only files with aliases of collections need it

    point_at_aliases(text, marks, key_marks)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
        mark = exc.context_mark  # where the unclosed quote opened, not the end of the file
    line = mark.line + 1 if mark is not None else None
    message = explain(exc.problem, exc.context, line)
    if mark is None:
        return YamlProblem(message)
    return YamlProblem(message, line, mark.column + 1)


def _position(text: str, offset: int) -> Mark:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Marks(Mapping[str, Mark]):
    """Field paths to 1-based (line, column) positions, converted from PyYAML's 0-based marks on access.

    Keeping PyYAML's own mark objects and converting only the few that a message needs saves building
    a tuple for each of the hundreds of thousands of nodes of a large bank.
    """

    def __init__(self) -> None:
        self.raw: dict[str, yaml.Mark] = {}

    def __getitem__(self, path: str) -> Mark:
        mark = self.raw[path]
        return mark.line + 1, mark.column + 1

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


class _Irregular(Exception):
    """A mapping with a problem to report: the quick build gives way to the careful one."""


class _QuickBuilder:
    """Turns a composed node graph into plain data, bounding depth and alias expansion, and nothing more.

    This runs on every value of every bank, so it builds no paths and records no positions; at the first
    key with a problem it gives up (`_Irregular`) and `_Builder` does the whole build again, carefully.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.expanded = 0

    def build(self, root: yaml.Node) -> Any:
        return self._node(root, 0, False)

    def _node(self, node: yaml.Node, depth: int, expanding: bool) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return _scalar(self, node, expanding)
        expanding = _enter(self, node, depth, expanding)
        # Most values are scalars: they are read in line (as `_node` reads them) rather than by a call each.
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            for item in node.value:
                if type(item) is _Scalar and not expanding:
                    items.append(None if not item.style and item.value in _NULLS else item.value)
                else:
                    items.append(self._node(item, depth + 1, expanding))
            return items
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover
            raise YamlProblem(f"unexpected YAML node {type(node).__name__}", *_mark(node))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Irregular
            key = key_node.value
            if key in result or (key == "<<" and not key_node.style):
                raise _Irregular
            if type(value_node) is _Scalar and not expanding:
                result[key] = None if not value_node.style and value_node.value in _NULLS else value_node.value
            else:
                result[key] = self._node(value_node, depth + 1, expanding)
        return result


_Scalar = yaml.ScalarNode


def _scalar(builder: _QuickBuilder | _Builder, node: yaml.ScalarNode, expanding: bool) -> str | None:
    """A scalar's text as written; None for a plain ~/null/empty."""
    if expanding:
        _count(builder, node)
    # libyaml reports a plain scalar's style as "", the pure-Python parser as None.
    return None if not node.style and node.value in _NULLS else node.value


def _enter(builder: _QuickBuilder | _Builder, node: yaml.Node, depth: int, expanding: bool) -> bool:
    """Check a collection's depth and count it if an alias is being expanded; whether one now is."""
    if depth >= MAX_DEPTH:
        raise YamlProblem(f"the YAML is nested more than {MAX_DEPTH} levels deep", *_mark(node))
    # The composer hands back the very same node object for every alias of an anchor, so a collection
    # seen before means an alias is being expanded: count what it adds. (An alias of a scalar adds one
    # value for the few bytes of `*name`, so scalars cannot blow up and need no tracking.)
    if id(node) in builder.seen:
        expanding = True
    else:
        builder.seen.add(id(node))
    if expanding:
        _count(builder, node)
    return expanding


def _count(builder: _QuickBuilder | _Builder, node: yaml.Node) -> None:
    builder.expanded += 1
    if builder.expanded > MAX_ALIAS_EXPANSION:
        raise YamlProblem(
            f"anchors and aliases expand to more than {MAX_ALIAS_EXPANSION:,} values; write the values out",
            *_mark(node),
        )


class _Builder:
    """Builds the data as `_QuickBuilder` does, recording every value's path and position, and the problems."""

    def __init__(
        self, marks: dict[str, yaml.Mark] | None = None, key_marks: dict[str, yaml.Mark] | None = None
    ) -> None:
        self.marks: dict[str, yaml.Mark] = {} if marks is None else marks
        self.key_marks: dict[str, yaml.Mark] = {} if key_marks is None else key_marks
        self.problems: list[YamlProblem] = []
        self.seen: set[int] = set()
        self.expanded = 0

    def build(self, root: yaml.Node) -> Any:
        return self._node(root, "", 0, False)

    def _node(self, node: yaml.Node, path: str, depth: int, expanding: bool) -> Any:
        self.marks[path] = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return _scalar(self, node, expanding)
        expanding = _enter(self, node, depth, expanding)
        if isinstance(node, yaml.SequenceNode):
            return [self._node(item, f"{path}[{index}]", depth + 1, expanding) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth, expanding)
        raise YamlProblem(f"unexpected YAML node {type(node).__name__}", *_mark(node))  # pragma: no cover

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int, expanding: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    YamlProblem("keys must be plain names, not lists or mappings", *_mark(key_node), field=path)
                )
                continue
            key = key_node.value
            child = f"{path}.{key}" if path else key
            if key == "<<" and not key_node.style:
                self.problems.append(
                    YamlProblem(
                        "merge keys ('<<') are not supported; write the fields out", *_mark(key_node), field=path
                    )
                )
                continue
            if key in result:
                first_line = self.key_marks[child].line + 1
                self.problems.append(
                    YamlProblem(
                        f"duplicate key {key!r} (first given on line {first_line}); a key may appear only once",
                        *_mark(key_node),
                        field=child,
                    )
                )
                continue
            self.key_marks[child] = key_node.start_mark
            result[key] = self._node(value_node, child, depth + 1, expanding)
        return result
