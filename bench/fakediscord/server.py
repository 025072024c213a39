"""The fake Discord: state, the aiohttp app (gateway, REST, control API) and the driver API benchmarks use."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import web

from bench.fakediscord import _payloads, _rest
from bench.fakediscord._faults import FaultBook
from bench.fakediscord._gateway import Gateway
from bench.fakediscord._nonces import NonceBook
from bench.fakediscord._ratelimit import DEFAULT_LIMITS, GlobalLimiter, Limit, RouteLimiter
from bench.fakediscord._records import InteractionRecord, MessageEvent, Tally
from bench.fakediscord._sharding import IdentifyGate

log = logging.getLogger(__name__)

JSON = dict[str, Any]


@dataclass
class FakeConfig:
    """The world the fake serves and the rules it applies."""

    guilds: int = 1
    channels_per_guild: int = 1
    ack_deadline: float = 3.0
    global_limit: int = 50
    heartbeat_interval_ms: int = 41_250
    limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    # GET /gateway/bot: the recommended shard count and session_start_limit. A session's guilds follow the
    # shard count its IDENTIFY names, as on Discord.
    shard_count: int = 1
    max_concurrency: int = 1
    # One identify per bucket per this many seconds (Discord: 5; tests shorten it).
    identify_window: float = 5.0
    session_start_total: int = 1000
    session_reset_after: float = 86_400.0
    # How long an enforced Create Message nonce is remembered ("a few minutes").
    nonce_window: float = 300.0


@dataclass
class GuildState:
    """A guild and its text channels' ids."""

    id: int
    name: str
    channel_ids: list[int]


