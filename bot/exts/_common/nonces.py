"""Message nonces derived from what a message is for, so that sending it again never posts it twice.

Create Message with a ``nonce`` and ``enforce_nonce`` returns the message that nonce already created (within
Discord's few minutes) instead of posting another; discord.py's ``send(nonce=...)`` sets both. A nonce made
from the message's purpose (a round's question, a schedule's occurrence) lets a process that died mid-send
send again after its restart and get the first message back: one place derives them all.
"""

from __future__ import annotations

import hashlib

MAX_NONCE = 25  # Discord refuses longer nonces (400, 50035)


def nonce_for(kind: str, *parts: int | str) -> str:
    """A nonce (25 characters) that is the same for the same ``kind`` and ``parts``, and differs otherwise."""
    key = "\x1f".join([kind, *map(str, parts)]).encode()
    return hashlib.blake2b(key, digest_size=12).hexdigest()[: MAX_NONCE - 1].rjust(MAX_NONCE - 1, "0") + kind[0]
