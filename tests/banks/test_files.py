"""One bank file cannot stop the others loading: symlink loops, FIFOs, NULs in paths and articles outside
the banks folder are each that file's error, with its line, and are never read or quoted."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from bot.banks import LoadReport, load_banks
from bot.banks.library import BankLibrary
from bot.banks.shipped import reload_library

from .helpers import GOOD_BANK, WriteBank

SOURCE_PATH_LINE = 10


def with_path(bank_id: str, path: str) -> str:
    """The good bank under another id, naming ``path`` as its article."""
    text = GOOD_BANK.replace("id: south-caucasus-russia", f"id: {bank_id}", 1)
    return text.replace("path: article.txt", f"path: {path}")


def loaded_within(paths: list[Path], seconds: float = 10) -> LoadReport:
    """``load_banks`` on ``paths``, failing the test if it blocks (as reading a FIFO would)."""
    result: list[LoadReport] = []
    thread = threading.Thread(target=lambda: result.append(load_banks(paths)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "loading blocked"
    return result[0]


def test_symlink_loop_as_article_is_that_banks_error(write_bank: WriteBank, bank_dir: Path) -> None:
    """A source.path that is a symlink loop is refused at its line; the other bank in the folder loads."""
    (bank_dir / "loop.txt").symlink_to(bank_dir / "loop.txt")
    write_bank(with_path("looping", "loop.txt"), "looping.yaml")
    write_bank()
    report = loaded_within([bank_dir])
    assert [bank.id for bank in report.banks] == ["south-caucasus-russia"]
    [issue] = report.issues
    assert (issue.field, issue.line) == ("source.path", SOURCE_PATH_LINE)
    assert "symbolic link loop" in issue.message


def test_symlink_loop_as_bank_file_is_reported(write_bank: WriteBank, bank_dir: Path) -> None:
    """A bank file that is a symlink loop is reported by name, not skipped, and not a crash."""
    (bank_dir / "loop.yaml").symlink_to(bank_dir / "loop.yaml")
    write_bank()
    report = loaded_within([bank_dir])
    assert [bank.id for bank in report.banks] == ["south-caucasus-russia"]
    [issue] = report.issues
    assert issue.path.endswith("loop.yaml")
    assert "cannot be read" in issue.message


@pytest.mark.parametrize("as_folder", [False, True], ids=["named", "in a folder"])
def test_fifo_bank_file_does_not_block(bank_dir: Path, write_bank: WriteBank, as_folder: bool) -> None:
    """A FIFO named like a bank is refused as not a regular file, without opening it."""
    fifo = bank_dir / "pipe.yaml"
    os.mkfifo(fifo)
    write_bank()
    report = loaded_within([bank_dir] if as_folder else [fifo])
    [issue] = report.issues
    assert issue.path.endswith("pipe.yaml")
    assert "not a regular file" in issue.message


def test_fifo_article_does_not_block(bank_dir: Path, write_bank: WriteBank) -> None:
    """A FIFO as the article is refused at source.path's line, without opening it."""
    os.mkfifo(bank_dir / "pipe.txt")
    path = write_bank(with_path("piped", "pipe.txt"))
    [issue] = loaded_within([path]).issues
    assert (issue.field, issue.line) == ("source.path", SOURCE_PATH_LINE)
    assert "not a regular file" in issue.message


@pytest.mark.parametrize("path", ["../../../../etc/passwd", "../outside.txt", "link.txt"])
def test_article_outside_the_folder_is_refused_unread(bank_dir: Path, write_bank: WriteBank, path: str) -> None:
    """A source.path leading out of the bank's folder (directly or by a symlink) is refused and never quoted."""
    outside = bank_dir.parent / "outside.txt"
    outside.write_text("root:x:0:0:secret line that must never be quoted\n", encoding="utf-8")
    (bank_dir / "link.txt").symlink_to(outside)
    report = loaded_within([write_bank(with_path("escaping", path))])
    [issue] = report.issues
    assert (issue.field, issue.line) == ("source.path", SOURCE_PATH_LINE)
    assert "outside the bank file's folder" in issue.message
    assert "root:" not in str(issue) and "secret" not in str(issue)


def test_reload_keeps_serving_beside_broken_files(bank_dir: Path, write_bank: WriteBank) -> None:
    """A reload over a folder with a loop, a FIFO and an escaping path loads the good bank and reports the rest."""
    write_bank()
    (bank_dir / "loop.txt").symlink_to(bank_dir / "loop.txt")
    write_bank(with_path("looping", "loop.txt"), "looping.yaml")
    write_bank(with_path("escaping", "../../../../etc/passwd"), "escaping.yaml")
    write_bank(with_path("nul", '"article\\0.txt"'), "nul.yaml")
    os.mkfifo(bank_dir / "pipe.yaml")
    library = BankLibrary()
    report = reload_library(library, bank_dir, max_bytes=1_000_000)
    assert report.loaded == ["south-caucasus-russia"]
    assert sorted(Path(issue.path).name for issue in report.issues) == [
        "escaping.yaml",
        "looping.yaml",
        "nul.yaml",
        "pipe.yaml",
    ]
    assert all(issue.line is not None for issue in report.issues if not issue.path.endswith("pipe.yaml"))
