"""Reading the shipped banks (``questions/``) while the bot runs, keeping the last good version of a
file that broke.

Each file is validated exactly as ``quizbot check`` validates it. A file that fails keeps the version
loaded from it before, if any, so a typo pushed to a running bot never takes a bank out of play; its
problems are reported all the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.banks import BankIssue, load_banks
from bot.banks.cache import BankCache
from bot.banks.library import BankLibrary
from bot.banks.loader import bank_entries
from bot.quiz import Bank

log = logging.getLogger(__name__)

#: The running bot writes its process id here (in the data folder); ``quizbot reload`` signals it.
PID_FILE = "quizbot.pid"


@dataclass(slots=True)
class ReloadReport:
    """What a reload did: banks loaded from their file, broken files whose old version stays, banks gone."""

    loaded: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    issues: list[BankIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file loaded."""
        return not self.issues


def bank_files(folder: Path) -> list[Path]:
    """The bank files of a folder, in the order ``quizbot check`` reads them."""
    return bank_entries(folder)


def read_shipped(
    folder: Path, previous: dict[Path, Bank], *, max_bytes: int, cache: BankCache | None = None
) -> tuple[dict[Path, Bank], ReloadReport]:
    """Load every bank file of ``folder``; a broken file falls back to its bank in ``previous``.

    Returns the banks by file and the report. Bank ids stay unique: a file reusing an id already
    taken is reported as ``quizbot check`` reports it, and falls back like any broken file.
    """
    report = ReloadReport()
    if not folder.is_dir():
        report.issues.append(BankIssue(str(folder), None, None, "", "the banks folder does not exist"))
        files: list[Path] = []
    else:
        try:
            files = bank_files(folder)
        except OSError as exc:
            report.issues.append(BankIssue(str(folder), None, None, "", f"cannot be read: {exc.strerror or exc}"))
            files = []
    chosen: dict[Path, Bank] = {}
    owners: dict[str, Path] = {}
    for path in files:
        # One file at a time, so we know which file each bank came from.
        loaded = load_banks([path], max_bytes=max_bytes, cache=cache)
        bank = loaded.banks[0] if loaded.banks else None
        if bank is not None and bank.id in owners:
            loaded.issues.append(
                BankIssue(str(path), None, None, "id", f"bank id {bank.id!r} is already used by {owners[bank.id]}")
            )
            bank = None
        if bank is not None:
            report.loaded.append(bank.id)
        else:
            report.issues.extend(loaded.issues)
            bank = previous.get(path)
            if bank is None or bank.id in owners:
                continue
            report.kept.append(bank.id)
        owners[bank.id] = path
        chosen[path] = bank
    report.removed = sorted({bank.id for bank in previous.values()} - set(owners))
    return chosen, report


def read_shipped_job(
    folder: Path, previous: dict[Path, Bank], max_bytes: int, cache: BankCache | None = None
) -> tuple[dict[Path, Bank], ReloadReport]:
    """`read_shipped` with positional arguments, as a job for `bot.banks.worker`."""
    return read_shipped(folder, previous, max_bytes=max_bytes, cache=cache)


def reload_library(
    library: BankLibrary, folder: Path, *, max_bytes: int, cache: BankCache | None = None
) -> ReloadReport:
    """Re-read ``folder`` into the library's shipped banks; see `read_shipped`."""
    chosen, report = read_shipped(folder, library.shipped_files(), max_bytes=max_bytes, cache=cache)
    apply_reload(library, folder, chosen, report)
    return report


def apply_reload(library: BankLibrary, folder: Path, chosen: dict[Path, Bank], report: ReloadReport) -> None:
    """Swap what `read_shipped` chose into the library, and log the report."""
    library.replace(chosen.values(), files={bank.id: path for path, bank in chosen.items()})
    for issue in report.issues:
        log.error("%s", issue)
    for bank_id in report.kept:
        log.warning("Bank %s: its file is broken; the version loaded before stays live", bank_id)
    log.info(
        "Loaded %d bank(s) from %s (%d kept at their previous version, %d removed)",
        len(report.loaded),
        folder,
        len(report.kept),
        len(report.removed),
    )
