"""initial schema

Revision ID: fdc8ab0b4c22
Revises:
Create Date: 2026-11-25 10:46:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "fdc8ab0b4c22"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING_CHANNEL_ROUND = "status = 'running' AND kind = 'channel'"


def upgrade() -> None:
    """Create every table of the first release."""
    op.create_table(
        "guilds",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("default_seconds", sa.Integer(), nullable=False),
        sa.Column("default_questions", sa.Integer(), nullable=False),
        sa.Column("moderator_role_id", sa.BigInteger(), nullable=True),
        sa.Column("allowed_channel_ids", sa.JSON(), nullable=False),
        sa.Column("show_answerers", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guilds")),
    )
    op.create_table(
        "players",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_players")),
    )
    op.create_table(
        "decks",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("question_order", sa.JSON(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "bank_id", name=op.f("pk_decks")),
    )
    op.create_table(
        "scores",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("rounds_played", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("current_streak", sa.Integer(), nullable=False),
        sa.Column("last_played_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_scores")),
    )
    op.create_index("ix_scores_guild_id_points_user_id", "scores", ["guild_id", "points", "user_id"])

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("bank_ids", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('channel', 'practice')", name=op.f("ck_rounds_kind")),
        sa.CheckConstraint("status IN ('running', 'finished', 'stopped')", name=op.f("ck_rounds_status")),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name=op.f("fk_rounds_guild_id_guilds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    op.create_index(op.f("ix_rounds_guild_id"), "rounds", ["guild_id"])
    op.create_index("ix_rounds_status", "rounds", ["status"])
    # One running channel round per channel, enforced by the database across bot processes.
    op.create_index(
        "uq_rounds_running_channel",
        "rounds",
        ["channel_id"],
        unique=True,
        sqlite_where=sa.text(RUNNING_CHANNEL_ROUND),
        postgresql_where=sa.text(RUNNING_CHANNEL_ROUND),
    )

    op.create_table(
        "round_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("choice_order", sa.JSON(), nullable=False),
        sa.Column("correct_position", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_questions_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_questions")),
        sa.UniqueConstraint("round_id", "position", name=op.f("uq_round_questions_round_id_position")),
    )

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_question_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("choice_index", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_question_id"],
            ["round_questions.id"],
            name=op.f("fk_answers_round_question_id_round_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("round_question_id", "user_id", name=op.f("uq_answers_round_question_id_user_id")),
    )
    op.create_index("ix_answers_guild_id_answered_at", "answers", ["guild_id", "answered_at"])
    op.create_index("ix_answers_guild_id_bank_id_user_id", "answers", ["guild_id", "bank_id", "user_id"])
    op.create_index("ix_answers_guild_id_user_id", "answers", ["guild_id", "user_id"])


def downgrade() -> None:
    """Drop every table; their indexes go with them."""
    op.drop_table("answers")
    op.drop_table("round_questions")
    op.drop_table("rounds")
    op.drop_table("scores")
    op.drop_table("decks")
    op.drop_table("players")
    op.drop_table("guilds")
