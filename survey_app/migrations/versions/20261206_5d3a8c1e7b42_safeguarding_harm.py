"""Safeguarding flags record the kinds of harm: `answer.safeguarding_harm`.

Answers stored before this revision are screened again, now in every language: an answer flagged
then keeps its flag and gets the kinds its stored (redacted) text shows, or 'unspecified'; an
answer the English-only screen missed and the new one flags joins the safeguarding queue.

Revision ID: 5d3a8c1e7b42
Revises: 87a8db5d8fef
Create Date: 2026-12-06 19:00:00
"""

import sqlalchemy as sa
from alembic import op

from analysis.text import safeguarding_screen
from survey_app.models.responses import HARM_CHECK, UNSPECIFIED_HARM, harm_value

revision = "5d3a8c1e7b42"
down_revision = "87a8db5d8fef"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safeguarding_harm", sa.String(length=160), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT response_id, item_id, text, safeguarding FROM answer WHERE text IS NOT NULL")
    ).all()
    for response_id, item_id, text, flagged in rows:
        harm = harm_value(safeguarding_screen(text)) or (UNSPECIFIED_HARM if flagged else None)
        if harm is not None:
            connection.execute(
                sa.text(
                    "UPDATE answer SET safeguarding = :flagged, safeguarding_harm = :harm "
                    "WHERE response_id = :response_id AND item_id = :item_id"
                ),
                {"flagged": True, "harm": harm, "response_id": response_id, "item_id": item_id},
            )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_answer_harm_is_known"), HARM_CHECK)


def downgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_answer_harm_is_known"), type_="check")
        batch_op.drop_column("safeguarding_harm")
