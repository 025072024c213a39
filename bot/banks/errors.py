"""The problems found in a bank file, each pinned to a file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.quiz import QuizError

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

    def __reduce__(self) -> tuple[Any, ...]:
        # Checks run in a child process (bot.banks.worker), whose errors come back pickled.
        return (BankError, (self.issues,))


def _rebuilt(cls: type[Exception], args: tuple[Any, ...], state: dict[str, Any]) -> Exception:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


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


# What the bank service refuses. Plain words for logs; the Discord layer has its own wording for each.


class BankRefused(QuizError):
    """A bank request the service cannot carry out; nothing was changed."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take their own arguments, which pickling's default (``cls(*args)``) would not give back;
        # checks run in a child process (bot.banks.worker), whose refusals come back pickled.
        return (_rebuilt, (type(self), self.args, self.__dict__))


class UnknownBank(BankRefused):
    """No loaded bank has this id (in this guild)."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(f"no bank named {bank_id!r}")
        self.bank_id = bank_id


class BankDisabled(BankRefused):
    """The bank exists in this guild but the guild switched it off."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(f"the bank {bank_id!r} is switched off in this guild")
        self.bank_id = bank_id


class ShippedBankRefused(BankRefused):
    """The bank ships with the bot, so it cannot be changed or looked at as an upload."""

    def __init__(self, bank_id: str, why: str) -> None:
        super().__init__(f"the bank {bank_id!r} ships with the bot: {why}")
        self.bank_id = bank_id


class ShippedNotUploaded(ShippedBankRefused):
    """A shipped bank has no uploaded versions: no history, nothing to download by version."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(bank_id, "it has no uploaded versions")


class ShippedNotDeletable(ShippedBankRefused):
    """A shipped bank cannot be deleted (only switched off)."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(bank_id, "it cannot be deleted")


class ShippedIdTaken(ShippedBankRefused):
    """An upload may not take the id of a shipped bank."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(bank_id, "an upload may not take its id")


class NoSuchVersion(BankRefused):
    """The guild's bank has no stored version with this number."""

    def __init__(self, bank_id: str, version: int | None) -> None:
        super().__init__(f"the bank {bank_id!r} has no version {version}")
        self.bank_id = bank_id
        self.version = version


class UploadRaced(BankRefused):
    """Another version of the same bank was stored at the same moment; this one was not."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(f"another version of {bank_id!r} was stored at the same moment")
        self.bank_id = bank_id


class UploadUnreadable(BankRefused):
    """An uploaded file cannot even be checked; ``filename`` is as the author named it."""

    def __init__(self, filename: str, why: str) -> None:
        super().__init__(f"{filename!r}: {why}")
        self.filename = filename


class UnsupportedFile(UploadUnreadable):
    """The file is neither a bank nor a quiz format the bot imports."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename, "not a bank or a quiz file the bot can import")


class FileTooBig(UploadUnreadable):
    """A file is over its size limit; ``kind`` is ``bank`` or ``article``."""

    def __init__(self, filename: str, size: int, limit: int, kind: str) -> None:
        super().__init__(filename, f"{size} bytes; {kind} files may be at most {limit}")
        self.size = size
        self.limit = limit
        self.kind = kind


class ArticleNotText(UploadUnreadable):
    """The uploaded article is not UTF-8 text: ``byte`` (as hex) at ``offset`` is the first bad one."""

    def __init__(self, filename: str, byte: str, offset: int) -> None:
        super().__init__(filename, f"not UTF-8 (byte 0x{byte} at offset {offset})")
        self.byte = byte
        self.offset = offset


class QuizFileUnreadable(UploadUnreadable):
    """A quiz file to import could not be imported; ``reason`` is the importer's."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(filename, f"could not be imported: {reason}")
        self.reason = reason


class CheckTookTooLong(BankRefused):
    """A job overran its budget and was stopped."""

    def __init__(self, budget: float) -> None:
        super().__init__(f"the check took longer than {budget:g} s and was stopped")
        self.budget = budget


class CheckCrashed(BankRefused):
    """A job failed with an unexpected error (logged with its traceback); nothing was changed."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"the check failed unexpectedly ({kind})")
        self.kind = kind


class AttachmentUnavailable(UploadUnreadable):
    """Discord's CDN would not give an attachment (it answered ``status``, or the download failed)."""

    def __init__(self, filename: str, status: int | None) -> None:
        why = f"Discord answered {status} for it" if status is not None else "it could not be downloaded"
        super().__init__(filename, why)
        self.status = status
