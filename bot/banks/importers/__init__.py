"""Import questions from other quiz formats (GIFT, Aiken, Open Trivia DB JSON, Moodle XML) as a bank file.

Each format has its own module turning a file into the common form (`Imported`: `Draft` questions and
the issues met); `render_bank` writes that as bank YAML with TODO markers. See docs/imports.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from bot.banks.importers.aiken import parse_aiken
from bot.banks.importers.bank_yaml import BankOptions, render_bank
from bot.banks.importers.form import MAX_IMPORT_BYTES, Draft, Imported, ImportFailed, ImportIssue
from bot.banks.importers.gift import parse_gift
from bot.banks.importers.moodle_xml import parse_moodle_xml
from bot.banks.importers.opentdb import parse_opentdb
from bot.banks.passages import Article

Format = Literal["gift", "aiken", "opentdb", "moodle-xml"]
FORMATS: tuple[Format, ...] = get_args(Format)
#: Formats recognised from a file's suffix when none is given (``.txt`` could be GIFT or Aiken).
SUFFIXES: dict[str, Format] = {".gift": "gift", ".json": "opentdb", ".xml": "moodle-xml"}


def _text_parser(parse: Callable[[str], Imported]) -> Callable[[bytes], Imported]:
    def read(raw: bytes) -> Imported:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start : exc.start + 1].hex()
            raise ImportFailed(f"not UTF-8 text (byte 0x{byte} at offset {exc.start:,})") from None
        return parse(text)

    return read


PARSERS: dict[Format, Callable[[bytes], Imported]] = {
    "gift": _text_parser(parse_gift),
    "aiken": _text_parser(parse_aiken),
    "opentdb": _text_parser(parse_opentdb),
    # XML declares its own encoding, so the parser is given the bytes.
    "moodle-xml": parse_moodle_xml,
}


def guess_format(path: Path) -> Format | None:
    """The format a file's suffix suggests, or None."""
    return SUFFIXES.get(path.suffix.casefold())


def read_import(raw: bytes, fmt: Format) -> Imported:
    """Parse an import file's bytes; raise `ImportFailed` if it cannot be read as ``fmt`` at all."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFailed(f"the file is {len(raw):,} bytes; the limit is {MAX_IMPORT_BYTES:,}")
    return PARSERS[fmt](raw)


def import_bank(
    raw: bytes, fmt: Format, options: BankOptions, *, name: str, article: Article | None = None
) -> tuple[str, list[ImportIssue]]:
    """The bank YAML for an import file, and the issues met (skipped questions, limits the loader will refuse)."""
    imported = read_import(raw, fmt)
    if not imported.drafts:
        raise ImportFailed("no importable question in the file" + _first_issues(imported.issues))
    return render_bank(imported, options, name=name, article=article), imported.issues


def _first_issues(issues: list[ImportIssue]) -> str:
    if not issues:
        return ""
    shown = "; ".join(str(issue) for issue in issues[:3])
    more = f" (and {len(issues) - 3} more)" if len(issues) > 3 else ""
    return f": {shown}{more}"


__all__ = [
    "FORMATS",
    "BankOptions",
    "Draft",
    "Format",
    "ImportFailed",
    "ImportIssue",
    "Imported",
    "guess_format",
    "import_bank",
    "read_import",
    "render_bank",
]
