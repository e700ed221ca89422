"""Sent responses can wait, sealed, to be added to the response tables in a shuffled batch, so that
neither the order of rows nor the transaction that wrote them tells the order of submission.

Revision ID: 9d3f6a2b8c41
Revises: 4e2a9c1b7d30
Create Date: 2026-12-07 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "9d3f6a2b8c41"
down_revision = "4e2a9c1b7d30"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waiting_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_response")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("waiting_response")
