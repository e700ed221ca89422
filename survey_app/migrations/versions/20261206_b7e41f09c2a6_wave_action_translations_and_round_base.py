""" "We did" entries in other languages: one row per entry and language, removed with the entry;
and the base of a review round's counts (the people who answered in their own words).

Revision ID: b7e41f09c2a6
Revises: 5e55c0a1d0e7
Create Date: 2026-12-06 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7e41f09c2a6"
down_revision = "5e55c0a1d0e7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wave_action_text",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["wave_action.id"],
            name=op.f("fk_wave_action_text_action_id_wave_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "language", name=op.f("pk_wave_action_text")),
    )
    with op.batch_alter_table("review_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answered_display", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_round", schema=None) as batch_op:
        batch_op.drop_column("answered_display")
    op.drop_table("wave_action_text")
