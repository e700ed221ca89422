"""Answers in progress, kept server-side so a phone holds only a random token.

Every save rewrites the row, and databases keep old copies of rows for a while (SQLite's freed
pages, PostgreSQL's dead row versions until VACUUM). So everything about the respondent (answers,
the link they came by, when the draft expires) is sealed with a key derived from the token in their
cookie: once that cookie has forgotten the token, no copy of the row can be read.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Draft(Base):
    __tablename__ = "draft"
    __table_args__ = (CheckConstraint("sweep_month LIKE '____-__'", name="month_only"),)

    #: sha256 of the cookie token, so a database reader cannot resume someone's draft
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: AES-GCM of the answers, channel, counted pages, expiry hour and, on a shared device, the
    #: moment it is deleted unless used before, under a key from the token
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    #: "YYYY-MM" in which the draft expires: a draft left behind is deleted once that month is over
    sweep_month: Mapped[str] = mapped_column(String(7), index=True)
