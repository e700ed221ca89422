"""Text safety: each free-text answer records its language and a safeguarding flag.

Revision ID: a22007e2df1a
Revises: cd651fa76279
Create Date: 2026-11-24 11:34:14.526863
"""

import sqlalchemy as sa
from alembic import op

from analysis.text import detect_language, safeguarding_flag

revision = "a22007e2df1a"
down_revision = "cd651fa76279"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_language", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("safeguarding", sa.Boolean(), nullable=True))
    # Screen answers stored before this revision, so the constraint below holds for every row.
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT answer.response_id, answer.item_id, answer.text, response.language FROM answer "
            "JOIN response ON response.id = answer.response_id WHERE answer.text IS NOT NULL"
        )
    ).all()
    for response_id, item_id, text, language in rows:
        connection.execute(
            sa.text(
                "UPDATE answer SET safeguarding = :flag, text_language = :language "
                "WHERE response_id = :response_id AND item_id = :item_id"
            ),
            {
                "flag": safeguarding_flag(text),
                "language": detect_language(text, language),
                "response_id": response_id,
                "item_id": item_id,
            },
        )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_answer_text_is_screened"), "(text IS NULL) = (safeguarding IS NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_answer_text_is_screened"), type_="check")
        batch_op.drop_column("safeguarding")
        batch_op.drop_column("text_language")
