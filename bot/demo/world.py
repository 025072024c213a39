"""The demo world: the real bot in a simulated guild on simcord, its clock running at real speed.

simcord refuses two operations at once (a click while a page action runs raises), and its
virtual clock only moves when told to. So every operation of the demo (the crowd's clicks,
page refreshes, and the page's own actions) goes through one lock here, and each first moves
the virtual clock on by the real time elapsed: answer times and countdowns are then real.

The clock reads the real date and time: the world is built at simcord's fixed epoch (so every id
is the same on every run), then the clock's epoch is moved to now. Moving the epoch, not
advancing the clock, keeps simcord's count of elapsed virtual seconds small: it compares that count
with real settle deadlines, and a clock advanced by months makes it mistake short sleeps for long
ones (the bot then never settles).

Errors the bot has answered (a player without the permission, no round running, an unknown bank)
are the bot working as intended: simcord would record each as a failure of the page's action (the
page then shows "Action outcome uncertain" and keeps the command in the composer), so the demo
hands those straight to the bot's own handler and records only the errors the bot treats as bugs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import discord
import simcord
from discord import app_commands
from simcord.preview import Preview

from bot.client import QuizBot
from bot.demo.page import serve_customised
from bot.demo.players import PERSONAS, Persona
from bot.exts._common.errors import describe_error
from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# Pinned, and every member and channel is built before the clock moves, so all ids are the same
# on every run and the demo's leaderboard carries over from one run to the next.
GUILD_ID = 1_325_000_000_000_000_001
MESSAGE_WRITES = frozenset({"POST", "PATCH", "DELETE"})
SETTLE_SECONDS = 1.0
BOT_NAME = "quizbot"
GREETING = (
    "👋 **Welcome to the quizbot demo.** You are this server's moderator; five simulated players are "
    "here to answer too.\n"
    "**Start a round:** type `/quiz start` in the message box below, press **Enter** to pick the command, "
    "**Esc** to close its list of options, and **Enter** to send it. Click an answer before the countdown "
    "ends, then read the reveal.\n"
    "Then try `/quiz leaderboard`, `/quiz stats`, `/quiz practice` or `/quiz schedule add`. "
    'The "Viewing as" menu at the top shows the channel as each player sees it.'
)


class DemoWorld:
    """A simcord env around a real QuizBot: a ``#quiz`` channel, you as its moderator, simulated players."""

    def __init__(self, settings: Settings, *, personas: Sequence[Persona] = PERSONAS[:5]) -> None:
        self.bot = QuizBot(settings)
        # check_errors=False: the bot logs its errors as they happen; the demo must not raise them at exit.
        # settle_timeout: simcord makes every operation wait for the bot's sleeps shorter than this, so
        # with its 5 s default a click 4 s before a deadline would hang until the question closed.
        self.env = simcord.Env(self.bot, check_errors=False, settle_timeout=SETTLE_SECONDS)
        self.guild = self.env.create_guild("quizbot demo", id=GUILD_ID)
        self.channel = self.guild.create_text_channel("quiz", topic="Quiz rounds: type /quiz start")
        moderators = self.guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        self.moderator = self.guild.add_member(self.env.create_user("you", global_name="You"), roles=[moderators])
        self.personas = tuple(personas)
        self.players = [
            self.guild.add_member(self.env.create_user(p.name.lower(), global_name=p.name)) for p in self.personas
        ]
        self.preview: Preview | None = None
        self._lock = asyncio.Lock()
        self._clock_scope: AbstractContextManager[None] | None = None
        self._seen_requests = 0
        self._seen_errors = 0
        self._started = False
        self._real_start = time.monotonic()
        self._virtual_start = self.env.now()

    async def start(self) -> None:
        """Start the bot (its setup_hook migrates, loads the banks and extensions, syncs the commands)."""
        await self.env.start()
        self._started = True
        # Only now: the start-up took real time the virtual clock did not, and the world's ids are built.
        _start_clock_now(self.env)
        self._real_start = time.monotonic()
        self._virtual_start = self.env.now()
        # Driver code reads discord.utils.utcnow() as the bot does (simcord.run does the same).
        self._clock_scope = self.env.time_context()
        self._clock_scope.__enter__()
        self._record_only_unanswered_errors()
        # simcord names every bot "TestBot"; renaming it is the bot's own API call, as on Discord.
        assert self.bot.user is not None
        try:
            await self.bot.user.edit(username=BOT_NAME)
        except discord.HTTPException as error:
            log.warning("Could not rename the demo bot: %s", error)

    async def greet(self) -> None:
        """The bot's first message in ``#quiz``: what to type, so the newcomer never meets an empty channel."""
        channel = self.bot.get_channel(self.channel.id)
        assert isinstance(channel, discord.TextChannel)
        await self.act(lambda: channel.send(GREETING, allowed_mentions=discord.AllowedMentions.none()))

    async def open_page(self, *, port: int | None = None) -> Preview:
        """Serve the channel's page on loopback; you first in the "viewing as" menu, then each player."""
        preview = self.env.preview(self.channel, viewers=[self.moderator, *self.players], layout="channel", port=port)
        serve_customised(preview._server)
        await preview.__aenter__()
        self.preview = preview
        self._route_page_actions(preview)
        self._seen_requests = len(self.env.http_requests)
        return preview

    async def act(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one simcord operation with the clock caught up, never overlapping another, then show its effects."""
        async with self._lock:
            await self._catch_up()
            try:
                return await operation()
            finally:
                await self._publish_changes()

    async def tick(self) -> None:
        """Catch the clock up with real time (firing due round timers) and republish the page if the channel changed."""
        async with self._lock:
            await self._catch_up()
            await self._publish_changes()

    def message(self, message_id: int) -> discord.Message | None:
        """A message of the channel as it is now, or None."""
        return next((m for m in reversed(self.channel.history()) if m.id == message_id), None)

    async def close(self) -> None:
        """Close the page, detach the bot from simcord, and close the bot (simcord never calls close())."""
        try:
            if self.preview is not None:
                await self.preview.close()
            if self._started:
                self._started = False
                await self.env.shutdown()
        finally:
            if self._clock_scope is not None:
                # ValueError: closed from another context than start()'s (pytest's async fixtures do
                # that); the scope then dies with the context that holds it.
                with contextlib.suppress(ValueError):
                    self._clock_scope.__exit__(None, None, None)
                self._clock_scope = None
            await self.bot.close()

    async def _catch_up(self) -> None:
        # A person watching the page expects time to pass as it does for them; the round timers
        # also fire on simcord's real-time fallback, but answer times need the clock to move.
        real = time.monotonic() - self._real_start
        lag = real - (self.env.now() - self._virtual_start).total_seconds()
        if lag > 0:
            try:
                await self.env.advance_time(lag)
            except TimeoutError:
                # The bot was still busy when simcord stopped waiting (a loaded machine); the time
                # reached so far is kept, and the next tick catches up the rest.
                log.debug("Clock catch-up of %.2f s was cut short; continuing next tick", lag)
        self._log_bot_errors()

    async def _publish_changes(self) -> None:
        """Refresh the page only when the bot wrote to the channel: each refresh is a new page revision,
        and the page rejects a click made on the revision before (the user must click again)."""
        requests = self.env.http_requests
        fresh = requests[self._seen_requests :]
        self._seen_requests = len(requests)
        # Rounds started with /quiz start post through the interaction's webhook, the rest through the
        # channel; the demo world has no other channel, so either kind of write changes #quiz.
        prefixes = (f"/channels/{self.channel.id}/messages", "/webhooks/")
        changed = any(r.method in MESSAGE_WRITES and r.path.startswith(prefixes) for r in fresh)
        if changed and self.preview is not None:
            try:
                await self.preview.refresh()
            except simcord.SetupError:
                log.debug("The page is closed; nothing to refresh")

    def _route_page_actions(self, preview: Preview) -> None:
        """Make the page's actions (commands, clicks) take the demo's lock and clock too.

        simcord has no public hook for this; without it a page click landing during a crowd click is
        refused as overlapping, and the page then shows the action as "uncertain" until reloaded.
        """
        original: Callable[[str | None, Any], Awaitable[dict[str, Any]]] = preview._action

        async def in_turn(context_id: str | None, body: Any) -> dict[str, Any]:
            async with self._lock:
                await self._catch_up()
                # Relative times in what this action publishes are computed against now, not against the
                # page's last refresh (which, after a quiet minute, made a 20 s question "close in 2 minutes").
                preview.capture_time = self.env.now()
                try:
                    return await original(context_id, body)
                finally:
                    # The action published its own effects; what it wrote needs no second refresh.
                    self._seen_requests = len(self.env.http_requests)
                    self._log_bot_errors()

        preview._action = in_turn  # type: ignore[method-assign]

    def _record_only_unanswered_errors(self) -> None:
        """Let the bot answer its users' mistakes without simcord recording them as failures."""
        tree = self.bot.tree
        # simcord wrapped tree.on_error (on start) to record every error; keep its wrapper for real failures.
        recording = tree.on_error
        answering = type(tree).on_error.__get__(tree)

        async def on_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
            original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
            handler = answering if describe_error(original) is not None else recording
            await handler(interaction, error)

        tree.on_error = on_error  # type: ignore[method-assign]

    def _log_bot_errors(self) -> None:
        errors = self.env.errors_since(self._seen_errors)
        self._seen_errors += len(errors)
        for error in errors:
            log.error("The bot raised an error", exc_info=error)


def _start_clock_now(env: simcord.Env) -> None:
    """Move simcord's clock to the real date and time, keeping its elapsed seconds (see the module's docstring)."""
    clock = env.backend.clock
    clock._epoch = datetime.now(UTC) - timedelta(seconds=clock.elapsed)
