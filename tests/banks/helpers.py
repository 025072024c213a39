"""Shared data for the bank loader tests: a known-good bank and the article excerpt it quotes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
#: The first thirteen lines of the real article (one of them blank, one a heading), copied so the tests
#: do not depend on ../shared.
EXCERPT = DATA / "south-caucasus-excerpt.txt"

# Line numbers matter: the bad-bank table asserts them. Question 0 starts on line 15, question 1 on line 27.
GOOD_BANK = """\
id: south-caucasus-russia
title: Russia and the South Caucasus
description: Armenia, Azerbaijan and Russia's fading role.
authors: [quizbot contributors]
language: en
source:
  title: Putin is losing friends in the South Caucasus
  author: Anna Matveeva
  url: https://theconversation.com/example
  path: article.txt
defaults:
  seconds: 20
  points: 1000
questions:
  - id: losing-friends
    prompt: According to the article, where does Putin appear to be losing friends?
    choices:
      - Central Asia
      - The South Caucasus
      - The Baltic states
      - The Balkans
    answer: The South Caucasus
    explanation: The article opens by saying that Putin appears to be losing friends in the South Caucasus.
    passage: he appears instead to be losing them in the South Caucasus
    difficulty: easy
    tags: [russia, overview]
  - id: ceasefire
    prompt: In which year did Russia broker a ceasefire in the first Karabakh war?
    choices: [1988, 1994, 2000]
    answer: 1994
    explanation: The war raged from 1988 to 1994, when Russia brokered a ceasefire.
    passage: In 1994, after more than 30,000 casualties, Russia brokered a ceasefire.
    difficulty: medium
    tags: [war]
"""

WriteBank = Callable[..., Path]
"""Writes a bank file (text or bytes) next to the article; returns its path."""


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:  # pure-Python CPU work, as parsing a large bank is
        pass


def slowly(job: Callable[..., object], *args: object) -> object:
    """``job(*args)`` after 1 s of pure-Python CPU work (in the bank worker's child, out of a patch's reach)."""
    _spin(1.0)
    return job(*args)


def slow_shipped_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make each read of the banks folder take 1 s of pure-Python CPU; the list returned gains a 1 per applied read.

    Wherever the read runs: on the event loop (``load_banks`` is slowed here), or in the bank worker's child, a fresh
    interpreter that no patch here reaches (each job it is given is wrapped in `slowly`).
    """
    from bot.banks import service, shipped
    from bot.banks.worker import Worker

    load_banks = shipped.load_banks

    def slow_load(*args: object, **kwargs: object) -> object:
        _spin(1.0)
        return load_banks(*args, **kwargs)  # type: ignore[arg-type]

    run = Worker.run

    async def slow_run(self: Worker, job: Callable[..., object], *args: object, **kwargs: object) -> object:
        if kwargs.get("answer") is not None:  # a conversational job (an upload's check) is no read of the folder
            return await run(self, job, *args, **kwargs)  # type: ignore[arg-type]
        return await run(self, slowly, job, *args, **kwargs)  # type: ignore[arg-type]

    applied: list[int] = []
    for module in (shipped, service):
        apply = module.apply_reload
        monkeypatch.setattr(module, "apply_reload", lambda *a, _apply=apply, **k: (applied.append(1), _apply(*a, **k)))
    monkeypatch.setattr(shipped, "load_banks", slow_load)
    monkeypatch.setattr(Worker, "run", slow_run)
    return applied


async def loop_gaps_until(done: Callable[[], bool], within: float = 30) -> list[float]:
    """How long each turn of a task asking the loop every 10 ms (as a click would) waited, until ``done()``."""
    gaps: list[float] = []
    last = time.perf_counter()
    while not done() and time.perf_counter() - last < within:
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    return gaps
