"""Shared data for the importer tests: the sample files and the shipped article."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
QUESTIONS = Path(__file__).parents[3] / "questions"
SHIPPED_BANK = QUESTIONS / "south-caucasus-russia.yaml"
ARTICLE = QUESTIONS / "south-caucasus-russia.txt"
