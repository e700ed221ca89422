"""Distribution channels, one-time access codes, aggregate activity counters, and staff review of
answers (theme coding, quotes, safeguarding actions).

Revision ID: 980bb8690744
Revises: bbbf795d0c96
Create Date: 2026-11-24 13:45:50.686819
"""

import sqlalchemy as sa
from alembic import op

revision = "980bb8690744"
down_revision = "bbbf795d0c96"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("expected_size", sa.Integer(), nullable=True),
        sa.Column("requires_code", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "type IN ('school', 'college', 'youth_club', 'community_group', 'event', 'online', 'other')",
            name=op.f("ck_channel_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"], ["questionnaire.id"], name=op.f("fk_channel_questionnaire_id_questionnaire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel")),
        sa.UniqueConstraint("key", name=op.f("uq_channel_key")),
    )
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "access_code",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_access_code_channel_id_channel"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_access_code")),
    )
    with op.batch_alter_table("access_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_code_channel_id"), ["channel_id"], unique=False)

    op.create_table(
        "activity_count",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("event", sa.String(length=80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_activity_count_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_activity_count_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "wave_id", "channel_id", "week", "event", name=op.f("pk_activity_count")
        ),
    )
    op.create_table(
        "answer_coding",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("coded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["staff_user.id"], name=op.f("fk_answer_coding_coder_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["response_id", "item_id"],
            ["answer.response_id", "answer.item_id"],
            name="fk_answer_coding_answer",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", "coder_id", name=op.f("pk_answer_coding")),
    )
    op.create_table(
        "quote",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["staff_user.id"], name=op.f("fk_quote_approved_by_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["response_id", "item_id"],
            ["answer.response_id", "answer.item_id"],
            name="fk_quote_answer",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_quote")),
    )
    op.create_table(
        "safeguarding_review",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id", "item_id"],
            ["answer.response_id", "answer.item_id"],
            name="fk_safeguarding_review_answer",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["staff_user.id"], name=op.f("fk_safeguarding_review_reviewed_by_staff_user")
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_safeguarding_review")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("access_code", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("pages_counted", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_foreign_key(
            batch_op.f("fk_draft_channel_id_channel"), "channel", ["channel_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("channel_area", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("channel_area")
        batch_op.drop_column("channel_type")

    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_draft_channel_id_channel"), type_="foreignkey")
        batch_op.drop_column("pages_counted")
        batch_op.drop_column("access_code")
        batch_op.drop_column("channel_id")

    op.drop_table("safeguarding_review")
    op.drop_table("quote")
    op.drop_table("answer_coding")
    op.drop_table("activity_count")
    with op.batch_alter_table("access_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_code_channel_id"))

    op.drop_table("access_code")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_questionnaire_id"))

    op.drop_table("channel")
