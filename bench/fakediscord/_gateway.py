"""The gateway over WebSocket: HELLO, heartbeats, IDENTIFY → READY and GUILD_CREATE per shard, RESUME, dispatches."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from bench.fakediscord import _sharding

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

JSON = dict[str, Any]

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11


class GatewaySession:
    """One gateway session on one shard; it outlives a connection so that RESUME can pick it up."""

    def __init__(self, session_id: str, shard: tuple[int, int], since: float) -> None:
        self.session_id = session_id
        self.shard = shard
        # When it last identified or resumed: the newest connected session of a shard gets its events.
        self.since = since
        self.sequence = 0
        self.ws: web.WebSocketResponse | None = None
        self._send_lock = asyncio.Lock()

    @property
    def connected(self) -> bool:
        """Whether a connection currently carries this session."""
        return self.ws is not None and not self.ws.closed

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives the guild's events (DMs: shard 0)."""
        shard_id, shard_count = self.shard
        return _sharding.shard_of(guild_id, shard_count) == shard_id

    async def send(self, op: int, data: Any, event: str | None = None) -> None:
        """Send one frame; dispatches (op 0) carry the next sequence number."""
        if self.ws is None or self.ws.closed:
            raise ConnectionError(f"session {self.session_id} has no open connection")
        frame: JSON = {"op": op, "d": data, "s": None, "t": event}
        if op == DISPATCH:
            self.sequence += 1
            frame["s"] = self.sequence
        await self.ws.send_str(json.dumps(frame, separators=(",", ":")))

    def to_json(self) -> JSON:
        """A JSON-safe summary for the control API."""
        return {"session_id": self.session_id, "shard": list(self.shard), "connected": self.connected}


class Gateway:
    """Serves ``/gateway``: text frames only, since discord.py reads uncompressed text frames as plain JSON."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, GatewaySession] = {}
        self.ready = asyncio.Event()

    def reset(self) -> None:
        """Forget every session (the caller closes their sockets)."""
        self.sessions.clear()
        self.ready.clear()

    async def close_all(self) -> None:
        """Close every open connection."""
        for session in list(self.sessions.values()):
            if session.ws is not None and not session.ws.closed:
                await session.ws.close()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """One connection: say HELLO, then answer frames until the client goes away."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.fake.tally.gateway["connections"] += 1
        interval = self.fake.config.heartbeat_interval_ms
        await ws.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": interval}, "s": None, "t": None}))
        session: GatewaySession | None = None
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == HEARTBEAT:
                self.fake.tally.gateway["heartbeats"] += 1
                await ws.send_str(json.dumps({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None}))
            elif op == IDENTIFY:
                session = await self._identify(ws, frame.get("d") or {})
            elif op == RESUME:
                session = await self._resume(ws, frame["d"])
            else:
                self.fake.tally.gateway[f"op{op}"] += 1
        if session is not None and session.ws is ws:
            session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        fake = self.fake
        shard_id, shard_count = (int(n) for n in data.get("shard") or (0, 1))
        violation = fake.identify_gate.check(shard_id, shard_count)
        if violation is not None:
            fake.tally.gateway["identify_rejected"] += 1
            log.warning("fake Discord rejected an IDENTIFY (%s): %s", violation.rule, violation.detail)
            await self._reject(ws, violation)
            return None
        fake.tally.gateway["identify"] += 1
        session = GatewaySession(secrets.token_hex(16), (shard_id, shard_count), fake.clock())
        session.ws = ws
        self.sessions[session.session_id] = session
        guilds = [g for g in fake.guilds if session.owns(g.id)]
        ready = {
            "v": 10,
            "user": fake.bot_user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": fake.gateway_url,
            "shard": [shard_id, shard_count],
            "application": {"id": str(fake.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
        }
        await session.send(DISPATCH, ready, "READY")
        for guild in guilds:
            await session.send(DISPATCH, fake.guild_payload(guild), "GUILD_CREATE")
        self.ready.set()
        return session

    @staticmethod
    async def _reject(ws: web.WebSocketResponse, violation: _sharding.Violation) -> None:
        if violation.answer == _sharding.INVALID_SESSION:
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False, "s": None, "t": None}))
            return
        code = int(violation.answer.removeprefix("close "))
        await ws.close(code=code, message=violation.rule.encode())

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        self.fake.tally.gateway["resume"] += 1
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False, "s": None, "t": None}))
            return None
        session.ws = ws
        session.since = self.fake.clock()
        await session.send(DISPATCH, {}, "RESUMED")
        return session

    def owners(self, guild_id: int | None) -> list[GatewaySession]:
        """The connected sessions whose shard receives this guild's events, newest first."""
        found = [s for s in self.sessions.values() if s.connected and s.owns(guild_id)]
        return sorted(found, key=lambda s: s.since, reverse=True)

    async def dispatch(self, event: str, data: JSON, *, guild_id: int | None = None, every: bool = False) -> list[str]:
        """Send an event on the owning shard's newest session (``every``: on each session of that shard).

        Returns the ids of the sessions it went to. ``every`` is a rolling restart, when two processes hold
        the same shard for a moment and Discord may deliver an event to both.
        """
        targets = self.owners(guild_id)
        if not targets:
            raise ConnectionError(f"no connected session owns guild {guild_id}'s shard")
        chosen = targets if every else targets[:1]
        for session in chosen:
            await session.send(DISPATCH, data, event)
        return [session.session_id for session in chosen]
