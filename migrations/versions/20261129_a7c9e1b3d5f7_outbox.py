"""outbox: messages a committed change still owes the channel (a question's reveal), posted after a restart

Revision ID: a7c9e1b3d5f7
Revises: f6a8b0c2d4e6
Create Date: 2026-11-29 09:40:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "a7c9e1b3d5f7"
down_revision: str | Sequence[str] | None = "f6a8b0c2d4e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``outbox``."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_question_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_question_id"],
            ["round_questions.id"],
            name=op.f("fk_outbox_round_question_id_round_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_round_question_id"), "outbox", ["round_question_id"], unique=False)


def downgrade() -> None:
    """Drop ``outbox``."""
    op.drop_index(op.f("ix_outbox_round_question_id"), table_name="outbox")
    op.drop_table("outbox")
