"""review cards and question reports: spaced review of missed questions, players' reports, the hold-back setting

Revision ID: f6a8b0c2d4e6
Revises: f6a8b0c2d4e7
Create Date: 2026-11-29 09:24:12.178841

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "f6a8b0c2d4e6"
down_revision: str | Sequence[str] | None = "f6a8b0c2d4e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the review cards, pending ratings, opt-outs, question reports and guilds.report_hold_back."""
    op.create_table(
        "pending_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_reviews")),
    )
    with op.batch_alter_table("pending_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_pending_reviews_guild_id_user_id", ["guild_id", "user_id"], unique=False)

    op.create_table(
        "question_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("bank_version", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("question_version", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'resolved', 'dismissed', 'fixed')", name=op.f("ck_question_reports_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reports")),
        sa.UniqueConstraint(
            "guild_id",
            "user_id",
            "bank_id",
            "question_id",
            "question_version",
            name="uq_question_reports_one_per_version",
        ),
    )
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_reports_guild_id_bank_id_status", ["guild_id", "bank_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_question_reports_guild_id_user_id_updated_at", ["guild_id", "user_id", "updated_at"], unique=False
        )

    op.create_table(
        "review_cards",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("recalled", sa.Integer(), nullable=False),
        sa.Column("last_choice", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "bank_id", "question_id", name=op.f("pk_review_cards")),
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index("ix_review_cards_guild_id_user_id_due", ["guild_id", "user_id", "due"], unique=False)

    op.create_table(
        "review_opt_outs",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_review_opt_outs")),
    )
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_hold_back", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        batch_op.drop_column("report_hold_back")

    op.drop_table("review_opt_outs")
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cards_guild_id_user_id_due")

    op.drop_table("review_cards")
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_question_reports_guild_id_user_id_updated_at")
        batch_op.drop_index("ix_question_reports_guild_id_bank_id_status")

    op.drop_table("question_reports")
    with op.batch_alter_table("pending_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_reviews_guild_id_user_id")

    op.drop_table("pending_reviews")
