"""schedules: scheduled rounds, and the guild's reminder and grace settings

Revision ID: b2c4e6a8d0f1
Revises: fdc8ab0b4c22
Create Date: 2026-11-25 11:30:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b2c4e6a8d0f1"
down_revision: str | Sequence[str] | None = "fdc8ab0b4c22"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``schedules`` and ``guilds.reminder_minutes``/``grace_minutes`` (existing guilds get the defaults)."""
    with op.batch_alter_table("guilds") as batch_op:
        batch_op.add_column(sa.Column("reminder_minutes", sa.Integer(), server_default="10", nullable=False))
        batch_op.add_column(sa.Column("grace_minutes", sa.Integer(), server_default="15", nullable=False))
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_local", sa.String(length=16), nullable=False),
        sa.Column("repeat_kind", sa.String(length=8), nullable=False),
        sa.Column("repeat_rule", sa.String(length=200), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=True),
        sa.Column("questions", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("ping_role_id", sa.BigInteger(), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("pause_reason", sa.String(length=300), nullable=True),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("repeat_kind IN ('once', 'rrule', 'cron')", name=op.f("ck_schedules_repeat_kind")),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name=op.f("fk_schedules_guild_id_guilds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    op.create_index(op.f("ix_schedules_guild_id"), "schedules", ["guild_id"])
    op.create_index("ix_schedules_next_run_at", "schedules", ["next_run_at"])
    op.create_index("ix_schedules_remind_at", "schedules", ["remind_at"])


def downgrade() -> None:
    """Drop ``schedules`` and the two guild settings."""
    op.drop_index("ix_schedules_remind_at", table_name="schedules")
    op.drop_index("ix_schedules_next_run_at", table_name="schedules")
    op.drop_index(op.f("ix_schedules_guild_id"), table_name="schedules")
    op.drop_table("schedules")
    with op.batch_alter_table("guilds") as batch_op:
        batch_op.drop_column("grace_minutes")
        batch_op.drop_column("reminder_minutes")
