"""Fixtures for the bank loader tests: a known-good bank and a directory to write variants of it into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import EXCERPT, GOOD_BANK, WriteBank


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    """A directory holding the article excerpt as ``article.txt``, where bank files can be written."""
    shutil.copy(EXCERPT, tmp_path / "article.txt")
    return tmp_path


@pytest.fixture
def write_bank(bank_dir: Path) -> WriteBank:
    """Write a bank file (text or raw bytes) next to the article and return its path."""

    def write(content: str | bytes = GOOD_BANK, name: str = "bank.yaml") -> Path:
        path = bank_dir / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
