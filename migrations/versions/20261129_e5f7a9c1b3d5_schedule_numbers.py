"""schedule numbers: each guild numbers its schedules from 1 and never hands a number out twice

Revision ID: e5f7a9c1b3d5
Revises: d4e6a8c0b2f3
Create Date: 2026-11-29 09:10:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e5f7a9c1b3d5"
down_revision: str | Sequence[str] | None = "d4e6a8c0b2f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``schedules.number`` (existing schedules keep their id as number) and ``schedule_numbers``."""
    op.create_table(
        "schedule_numbers",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name=op.f("fk_schedule_numbers_guild_id_guilds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_schedule_numbers")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    # The numbers moderators saw until now were the ids: keep them.
    op.execute("UPDATE schedules SET number = id")
    op.execute(
        "INSERT INTO schedule_numbers (guild_id, last_number) SELECT guild_id, MAX(number) FROM schedules GROUP BY guild_id"
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_schedules_guild_id_number"), ["guild_id", "number"])


def downgrade() -> None:
    """Drop ``schedules.number`` and ``schedule_numbers``."""
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_schedules_guild_id_number"), type_="unique")
        batch_op.drop_column("number")
    op.drop_table("schedule_numbers")
