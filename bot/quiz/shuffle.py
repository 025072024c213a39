"""Reproducible shuffles: the same seed always gives the same order."""

from __future__ import annotations

import hashlib
import random


def seeded_rng(seed: int, *salt: str) -> random.Random:
    """A random generator determined by ``seed`` and ``salt`` alone."""
    digest = hashlib.blake2b(f"{seed}:{':'.join(salt)}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def choice_order(seed: int, question_key: str, count: int) -> tuple[int, ...]:
    """The display order of a question's choices in a round: display position -> choice index."""
    order = list(range(count))
    seeded_rng(seed, "choices", question_key).shuffle(order)
    return tuple(order)
