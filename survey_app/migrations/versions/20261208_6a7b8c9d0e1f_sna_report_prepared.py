"""The SNA report is made in the background too, like the slow exports: at 50,000 responses it
takes about as long as gunicorn lets one request run. Its rows have no questionnaire (it covers
both standard surveys) and may name a wave to compare with.

Revision ID: 6a7b8c9d0e1f
Revises: 3b8e1f0c6d27
Create Date: 2026-12-08 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "6a7b8c9d0e1f"
down_revision = "3b8e1f0c6d27"
branch_labels = None
depends_on = None

EXPORTS = "'responses.csv', 'responses.xlsx', 'responses.sav', 'tables.xlsx'"
REPORTS = "'sna.html', 'sna.pdf', 'sna.docx'"


def upgrade() -> None:
    with op.batch_alter_table("prepared_export", schema=None) as batch_op:
        batch_op.alter_column("questionnaire_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("compare", sa.String(length=60), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_prepared_export_kind_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_prepared_export_kind_known"), f"kind IN ({EXPORTS}, {REPORTS})"
        )


def downgrade() -> None:
    op.execute("DELETE FROM prepared_export WHERE questionnaire_id IS NULL")
    with op.batch_alter_table("prepared_export", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_prepared_export_kind_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_prepared_export_kind_known"), f"kind IN ({EXPORTS})")
        batch_op.drop_column("compare")
        batch_op.alter_column("questionnaire_id", existing_type=sa.Integer(), nullable=False)
