"""Co-production panels: members, single-use invitations, review rounds with their theme cards,
members' feedback, votes and proposals, the codebook's history of names and merges, and "we did"
actions for the public page.

Revision ID: 87a8db5d8fef
Revises: 980bb8690744
Create Date: 2026-11-24 14:24:17.236075
"""

import sqlalchemy as sa
from alembic import op

revision = "87a8db5d8fef"
down_revision = "980bb8690744"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff_user.id"], name=op.f("fk_panel_created_by_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel")),
        sa.UniqueConstraint("name", name=op.f("uq_panel_name")),
    )
    op.create_table(
        "wave_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("wave_key", sa.String(length=60), nullable=False),
        sa.Column("theme_id", sa.String(length=60), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["staff_user.id"], name=op.f("fk_wave_action_entered_by_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_wave_action_questionnaire_id_questionnaire"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_action")),
    )
    with op.batch_alter_table("wave_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wave_action_questionnaire_id"), ["questionnaire_id"], unique=False
        )

    op.create_table(
        "panel_invite",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff_user.id"], name=op.f("fk_panel_invite_created_by_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"], ["panel.id"], name=op.f("fk_panel_invite_panel_id_panel"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["used_by"], ["staff_user.id"], name=op.f("fk_panel_invite_used_by_staff_user")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_panel_invite")),
    )
    with op.batch_alter_table("panel_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_invite_panel_id"), ["panel_id"], unique=False)

    op.create_table(
        "panel_member",
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["panel_id"], ["panel.id"], name=op.f("fk_panel_member_panel_id_panel"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_panel_member_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("panel_id", "user_id", name=op.f("pk_panel_member")),
    )
    op.create_table(
        "review_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("wave_key", sa.String(length=60), nullable=False),
        sa.Column("votes_per_member", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_review_round_status_known")),
        sa.CheckConstraint("votes_per_member BETWEEN 1 AND 20", name=op.f("ck_review_round_votes_in_range")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff_user.id"], name=op.f("fk_review_round_created_by_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"], ["panel.id"], name=op.f("fk_review_round_panel_id_panel"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_review_round_questionnaire_id_questionnaire"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_round")),
        sa.UniqueConstraint("panel_id", "questionnaire_id", "wave_key", name="one_round_per_wave"),
    )
    with op.batch_alter_table("review_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_round_panel_id"), ["panel_id"], unique=False)

    op.create_table(
        "card_feedback",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.String(length=60), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reflects", sa.String(length=10), nullable=True),
        sa.Column("better_name", sa.String(length=120), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "reflects IN ('yes', 'partly', 'no', 'not_sure')", name=op.f("ck_card_feedback_reflects_known")
        ),
        sa.CheckConstraint("votes >= 0", name=op.f("ck_card_feedback_votes_not_negative")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["staff_user.id"],
            name=op.f("fk_card_feedback_member_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_round.id"],
            name=op.f("fk_card_feedback_round_id_review_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "theme_id", "member_id", name=op.f("pk_card_feedback")),
    )
    op.create_table(
        "round_card",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("count_display", sa.String(length=20), nullable=False),
        sa.Column("trend", sa.String(length=10), nullable=True),
        sa.Column("sentiment", sa.Double(), nullable=True),
        sa.Column("quotes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_round.id"],
            name=op.f("fk_round_card_round_id_review_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "theme_id", name=op.f("pk_round_card")),
    )
    op.create_table(
        "theme_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("theme_id", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('rename', 'merge', 'add')", name=op.f("ck_theme_change_kind_known")),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff_user.id"], name=op.f("fk_theme_change_decided_by_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_round.id"],
            name=op.f("fk_theme_change_round_id_review_round"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_change")),
    )
    with op.batch_alter_table("theme_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_change_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "theme_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("theme_a", sa.String(length=60), nullable=True),
        sa.Column("theme_b", sa.String(length=60), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('merge', 'add')", name=op.f("ck_theme_proposal_kind_known")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["staff_user.id"],
            name=op.f("fk_theme_proposal_member_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_round.id"],
            name=op.f("fk_theme_proposal_round_id_review_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_proposal")),
    )
    with op.batch_alter_table("theme_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_proposal_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("theme_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_proposal_round_id"))

    op.drop_table("theme_proposal")
    with op.batch_alter_table("theme_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_change_theme_id"))

    op.drop_table("theme_change")
    op.drop_table("round_card")
    op.drop_table("card_feedback")
    with op.batch_alter_table("review_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_round_panel_id"))

    op.drop_table("review_round")
    op.drop_table("panel_member")
    with op.batch_alter_table("panel_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_invite_panel_id"))

    op.drop_table("panel_invite")
    with op.batch_alter_table("wave_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wave_action_questionnaire_id"))

    op.drop_table("wave_action")
    op.drop_table("panel")
