"""The bot's one settings object, read from the environment and ``.env`` at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``quizbot.sqlite3`` in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'quizbot.sqlite3').resolve()}"
