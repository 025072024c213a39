"""The problems found in a bank file, each pinned to a file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Values longer than this are cut when quoted in a message, so one huge string cannot flood the report.
MAX_SHOWN = 60


@dataclass(frozen=True, slots=True)
class BankIssue:
    """One problem in one bank file.

    ``str()`` gives the compiler-style line editors and CI logs understand:
    ``questions/x.yaml:42:7: questions[3].answer: 'Moscow' is not one of the choices``.
    The line and column are 1-based; parts that are unknown (``None`` or an empty field) are left out.
    """

    path: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Orders issues by file, then position (issues without one first), then field."""
        return (self.path, self.line or 0, self.column or 0, self.field)


class BankError(Exception):
    """A bank could not be loaded; ``issues`` lists every problem found, not only the first."""

    def __init__(self, issues: list[BankIssue]) -> None:
        self.issues = issues
        lines = "\n".join(str(issue) for issue in issues)
        super().__init__(f"{len(issues)} problem(s) in question bank:\n{lines}")


def show(value: Any) -> str:
    """Quote a value the author wrote, ``repr``-style, cutting very long text to about ``MAX_SHOWN`` characters."""
    if isinstance(value, str):
        if len(value) > MAX_SHOWN:
            value = value[: MAX_SHOWN - 1] + "…"
        return repr(value)
    if value is None:
        return "nothing (an empty or null value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
