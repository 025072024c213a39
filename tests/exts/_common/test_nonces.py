"""Nonces derived from a message's purpose: stable, distinct, and within Discord's 25 characters."""

from __future__ import annotations

from bench.fakediscord._nonces import nonce_problem
from bot.exts._common.nonces import MAX_NONCE, nonce_for


def test_the_same_purpose_gives_the_same_nonce_and_another_a_different_one() -> None:
    """Sent again after a restart, a question carries the nonce it was first sent with."""
    assert nonce_for("question", 12, 3) == nonce_for("question", 12, 3)
    others = {nonce_for("question", 12, 4), nonce_for("question", 13, 3), nonce_for("announcement", 12, 3)}
    assert nonce_for("question", 12, 3) not in others and len(others) == 3
    assert nonce_for("question", 1, 23) != nonce_for("question", 12, 3)  # parts are separated, not concatenated


def test_nonces_fit_discord() -> None:
    """Discord (and the fake) refuse a nonce over 25 characters."""
    nonce = nonce_for("question", 2**63 - 1, 2**31 - 1)
    assert len(nonce) == MAX_NONCE
    assert nonce_problem({"nonce": nonce, "enforce_nonce": True}) is None
