"""Export files made in the background, for downloads that take longer than a web request may.

Web workers keep no state, so the file waits here for whichever worker the download reaches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .base import Base, one_of

#: The exports made in the background, named as the end of their download address (the CSV only
#: for a wave too large to send in one request: see ``STREAMED_ROWS``); ``sna.*`` is the SNA report
#: in each of its formats, of both surveys (no questionnaire).
PREPARED_KINDS = (
    "responses.csv",
    "responses.xlsx",
    "responses.sav",
    "tables.xlsx",
    "sna.html",
    "sna.pdf",
    "sna.docx",
)
PREPARED_STATUSES = ("preparing", "ready", "failed")


class PreparedExport(Base):
    """One export being made, or made, for the account that asked for it; kept for a short while
    only, since a file of responses is a copy of microdata."""

    __tablename__ = "prepared_export"
    __table_args__ = (
        one_of("kind", PREPARED_KINDS, name="kind_known"),
        one_of("status", PREPARED_STATUSES, name="status_known"),
        CheckConstraint("(status = 'ready') = (data IS NOT NULL)", name="data_when_ready"),
        CheckConstraint("(status = 'failed') = (error IS NOT NULL)", name="error_when_failed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: only the account that asked may download it
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: the survey exported; none for the SNA report, which covers both standard surveys
    questionnaire_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: the wave asked for, as in the download's address; none for the default (see the exports)
    wave: Mapped[str | None] = mapped_column(String(60))
    #: the SNA report's wave to compare with, if one was chosen
    compare: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10))
    #: staff time, recorded exactly (this is not respondent data); old files are deleted by it
    requested_at: Mapped[datetime] = mapped_column(index=True)
    filename: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(100))
    #: the file, once ready; read only to download it
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: why it could not be made, in words for the person who asked
    error: Mapped[str | None] = mapped_column(Text)
