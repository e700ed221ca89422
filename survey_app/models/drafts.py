"""Answers in progress, kept server-side so a phone holds only a random token.

A draft has no link to the response it becomes: it is deleted when that response is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Draft(Base):
    __tablename__ = "draft"

    #: sha256 of the cookie token, so a database reader cannot resume someone's draft
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: {answer key: value} as the form produced them, free text already redacted
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: rounded up to the hour, so it does not record when someone was answering
    expires_at: Mapped[datetime] = mapped_column(index=True)
    #: the distribution link the survey was opened from
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id", ondelete="SET NULL"))
    #: the one-time code given, marked used when the response is stored (and then forgotten here)
    access_code: Mapped[str | None] = mapped_column(String(12))
    #: pages already counted in the aggregate page counters, so going back does not count twice
    pages_counted: Mapped[list] = mapped_column(JSON, default=list)
