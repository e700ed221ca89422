"""Exports too slow for one web request (the XLSX and SPSS responses, the publication tables, the
CSV of a very large wave) are made in the background and wait in prepared_export for whichever worker the download reaches.

Revision ID: 5ca0dcd6332f
Revises: 9d3f6a2b8c41
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5ca0dcd6332f"
down_revision = "9d3f6a2b8c41"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prepared_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("wave", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("mimetype", sa.String(length=100), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(status = 'failed') = (error IS NOT NULL)", name=op.f("ck_prepared_export_error_when_failed")
        ),
        sa.CheckConstraint(
            "(status = 'ready') = (data IS NOT NULL)", name=op.f("ck_prepared_export_data_when_ready")
        ),
        sa.CheckConstraint(
            "kind IN ('responses.csv', 'responses.xlsx', 'responses.sav', 'tables.xlsx')",
            name=op.f("ck_prepared_export_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('preparing', 'ready', 'failed')", name=op.f("ck_prepared_export_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_prepared_export_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_prepared_export_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepared_export")),
    )
    with op.batch_alter_table("prepared_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prepared_export_requested_at"), ["requested_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_prepared_export_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prepared_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prepared_export_user_id"))
        batch_op.drop_index(batch_op.f("ix_prepared_export_requested_at"))

    op.drop_table("prepared_export")
