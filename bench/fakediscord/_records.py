"""What the fake remembers and counts: interactions and their acknowledgements, message events, request tallies."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class InteractionRecord:
    """One dispatched interaction: when it left the fake, and when and how the bot first answered it."""

    id: int
    token: str
    kind: str
    guild_id: int
    channel_id: int
    user_id: int
    message_id: int | None
    dispatched_at: float
    acked_at: float | None = None
    ack_type: int | None = None
    original_message_id: int | None = None
    # Callbacks refused (late, double), by error code, for this interaction.
    refusals: list[int] = field(default_factory=list)
    # The gateway sessions it was delivered on (two when a rolling restart is simulated).
    sessions: list[str] = field(default_factory=list)

    @property
    def latency(self) -> float | None:
        """Seconds from dispatch to the accepted callback, or None if never acknowledged."""
        return None if self.acked_at is None else self.acked_at - self.dispatched_at

    def to_json(self) -> JSON:
        """A JSON-safe dict, with the latency."""
        data = asdict(self)
        data["latency"] = self.latency
        return data


@dataclass
class MessageEvent:
    """A message the bot created or edited, by whichever route, with the fake's clock."""

    at: float
    op: str
    route: str
    channel_id: int
    message_id: int
    body: JSON
    # Wall-clock time too, to compare with deadlines the bot stores in its own process.
    wall: float = 0.0

    def to_json(self) -> JSON:
        """A JSON-safe dict."""
        return asdict(self)


@dataclass
class Tally:
    """Counters over every REST request the fake answered."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    error_codes: Counter[int] = field(default_factory=Counter)
    rate_limited: Counter[str] = field(default_factory=Counter)
    unknown_routes: Counter[str] = field(default_factory=Counter)
    # Messages "created", "edited", "deleted", and "nonce_replays": creates answered with an earlier message.
    messages: Counter[str] = field(default_factory=Counter)
    gateway: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> JSON:
        """A JSON-safe dict (counter keys become strings)."""
        return {name: {str(k): v for k, v in getattr(self, name).items()} for name in self.__dataclass_fields__}


# What a reader sees of a message: two creates in one channel with these equal are the same post twice.
VISIBLE_FIELDS = ("content", "embeds", "components")


def duplicate_posts(events: list[MessageEvent], route: str) -> list[list[int]]:
    """Messages created by ``route`` that repeat an earlier one of the same channel, grouped (first id first)."""
    groups: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
    for event in events:
        if event.op == "create" and event.route == route:
            visible = {k: event.body[k] for k in VISIBLE_FIELDS if event.body.get(k)}
            groups[(event.channel_id, json.dumps(visible, sort_keys=True))].append(event.message_id)
    return [ids for ids in groups.values() if len(ids) > 1]
