"""Distribution links can work without a signal (events): completed surveys wait on the device and
are sent later, each under a random key whose hash is kept so that sending it twice stores it once.

Revision ID: 4e2a9c1b7d30
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-07 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "4e2a9c1b7d30"
down_revision = "7c1d2e3f4a5b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offline", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("offline", server_default=None)
    op.create_table(
        "sent_survey",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_sent_survey")),
    )


def downgrade() -> None:
    op.drop_table("sent_survey")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("offline")
