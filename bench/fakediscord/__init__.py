"""A fake Discord over loopback: gateway, the REST routes a quiz bot uses, and Discord's rules."""

from bench.fakediscord._faults import FaultRule
from bench.fakediscord._ratelimit import Limit
from bench.fakediscord._records import InteractionRecord, MessageEvent, Tally
from bench.fakediscord.server import FakeConfig, FakeDiscord, GuildState

__all__ = [
    "FakeConfig",
    "FakeDiscord",
    "FaultRule",
    "GuildState",
    "InteractionRecord",
    "Limit",
    "MessageEvent",
    "Tally",
]
