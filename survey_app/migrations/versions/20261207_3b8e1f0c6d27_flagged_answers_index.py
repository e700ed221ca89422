"""A partial index of the answers flagged for safeguarding: the safeguarding queue and the
dashboard's count of flags read only those, not every answer of a survey.

Revision ID: 3b8e1f0c6d27
Revises: 5ca0dcd6332f
Create Date: 2026-12-07 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3b8e1f0c6d27"
down_revision = "5ca0dcd6332f"
branch_labels = None
depends_on = None

FLAGGED = sa.text("safeguarding IS TRUE")


def upgrade() -> None:
    op.create_index(
        "ix_answer_flagged", "answer", ["response_id"], postgresql_where=FLAGGED, sqlite_where=FLAGGED
    )


def downgrade() -> None:
    op.drop_index("ix_answer_flagged", table_name="answer")
