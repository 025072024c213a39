"""The Discord client: settings, store and banks wired together, extensions loaded, commands synced."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.banks.cache import BankCache
from bot.banks.library import BankLibrary
from bot.banks.service import BankService
from bot.banks.uploads import UploadLimits
from bot.crossprocess import follow_hints
from bot.db.auto_migrate import ensure_current
from bot.db.bank_store import SqlBankStore
from bot.db.driver import DriverReader, driver_reader
from bot.db.engine import create_engine, create_sessionmaker, is_sqlite
from bot.db.hints import Hints
from bot.db.identify import IdentifyTurns
from bot.db.repos.ranks import RankIndex
from bot.exts import discover_extensions
from bot.exts._common.replies import QuizTree
from bot.reports.service import ReportService
from bot.review.service import ReviewService
from bot.rounds.service import RoundService
from bot.settings import Settings
from bot.shards import AUTO, Shards

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class QuizBot(commands.Bot):
    """quizbot's client: everything a command needs hangs off it, built from one Settings object."""

    def __init__(self, settings: Settings, *, clock: Clock = discord.utils.utcnow, **shard_options: Any) -> None:
        # The bot never joins a voice channel: discord.py's warnings, on every start, that the voice
        # libraries (PyNaCl, davey) are missing only worry the person reading the log.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        # Slash commands and buttons need no privileged intent, nor message content.
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=QuizTree,
            **shard_options,
        )
        self.settings = settings
        self.clock = clock
        # Known at once unless the count is "auto": then setup_hook asks Discord before anything reads it.
        self.ownership = Shards() if settings.shard_count == AUTO else settings.shards()
        self._identify_turns: IdentifyTurns | None = None
        self.banks = BankService(
            settings.banks_dir,
            max_bank_bytes=settings.max_bank_bytes,
            limits=UploadLimits(settings.max_upload_bytes, settings.max_article_upload_bytes),
            clock=lambda: self.clock(),
            # Shipped banks checked once stay checked until their bytes or their article's change.
            cache=BankCache(settings.data_dir / "bank-cache"),
        )
        # On SQLite this process is the database's only writer, so its own copy of the standings, kept
        # up to date as it closes questions, needs no check against the database before a read.
        self.ranks = RankIndex(sole_writer=settings.resolved_database_url.startswith("sqlite"))
        #: Hints from the other processes on a shared PostgreSQL database (inactive on SQLite).
        self.hints = Hints()
        self.quiz_group = app_commands.Group(name="quiz", description="Quiz rounds, leaderboards and settings.")
        self._db_engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._rank_reads: DriverReader | None = None
        self._rounds: RoundService | None = None
        self._reviews: ReviewService | None = None
        self._reports: ReportService | None = None

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process acts for ``guild_id``: its schedules, its rounds after a restart, its clicks."""
        return self.ownership.owns(guild_id)

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory; use ``async with bot.sessions.begin() as session``."""
        if self._sessions is None:
            raise RuntimeError("the database is not open yet (setup_hook has not run)")
        return self._sessions

    @property
    def library(self) -> BankLibrary:
        """The banks every round reads; change them only through ``bot.banks``, the bank service."""
        return self.banks.library

    @property
    def rounds(self) -> RoundService:
        """The channel rounds this process runs."""
        if self._rounds is None:
            raise RuntimeError("the round service is not ready yet (setup_hook has not run)")
        return self._rounds

    @property
    def reviews(self) -> ReviewService:
        """Players' spaced-review cards."""
        if self._reviews is None:
            raise RuntimeError("the review service is not ready yet (setup_hook has not run)")
        return self._reviews

    @property
    def reports(self) -> ReportService:
        """Players' reports of questions."""
        if self._reports is None:
            raise RuntimeError("the report service is not ready yet (setup_hook has not run)")
        return self._reports

    async def setup_hook(self) -> None:
        """Open the store, load the banks and extensions, and sync the slash commands."""
        url = self.settings.resolved_database_url
        self._db_engine = create_engine(url)
        # Several processes may start at once: the migrations take an advisory lock, so one applies them.
        await ensure_current(self._db_engine, url)
        self._sessions = create_sessionmaker(self._db_engine)
        self._rank_reads = driver_reader(self._db_engine)
        self.ranks.read_through(self._rank_reads)
        await self._plan_shards(self._db_engine, url)
        # Guild banks (and the versions running rounds play) must be in the library before rounds are restored.
        await self.banks.start(SqlBankStore(self._sessions))
        follow_hints(self.hints, self.banks, self.ranks, self._sessions)
        self.hints.start(self._db_engine)
        self._rounds = RoundService(
            self._db_engine,
            self.library,
            self.clock,
            batch_window=self.settings.answer_batch_seconds,
            ranks=self.ranks,
        )
        self._reviews = ReviewService(self._sessions, self.library, self.clock)
        self._reports = ReportService(self._sessions, self.library, self.clock)
        for extension in discover_extensions():
            await self.load_extension(extension)
        self.tree.add_command(self.quiz_group)
        if self.syncs_commands(url):
            await self.sync_commands()
        else:
            log.info("Slash commands are synced by the process that runs shard 0; not syncing here")
        # Everything built so far (modules, banks, the command tree) lives as long as the process: move it out
        # of the collector's reach, so collections during a burst of clicks only walk what the burst created.
        # `quizbot run` pauses the collector for start-up (see bot.cli.run); it runs again from here on. Then
        # the only cyclic garbage is start-up's own (a few hundred objects measured, issue 17), not worth a
        # full pass over the whole heap; anywhere else (a test, the demo) earlier work's garbage is collected.
        if gc.isenabled():
            gc.collect()
        gc.freeze()
        gc.enable()

    async def _plan_shards(self, engine: AsyncEngine, url: str) -> None:
        """Settle this process's shards (asking Discord if the count is auto) and, on PostgreSQL, identify turns."""
        max_concurrency = 1
        if self.settings.shard_count is not None:
            recommended, _gateway, limits = await self.http.get_bot_gateway()
            self.ownership = self.settings.shards(recommended)
            self._use_shards(self.ownership)
            max_concurrency = limits["max_concurrency"]
        if not is_sqlite(url):
            window = self.settings.identify_window_seconds
            self._identify_turns = IdentifyTurns(engine, max_concurrency=max_concurrency, window=window)
        log.info("This process runs %s", self.ownership.describe())

    def _use_shards(self, shards: Shards) -> None:
        """Tell discord.py which shards to launch (only a sharded bot launches any)."""

    def syncs_commands(self, url: str) -> bool:
        """Whether this process syncs the slash commands: on PostgreSQL only the one running shard 0 does."""
        return is_sqlite(url) or not self.ownership.sharded or 0 in self.ownership.ids

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """On PostgreSQL wait for this shard's identify turn across every process; else discord.py's own wait."""
        if self._identify_turns is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        await self._identify_turns.wait_turn(shard_id)

    async def sync_commands(self) -> None:
        """Sync slash commands to the development guild if one is set, otherwise globally."""
        if self.settings.dev_guild_id is not None:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("Synced %d command(s) to guild %s", len(synced), guild.id)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d global command(s)", len(synced))

    async def close(self) -> None:
        """Log out, then release the database."""
        await super().close()
        await self.hints.stop()
        if self._identify_turns is not None:
            await self._identify_turns.aclose()
        if self._rounds is not None:
            await self._rounds.aclose()
        if self._rank_reads is not None:
            self.ranks.read_through(None)
            await self._rank_reads.aclose()
            self._rank_reads = None
        if self._db_engine is not None:
            await self._db_engine.dispose()
            self._db_engine = None


class ShardedQuizBot(QuizBot, commands.AutoShardedBot):
    """quizbot running some (or all) of the bot's shards in this process, on one gateway connection each."""

    def _use_shards(self, shards: Shards) -> None:
        # What AutoShardedClient.launch_shards reads: the count, and this process's shards.
        assert shards.count is not None
        self.shard_count = shards.count
        self.shard_ids = list(shards.ids)


def create_bot(settings: Settings, *, clock: Clock = discord.utils.utcnow) -> QuizBot:
    """The bot the settings ask for: unsharded when ``QUIZBOT_SHARD_COUNT`` is unset, else ``AutoShardedBot``."""
    if settings.shard_count is None:
        return QuizBot(settings, clock=clock)
    if settings.shard_count == AUTO:
        # Count and ids are set in setup_hook, from Discord's recommendation; discord.py wants none of them yet.
        return ShardedQuizBot(settings, clock=clock)
    shards = settings.shards()
    return ShardedQuizBot(settings, clock=clock, shard_count=shards.count, shard_ids=list(shards.ids))
