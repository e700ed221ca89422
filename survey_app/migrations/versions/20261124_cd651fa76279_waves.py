"""Waves of fieldwork; responses and questionnaires point at them.

Revision ID: cd651fa76279
Revises: ce7b4c8df849
Create Date: 2026-11-24 11:32:18.429942
"""

import sqlalchemy as sa
from alembic import op

revision = "cd651fa76279"
down_revision = "ce7b4c8df849"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"], ["questionnaire.id"], name=op.f("fk_wave_questionnaire_id_questionnaire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave")),
        sa.UniqueConstraint("questionnaire_id", "key", name=op.f("uq_wave_questionnaire_id_key")),
    )
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_wave_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_questionnaire_current_wave", "wave", ["current_wave_id"], ["id"])

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wave_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_response_wave_id"), ["wave_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_response_wave_id_wave"), "wave", ["wave_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_response_wave_id_wave"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_response_wave_id"))
        batch_op.drop_column("wave_id")

    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.drop_constraint("fk_questionnaire_current_wave", type_="foreignkey")
        batch_op.drop_column("current_wave_id")

    op.drop_table("wave")
