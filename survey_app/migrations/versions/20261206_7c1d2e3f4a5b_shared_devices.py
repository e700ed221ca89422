"""Each distribution link says whether its respondents share devices. Existing links for schools,
youth clubs and events become shared-device links, as new ones are by default: answers there are
cleared between people.

Revision ID: 7c1d2e3f4a5b
Revises: b7e41f09c2a6
Create Date: 2026-12-06 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7c1d2e3f4a5b"
down_revision = "b7e41f09c2a6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("devices", sa.String(length=10), nullable=False, server_default="personal")
        )
    op.execute("UPDATE channel SET devices = 'shared' WHERE type IN ('school', 'youth_club', 'event')")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("devices", server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_channel_devices_known"), "devices IN ('shared', 'personal')"
        )


def downgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_channel_devices_known"), type_="check")
        batch_op.drop_column("devices")
