"""scores version: a per-guild counter bumped whenever the guild's scores change, for the rank cache

Revision ID: d4e6a8c0b2f3
Revises: c3d5f7a9b1e2
Create Date: 2026-11-25 12:20:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d4e6a8c0b2f3"
down_revision: str | Sequence[str] | None = "c3d5f7a9b1e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``guilds.scores_version``."""
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scores_version", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    """Drop ``guilds.scores_version``."""
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        batch_op.drop_column("scores_version")
