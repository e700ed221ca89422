"""Initial schema: questionnaires, versions, items, choices, drafts, anonymous responses.

Revision ID: ce7b4c8df849
Revises:
Create Date: 2026-11-24 11:15:15.386655
"""

import sqlalchemy as sa
from alembic import op

revision = "ce7b4c8df849"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire")),
        sa.UniqueConstraint("slug", name=op.f("uq_questionnaire_slug")),
    )
    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(content_hash) = 64", name=op.f("ck_questionnaire_version_hash_is_sha256")),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_version_questionnaire_id_questionnaire"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_version")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_questionnaire_version_content_hash")),
    )
    # questionnaire and questionnaire_version refer to each other: add the second link now both exist.
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_questionnaire_current_version", "questionnaire_version", ["current_version_id"], ["id"]
        )

    op.create_table(
        "draft",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_draft_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_draft")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('single', 'multiple', 'number', 'text')", name=op.f("ck_item_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_item_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("version_id", "key", name=op.f("uq_item_version_id_key")),
    )
    op.create_table(
        "response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("submitted_month", sa.String(length=7), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.CheckConstraint("submitted_month LIKE '____-__'", name=op.f("ck_response_month_only")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_response_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_version_id"), ["version_id"], unique=False)

    op.create_table(
        "choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_choice_item_id_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_choice")),
        sa.UniqueConstraint("item_id", "id", name="uq_choice_item_id_id"),
        sa.UniqueConstraint("item_id", "value", name=op.f("uq_choice_item_id_value")),
    )
    op.create_table(
        "answer",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("choice_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN choice_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN number IS NULL THEN 0 ELSE 1 END) + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) <= 1",
            name=op.f("ck_answer_one_value"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id", "choice_id"], ["choice.item_id", "choice.id"], name="fk_answer_item_choice"
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_answer_item_id_item")),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_answer_response_id_response"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_answer")),
    )
    op.create_table(
        "answer_choice",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("choice_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id", "choice_id"], ["choice.item_id", "choice.id"], name="fk_answer_choice_item_choice"
        ),
        sa.ForeignKeyConstraint(
            ["response_id", "item_id"],
            ["answer.response_id", "answer.item_id"],
            name="fk_answer_choice_answer",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", "choice_id", name=op.f("pk_answer_choice")),
    )


def downgrade() -> None:
    op.drop_table("answer_choice")
    op.drop_table("answer")
    op.drop_table("choice")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_version_id"))

    op.drop_table("response")
    op.drop_table("item")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_expires_at"))

    op.drop_table("draft")
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.drop_constraint("fk_questionnaire_current_version", type_="foreignkey")
    op.drop_table("questionnaire_version")
    op.drop_table("questionnaire")
