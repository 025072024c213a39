"""guild banks: uploaded bank versions, their articles, per-guild bank switches, the author role, round versions

Revision ID: c3d5f7a9b1e2
Revises: b2c4e6a8d0f1
Create Date: 2026-11-25 12:00:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c3d5f7a9b1e2"
down_revision: str | Sequence[str] | None = "b2c4e6a8d0f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the guild bank tables, ``guilds.author_role_id`` and ``rounds.bank_versions``."""
    op.create_table(
        "bank_articles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_articles")),
    )
    op.create_table(
        "guild_banks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("filename", sa.String(length=256), nullable=False),
        sa.Column("article_name", sa.String(length=256), nullable=False),
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["bank_articles.id"], name=op.f("fk_guild_banks_article_id_bank_articles")
        ),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name=op.f("fk_guild_banks_guild_id_guilds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guild_banks")),
        sa.UniqueConstraint("guild_id", "bank_id", "version", name=op.f("uq_guild_banks_guild_id_bank_id_version")),
    )
    op.create_index(op.f("ix_guild_banks_article_id"), "guild_banks", ["article_id"])
    op.create_table(
        "guild_bank_flags",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name=op.f("fk_guild_bank_flags_guild_id_guilds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("guild_id", "bank_id", name=op.f("pk_guild_bank_flags")),
    )
    with op.batch_alter_table("guilds") as batch_op:
        batch_op.add_column(sa.Column("author_role_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("rounds") as batch_op:
        batch_op.add_column(sa.Column("bank_versions", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the guild bank tables and the two columns."""
    with op.batch_alter_table("rounds") as batch_op:
        batch_op.drop_column("bank_versions")
    with op.batch_alter_table("guilds") as batch_op:
        batch_op.drop_column("author_role_id")
    op.drop_table("guild_bank_flags")
    op.drop_index(op.f("ix_guild_banks_article_id"), table_name="guild_banks")
    op.drop_table("guild_banks")
    op.drop_table("bank_articles")
