"""Staff work on answers: human theme coding, quotes cleared for publication, safeguarding actions.

These rows are about staff decisions, so they carry the staff member and the time; they point at
an answer, never at a person.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

_ANSWER = ["answer.response_id", "answer.item_id"]

#: What a safeguarding lead can record having done about a flagged answer.
SAFEGUARDING_OUTCOMES = (
    "no_concern",
    "no_further_action",
    "shared_with_partner",
    "referred",
    "reported_to_police",
)


class AnswerCoding(Base):
    """One person's themes for one free-text answer (an empty list means "no theme")."""

    __tablename__ = "answer_coding"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "item_id"], _ANSWER, ondelete="CASCADE", name="fk_answer_coding_answer"
        ),
    )

    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    #: codebook theme ids
    themes: Mapped[list] = mapped_column(JSON, default=list)
    coded_at: Mapped[datetime]


class Quote(Base):
    """A redacted answer an analyst has cleared for publication as a quote."""

    __tablename__ = "quote"
    __table_args__ = (
        ForeignKeyConstraint(["response_id", "item_id"], _ANSWER, ondelete="CASCADE", name="fk_quote_answer"),
    )

    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    approved_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    approved_at: Mapped[datetime]


class SafeguardingReview(Base):
    """What the safeguarding lead did about a flagged answer."""

    __tablename__ = "safeguarding_review"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "item_id"], _ANSWER, ondelete="CASCADE", name="fk_safeguarding_review_answer"
        ),
    )

    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    outcome: Mapped[str] = mapped_column(String(30))
    #: what was done, in the lead's words
    action: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    reviewed_at: Mapped[datetime]
