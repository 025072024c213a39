"""occurrences and score moves: scheduled runs start exactly once; other processes apply score deltas

Revision ID: f6a8b0c2d4e7
Revises: e5f7a9c1b3d5
Create Date: 2026-11-29 09:40:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f6a8b0c2d4e7"
down_revision: str | Sequence[str] | None = "e5f7a9c1b3d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``schedule_occurrences`` (one row per due run, with its lease and fencing token) and ``score_moves``."""
    op.create_table(
        "schedule_occurrences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fence", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('claimed', 'started', 'done')", name=op.f("ck_schedule_occurrences_status")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_schedule_occurrences_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_occurrences")),
        sa.UniqueConstraint("schedule_id", "due_at", name=op.f("uq_schedule_occurrences_schedule_id_due_at")),
    )
    op.create_index(
        "ix_schedule_occurrences_status_lease_until", "schedule_occurrences", ["status", "lease_until"], unique=False
    )
    op.create_table(
        "score_moves",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("moves", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "version", name=op.f("pk_score_moves")),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("score_moves")
    op.drop_index("ix_schedule_occurrences_status_lease_until", table_name="schedule_occurrences")
    op.drop_table("schedule_occurrences")
