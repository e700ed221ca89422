"""Answers in progress, kept server-side so a phone holds only a random token; the keys of
surveys a device queued while it had no signal; and sent responses waiting to be added to the
response tables in a shuffled batch.

Every save rewrites the row, and databases keep old copies of rows for a while (SQLite's freed
pages, PostgreSQL's dead row versions until VACUUM). So everything about the respondent (answers,
the link they came by, when the draft expires) is sealed with a key derived from the token in their
cookie: once that cookie has forgotten the token, no copy of the row can be read.
"""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Uuid
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


class SentSurvey(Base):
    """A survey completed on a device without a signal and sent later (see taking/offline.py): only
    the hash of the random key the device gave it, so that sending it twice stores it once. It says
    nothing of which response it became, nor when."""

    __tablename__ = "sent_survey"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class WaitingResponse(Base):
    """A sent response not yet in the response tables (see responses/waiting.py): every row it will
    become, sealed under a key from SECRET_KEY, so neither the row nor its dead copies say what it
    holds. Its id is random and unrelated to the response's."""

    __tablename__ = "waiting_response"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    #: nonce and AES-GCM of the response's rows
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
