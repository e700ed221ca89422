"""Submitted responses. No column here can hold who answered, from where, or exactly when.

A response's id is random, answers are keyed by (response, item) rather than by a sequence, and the
submission time is kept as a month. On SQLite the three tables have no rowid (its numbers would
count submissions), so rows are kept in the order of their random keys; indexes end with the key
for the same reason, as PostgreSQL would otherwise order equal values by where the row was written.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from itertools import combinations

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.text import HARM_KINDS

from .base import Base

#: A response's time as it is kept: the month only ("2026-11"), never the day or time.
MONTH_FORMAT = "%Y-%m"
#: The SQL LIKE pattern of a month in that format: each digit any one character.
_MONTH_LIKE = re.sub(r"[0-9]", "_", date(2000, 1, 1).strftime(MONTH_FORMAT))

#: The kind recorded for answers flagged before kinds were, whose stored text shows none.
UNSPECIFIED_HARM = "unspecified"
#: Every value ``Answer.safeguarding_harm`` may hold: one or more kinds joined by ";" in
#: ``HARM_KINDS`` order, or ``UNSPECIFIED_HARM``.
HARM_VALUES = (
    *(";".join(kinds) for size in range(1, len(HARM_KINDS) + 1) for kinds in combinations(HARM_KINDS, size)),
    UNSPECIFIED_HARM,
)
#: The CHECK constraint ``harm_is_known`` (also written by the migration that added the column).
HARM_CHECK = (
    "(safeguarding_harm IS NOT NULL) = (safeguarding IS TRUE) AND (safeguarding_harm IS NULL OR "
    "safeguarding_harm IN (" + ", ".join(f"'{value}'" for value in HARM_VALUES) + "))"
)


def harm_value(kinds: tuple[str, ...]) -> str | None:
    """What ``safeguarding_harm`` stores for the kinds a screen found (None for none)."""
    return ";".join(kind for kind in HARM_KINDS if kind in kinds) or None


WITHOUT_ROWID = {"sqlite_with_rowid": False}

#: Where an answer is flagged for safeguarding (the condition of its partial index).
FLAGGED = text("safeguarding IS TRUE")


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint(f"submitted_month LIKE '{_MONTH_LIKE}'", name="month_only"),
        Index("ix_response_version_id", "version_id", "id"),
        Index("ix_response_wave_id", "wave_id", "id"),
        WITHOUT_ROWID,
    )

    #: random, so ids reveal nothing about order or volume
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    #: the exact questionnaire version answered
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: "YYYY-MM": the month of submission, never the day or time
    submitted_month: Mapped[str] = mapped_column(String(7))
    #: the interface language the survey was answered in
    language: Mapped[str] = mapped_column(String(12))
    #: the fieldwork wave, when one was open
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id"))
    #: the type of the link it came through (school, youth club...), never the link itself
    channel_type: Mapped[str | None] = mapped_column(String(20))
    #: the district that link serves
    channel_area: Mapped[str | None] = mapped_column(String(40))

    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (
        ForeignKeyConstraint(
            ["item_id", "choice_id"], ["choice.item_id", "choice.id"], name="fk_answer_item_choice"
        ),
        CheckConstraint(
            "(CASE WHEN choice_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN number IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_value",
        ),
        CheckConstraint("(text IS NULL) = (safeguarding IS NULL)", name="text_is_screened"),
        CheckConstraint(HARM_CHECK, name="harm_is_known"),
        # The safeguarding queue and the dashboard's count of flags read only flagged answers.
        Index("ix_answer_flagged", "response_id", postgresql_where=FLAGGED, sqlite_where=FLAGGED),
        WITHOUT_ROWID,
    )

    #: one answer per item per response, enforced by the key itself
    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), primary_key=True)
    #: for a single choice or a scale statement
    choice_id: Mapped[int | None]
    number: Mapped[int | None]
    #: free text after personal data was redacted; the original is never stored
    text: Mapped[str | None] = mapped_column(Text)
    #: the language the text is written in (detected; short texts take the survey's language)
    text_language: Mapped[str | None] = mapped_column(String(12))
    #: the text may disclose risk of harm, abuse or exploitation: staff review it
    safeguarding: Mapped[bool | None]
    #: for a flagged answer, the kinds of harm it may disclose (``HARM_VALUES``); NULL otherwise
    safeguarding_harm: Mapped[str | None] = mapped_column(String(160))

    response: Mapped[Response] = relationship(back_populates="answers")
    selections: Mapped[list[AnswerChoice]] = relationship(cascade="all, delete-orphan")


class AnswerChoice(Base):
    """Each ticked option of a multiple-choice answer."""

    __tablename__ = "answer_choice"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "item_id"],
            ["answer.response_id", "answer.item_id"],
            ondelete="CASCADE",
            name="fk_answer_choice_answer",
        ),
        ForeignKeyConstraint(
            ["item_id", "choice_id"], ["choice.item_id", "choice.id"], name="fk_answer_choice_item_choice"
        ),
        WITHOUT_ROWID,
    )

    response_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    choice_id: Mapped[int] = mapped_column(primary_key=True)