class FakeDiscord:
    """A small Discord over loopback: one bot user, ``config.guilds`` guilds, Discord's rules enforced."""

    def __init__(self, config: FakeConfig | None = None, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self.config = config or FakeConfig()
        self.clock = clock
        self.ids = _payloads.Snowflakes()
        self.gateway = Gateway(self)
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.reset(self.config)

    # ---- state ------------------------------------------------------------------------------------------------

    def reset(self, config: FakeConfig) -> None:
        """Start over with a fresh world: new guilds, no messages, no interactions, zeroed counters."""
        self.config = config
        self.application_id = self.ids.next()
        self.owner_id = self.ids.next()
        self.bot_user: JSON = _payloads.user(self.application_id, "quizbot", bot=True)
        self.tally = Tally()
        self.global_limiter = GlobalLimiter(limit=config.global_limit, clock=self.clock)
        self.route_limiter = RouteLimiter(limits=dict(config.limits), clock=self.clock)
        self.identify_gate = IdentifyGate(
            max_concurrency=config.max_concurrency,
            window=config.identify_window,
            total=config.session_start_total,
            reset_after=config.session_reset_after,
            clock=self.clock,
        )
        self.nonces = NonceBook(window=config.nonce_window, clock=self.clock)
        self.faults = FaultBook(clock=self.clock)
        self.interactions: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self.messages: dict[int, JSON] = {}
        self.events: list[MessageEvent] = []
        self.commands: dict[str, list[JSON]] = {}
        self.channels: dict[int, JSON] = {}
        self.guilds: list[GuildState] = []
        # One millisecond apart, ending now: consecutive guilds on consecutive shards.
        first_ms = int(time.time() * 1000) - config.guilds
        for g in range(config.guilds):
            guild_id = self.ids.at(first_ms + g)
            channel_ids = []
            for c in range(config.channels_per_guild):
                channel_id = self.ids.next()
                self.channels[channel_id] = _payloads.text_channel(channel_id, guild_id, f"quiz-{c}", c)
                channel_ids.append(channel_id)
            self.guilds.append(GuildState(guild_id, f"guild-{g}", channel_ids))
        self._guild_of = {c: g.id for g in self.guilds for c in g.channel_ids}
        self.gateway.reset()

    def guild_payload(self, guild: GuildState) -> JSON:
        """The GUILD_CREATE payload: channels, the @everyone role, and the bot as its only member."""
        channels = [self.channels[c] for c in guild.channel_ids]
        members = [_payloads.member(self.bot_user)]
        return _payloads.guild(guild.id, guild.name, self.owner_id, channels, members)

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        """The interaction an interaction token belongs to."""
        return self._by_token.get(token)

    def create_message(self, channel_id: int, body: JSON, route: str, *, interaction_id: int | None = None) -> JSON:
        """Store a message the bot sent, and log the event."""
        message_id = self.ids.next()
        message = _payloads.message(
            message_id,
            channel_id,
            self._guild_of.get(channel_id),
            self.bot_user,
            body,
            message_type=0 if interaction_id is None else 19,
            interaction_id=interaction_id,
        )
        self.messages[message_id] = message
        self.tally.messages["created"] += 1
        self.events.append(MessageEvent(self.clock(), "create", route, channel_id, message_id, body, time.time()))
        return message

    def edit_message(self, message_id: int, body: JSON, route: str) -> JSON:
        """Apply an edit to a stored message, and log the event."""
        message = _payloads.edit_message(self.messages[message_id], body)
        self.tally.messages["edited"] += 1
        self.events.append(
            MessageEvent(self.clock(), "edit", route, int(message["channel_id"]), message_id, body, time.time())
        )
        return message

    def delete_message(self, message_id: int, route: str) -> None:
        """Forget a message, and log the event."""
        message = self.messages.pop(message_id)
        self.tally.messages["deleted"] += 1
        self.events.append(
            MessageEvent(self.clock(), "delete", route, int(message["channel_id"]), message_id, {}, time.time())
        )

    def callback_message(self, record: InteractionRecord, kind: int, data: JSON) -> JSON | None:
        """The message an interaction callback creates or edits (None for modals and the like)."""
        route = "POST /interactions/{interaction_id}/{token}/callback"
        if kind in (4, 5):
            return self.create_message(record.channel_id, data, route, interaction_id=record.id)
        if kind in (6, 7) and record.message_id is not None and record.message_id in self.messages:
            if kind == 7:
                return self.edit_message(record.message_id, data, route)
            return self.messages[record.message_id]
        return None

    # ---- driver API -------------------------------------------------------------------------------------------

    async def dispatch_interaction(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        *,
        kind: str = "component",
        custom_id: str = "answer:0",
        message_id: int | None = None,
        data: JSON | None = None,
        every_session: bool = False,
    ) -> int:
        """Send an INTERACTION_CREATE (a button click or a slash command) and return the interaction's id.

        It goes to the guild's shard only, on its newest session; ``every_session`` delivers it on each
        connected session of that shard, as Discord may during a rolling restart.
        """
        interaction_id = self.ids.next()
        token = secrets.token_urlsafe(24)
        if data is None:
            data = {"custom_id": custom_id, "component_type": 2} if kind == "component" else {}
        message_payload = None
        if kind == "component":
            message_payload = self.messages.get(message_id) if message_id is not None else None
            if message_payload is None:
                message_payload = _payloads.message(
                    message_id or self.ids.next(),
                    channel_id,
                    guild_id,
                    self.bot_user,
                    {"content": "question", "components": _answer_row(custom_id)},
                )
        payload = _payloads.interaction(
            interaction_id=interaction_id,
            token=token,
            application_id=self.application_id,
            kind=kind,
            guild_id=guild_id,
            channel=self.channels[channel_id],
            member_payload=_payloads.member(_payloads.user(user_id, f"player{user_id % 100_000}")),
            data=data,
            message_payload=message_payload,
        )
        record = InteractionRecord(
            interaction_id,
            token,
            kind,
            guild_id,
            channel_id,
            user_id,
            int(message_payload["id"]) if message_payload else None,
            dispatched_at=self.clock(),
        )
        self.interactions[interaction_id] = record
        self._by_token[token] = record
        record.sessions = await self.gateway.dispatch(
            "INTERACTION_CREATE", payload, guild_id=guild_id, every=every_session
        )
        return interaction_id

    async def dispatch_event(
        self, event: str, data: JSON, guild_id: int | None, *, every_session: bool = False
    ) -> list[str]:
        """Send any gateway event on the guild's shard (DMs: shard 0); returns the sessions it went to."""
        return await self.gateway.dispatch(event, data, guild_id=guild_id, every=every_session)

    def burst(self, clicks: list[tuple[int, int, int, str, int | None]], spread: float) -> None:
        """Dispatch (guild, channel, user, custom_id, message) clicks evenly over ``spread`` seconds, in background."""
        task = asyncio.get_running_loop().create_task(self._burst(clicks, spread))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _burst(self, clicks: list[tuple[int, int, int, str, int | None]], spread: float) -> None:
        start = self.clock()
        gap = spread / max(len(clicks), 1)
        for index, (guild_id, channel_id, user_id, custom_id, message_id) in enumerate(clicks):
            delay = start + index * gap - self.clock()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await self.dispatch_interaction(
                    guild_id, channel_id, user_id, custom_id=custom_id, message_id=message_id
                )
            except ConnectionError as error:  # the bot went away mid-burst (D1 kills it on purpose)
                log.info("Burst stopped after %d of %d clicks: %s", index, len(clicks), error)
                return

    # ---- serving ----------------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return f"{self.url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The gateway's WebSocket URL (also READY's ``resume_gateway_url``)."""
        return self.url.replace("http://", "ws://", 1) + "/gateway"

    def install(self) -> None:
        """Point discord.py in this process at the fake (class attributes, so every client follows)."""
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def app(self) -> web.Application:
        """The aiohttp application: ``/gateway``, ``/api/v{n}/...`` and ``/_control/...``."""
        from bench.fakediscord._control import add_control_routes

        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)

        async def api(request: web.Request) -> web.StreamResponse:
            return await _rest.handle(self, request)

        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", api)
        add_control_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on loopback; ``port=0`` picks a free port, readable from ``url`` afterwards."""
        self._runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        bound_port = sockets[0].getsockname()[1]
        self.url = f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        """Close the gateway connections and stop serving."""
        for task in list(self._tasks):
            task.cancel()
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _answer_row(custom_id: str) -> list[JSON]:
    return [{"type": 1, "components": [{"type": 2, "style": 1, "label": "A", "custom_id": custom_id}]}]
