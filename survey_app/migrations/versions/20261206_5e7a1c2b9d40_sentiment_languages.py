"""Sentiment in every language: panel cards record how many answers their sentiment comes from,
per language; answers stored earlier are tagged again, so romanised Urdu, Hindi and Panjabi
(``ur-Latn``, ``hi-Latn``, ``pa-Latn``) are no longer scored as English.

Revision ID: 5e7a1c2b9d40
Revises: 98c293acbf53
Create Date: 2026-12-06 18:55:00
"""

import re

import sqlalchemy as sa
from alembic import op

from analysis.text import detect_language

revision = "5e7a1c2b9d40"
down_revision = "98c293acbf53"
branch_labels = None
depends_on = None

# Placeholders left by redaction are English words in brackets; the pipeline ignores them too.
PLACEHOLDER = re.compile(r"\[[a-z]+\]")


def _retag(tag_of) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT answer.response_id, answer.item_id, answer.text, answer.text_language, response.language "
            "FROM answer JOIN response ON response.id = answer.response_id "
            "WHERE answer.text IS NOT NULL"
        )
    ).all()
    for response_id, item_id, text, stored, survey_language in rows:
        tag = tag_of(text, stored, survey_language)
        if tag != stored:
            connection.execute(
                sa.text(
                    "UPDATE answer SET text_language = :tag "
                    "WHERE response_id = :response_id AND item_id = :item_id"
                ),
                {"tag": tag, "response_id": response_id, "item_id": item_id},
            )


def upgrade() -> None:
    with op.batch_alter_table("round_card", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment_coverage", sa.JSON(), nullable=True))
    _retag(
        lambda text, _stored, survey_language: detect_language(PLACEHOLDER.sub(" ", text), survey_language)
    )


def downgrade() -> None:
    # Before this revision an answer was tagged with one of the survey languages only.
    _retag(lambda _text, stored, _survey_language: stored.removesuffix("-Latn") if stored else stored)
    with op.batch_alter_table("round_card", schema=None) as batch_op:
        batch_op.drop_column("sentiment_coverage")
