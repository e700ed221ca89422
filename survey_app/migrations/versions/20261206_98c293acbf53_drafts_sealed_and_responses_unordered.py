"""Drafts sealed with a key from their token, and response tables that keep no order.

Drafts in progress are deleted (their respondents start again): their old rows held answers, the
link and the access code in the clear. On SQLite, response, answer and answer_choice are rebuilt
without a rowid, so rows sit in the order of their random keys; on both databases the response
indexes end with the id, so rows with equal values are not listed in the order they were written.

Revision ID: 98c293acbf53
Revises: 5d3a8c1e7b42
Create Date: 2026-12-06 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "98c293acbf53"
down_revision = "5d3a8c1e7b42"
branch_labels = None
depends_on = None

RESPONSE_TABLES = ("response", "answer", "answer_choice")


def _rebuild_response_tables(with_rowid: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in RESPONSE_TABLES:
        with op.batch_alter_table(
            table, recreate="always" if sqlite else "auto", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass


def upgrade() -> None:
    op.drop_table("draft")
    op.create_table(
        "draft",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("sweep_month", sa.String(length=7), nullable=False),
        sa.CheckConstraint("sweep_month LIKE '____-__'", name=op.f("ck_draft_month_only")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_draft_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_draft")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_sweep_month"), ["sweep_month"], unique=False)

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_version_id")
        batch_op.drop_index("ix_response_wave_id")
    _rebuild_response_tables(with_rowid=False)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_version_id", ["version_id", "id"], unique=False)
        batch_op.create_index("ix_response_wave_id", ["wave_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_wave_id")
        batch_op.drop_index("ix_response_version_id")
    _rebuild_response_tables(with_rowid=True)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_wave_id", ["wave_id"], unique=False)
        batch_op.create_index("ix_response_version_id", ["version_id"], unique=False)

    op.drop_table("draft")
    op.create_table(
        "draft",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("access_code", sa.String(length=12), nullable=True),
        sa.Column("pages_counted", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_draft_channel_id_channel"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_draft_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_draft")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_expires_at"), ["expires_at"], unique=False)
