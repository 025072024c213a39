"""The gateway over WebSocket: HELLO, heartbeats, IDENTIFY → READY and GUILD_CREATE, RESUME, and dispatches."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

JSON = dict[str, Any]

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11


class GatewaySession:
    """One gateway session; it outlives a connection so that RESUME can pick it up."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.sequence = 0
        self.ws: web.WebSocketResponse | None = None
        self._send_lock = asyncio.Lock()

    async def send(self, op: int, data: Any, event: str | None = None) -> None:
        """Send one frame; dispatches (op 0) carry the next sequence number."""
        if self.ws is None or self.ws.closed:
            raise ConnectionError(f"session {self.session_id} has no open connection")
        frame: JSON = {"op": op, "d": data, "s": None, "t": event}
        if op == DISPATCH:
            self.sequence += 1
            frame["s"] = self.sequence
        await self.ws.send_str(json.dumps(frame, separators=(",", ":")))


class Gateway:
    """Serves ``/gateway``: text frames only, since discord.py reads uncompressed text frames as plain JSON."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, GatewaySession] = {}
        self.current: GatewaySession | None = None
        self.ready = asyncio.Event()

    def reset(self) -> None:
        """Forget every session (the caller closes their sockets)."""
        self.sessions.clear()
        self.current = None
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
                session = await self._identify(ws)
            elif op == RESUME:
                session = await self._resume(ws, frame["d"])
            else:
                self.fake.tally.gateway[f"op{op}"] += 1
        if session is not None and session.ws is ws:
            session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse) -> GatewaySession:
        self.fake.tally.gateway["identify"] += 1
        session = GatewaySession(secrets.token_hex(16))
        session.ws = ws
        self.sessions[session.session_id] = session
        self.current = session
        fake = self.fake
        ready = {
            "v": 10,
            "user": fake.bot_user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in fake.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": fake.gateway_url,
            "application": {"id": str(fake.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
        }
        await session.send(DISPATCH, ready, "READY")
        for guild in fake.guilds:
            await session.send(DISPATCH, fake.guild_payload(guild), "GUILD_CREATE")
        self.ready.set()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        self.fake.tally.gateway["resume"] += 1
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False, "s": None, "t": None}))
            return None
        session.ws = ws
        self.current = session
        await session.send(DISPATCH, {}, "RESUMED")
        return session

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send an event to the current session."""
        if self.current is None:
            raise ConnectionError("no bot has identified yet")
        await self.current.send(DISPATCH, data, event)
