"""Fixtures for end-to-end tests of the Discord layer: the real bot, driven through simcord."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import discord
import pytest
import simcord

from bot.banks.errors import AttachmentUnavailable, FileTooBig
from bot.client import QuizBot
from bot.db.migrate import upgrade_database
from bot.exts._common.attachments import AttachmentReader
from bot.settings import Settings

QUESTIONS = Path(__file__).parents[2] / "questions"
BANK = "south-caucasus-russia"
DATABASE_FILE = "quizbot.sqlite3"  # the file Settings puts in the data directory


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head, copied for each test: start-up then finds it current.

    Migrating a new database at start-up (in a child process, about 0.8 s) is tested once, in
    tests/db/test_auto_migrate.py, rather than paid by every test here.
    """
    path = tmp_path_factory.mktemp("template") / DATABASE_FILE
    asyncio.run(upgrade_database(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_database: Path) -> Settings:
    """Settings for a bot with its own SQLite file (already migrated) and the shipped banks."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(migrated_database, data_dir / DATABASE_FILE)
    # simcord cannot settle the answer writer's millisecond batching timer under virtual time; batching
    # itself is tested on real time in tests/rounds.
    settings = Settings(data_dir=data_dir, banks_dir=QUESTIONS, discord_token=None, answer_batch_seconds=0)
    assert settings.resolved_database_url.endswith(f"/{DATABASE_FILE}")
    return settings


@pytest.fixture
def make_bot(settings: Settings) -> Callable[[], QuizBot]:
    """Builds fresh bots on the same settings (and so the same database), closing them at teardown."""
    bots: list[QuizBot] = []

    def build() -> QuizBot:
        bot = QuizBot(settings)
        bots.append(bot)
        return bot

    yield build  # type: ignore[misc]


@pytest.fixture
async def simcord_bot(make_bot: Callable[[], QuizBot]) -> AsyncIterator[QuizBot]:
    """The bot simcord's ``simcord_env`` runs; simcord never calls close(), so we do."""
    bot = make_bot()
    yield bot
    await bot.close()


class World:
    """A guild with a #quiz channel, a moderator and three plain members."""

    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self.guild = env.create_guild("Quiz Guild")
        self.channel = self.guild.create_text_channel("quiz")
        self.other_channel = self.guild.create_text_channel("quiz-2")
        mods = self.guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(env.create_user("mod"), roles=[mods])
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))
        self.carol = self.guild.add_member(env.create_user("carol"))

    @property
    def bot(self) -> QuizBot:
        """The bot currently connected."""
        bot = self.env.bot
        assert isinstance(bot, QuizBot)
        return bot


async def read_from_simcord(self: AttachmentReader, attachment: discord.Attachment, limit: int, kind: str) -> bytes:
    """The attachment from simcord's in-memory CDN (which has no URL to stream from), held to the same limit."""
    try:
        data = await attachment.read()
    except discord.NotFound:
        raise AttachmentUnavailable(attachment.filename, 404) from None
    if len(data) > limit:
        raise FileTooBig(attachment.filename, len(data), limit, kind)
    return data


@pytest.fixture(autouse=True)
def simcord_attachments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads read attachments from simcord's CDN (the streaming download is tested on a real server)."""
    monkeypatch.setattr(AttachmentReader, "read", read_from_simcord)


@pytest.fixture
def world(simcord_env: simcord.Env) -> World:
    """The populated world on simcord's env."""
    return World(simcord_env)
