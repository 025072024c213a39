"""The bot's one settings object, read from the environment and ``.env`` at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.shards import AUTO, Shards, parse_shard_ids


class Settings(BaseSettings):
    """Everything configurable, built once in ``__main__``/the CLI and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="QUIZBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "QUIZBOT_DISCORD_TOKEN"),
        description="The bot's token from the Discord developer portal.",
    )
    data_dir: Path = Field(default=Path("data"), description="Where the SQLite database and other state live.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; defaults to SQLite in the data directory.",
    )
    banks_dir: Path = Field(default=Path("questions"), description="Folder of question banks loaded at start-up.")
    dev_guild_id: int | None = Field(
        default=None, description="Sync slash commands to this guild only (instant), instead of globally."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    reveal_pause_seconds: float = Field(
        default=8.0, ge=0, description="Pause after a reveal before the next question, in seconds."
    )
    answer_batch_seconds: float = Field(
        default=0.01,
        ge=0,
        le=0.05,
        description="How long the first click of a batch waits for others before their shared commit.",
    )
    max_bank_bytes: int = Field(default=1_000_000, description="Largest bank file accepted, in bytes.")
    max_upload_bytes: int = Field(
        default=256 * 1024, description="Largest bank (or quiz file to import) accepted by /quiz bank upload, in bytes."
    )
    max_article_upload_bytes: int = Field(
        default=1024 * 1024, description="Largest article text accepted by /quiz bank upload, in bytes."
    )

    shard_count: int | Literal["auto"] | None = Field(
        default=None,
        description="Shards in all, or 'auto' for Discord's recommendation; unset: one unsharded process.",
    )
    shard_ids: str = Field(
        default="", description="This process's shards, like '0-3' or '0,2'; empty: every shard of the count."
    )
    identify_window_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Discord's identify window: one IDENTIFY per bucket per window. Change it only for a test bed.",
    )

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return None if value == "" else value
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shard_ids(cls, value: str) -> str:
        try:
            parse_shard_ids(value)
        except ValueError as error:
            raise ValueError(f"QUIZBOT_SHARD_IDS: {error}") from None
        return value

    @model_validator(mode="after")
    def _shards_agree(self) -> Self:
        ids = parse_shard_ids(self.shard_ids)
        if ids is not None and self.shard_count is None:
            raise ValueError("QUIZBOT_SHARD_IDS needs QUIZBOT_SHARD_COUNT (a number, or auto)")
        if isinstance(self.shard_count, int):
            try:
                Shards.of(self.shard_count, ids)
            except ValueError as error:
                raise ValueError(f"QUIZBOT_SHARD_COUNT/QUIZBOT_SHARD_IDS: {error}") from None
        return self

    def shards(self, recommended: int | None = None) -> Shards:
        """This process's shards; ``recommended`` is Discord's count, needed when the count is ``auto``."""
        count = self.shard_count
        if count == AUTO:
            if recommended is None:
                raise ValueError("QUIZBOT_SHARD_COUNT is auto: Discord's recommended shard count is needed")
            count = recommended
        assert not isinstance(count, str)
        return Shards.of(count, parse_shard_ids(self.shard_ids))

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``quizbot.sqlite3`` in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'quizbot.sqlite3').resolve()}"
