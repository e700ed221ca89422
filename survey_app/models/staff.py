"""Staff accounts and the audit log. Respondents never have accounts; these are the VRN's people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, one_of

ROLES = ("admin", "analyst", "safeguarding_lead", "panel_member")


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (
        one_of("role", ROLES, name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the login name, kept in lower case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id hash; the password itself is never stored
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    #: a disabled account cannot log in, and its sessions end
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class AuditEvent(Base):
    """Who did what, when: every staff action, including failed logins."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: staff time is recorded exactly (this is not respondent data)
    at: Mapped[datetime] = mapped_column(index=True)
    #: none for a failed login with an unknown email
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class StaffSession(Base):
    """A signed-in session, live while its row exists: logging out deletes the row, so a copy of the
    cookie stops working too; "log out everywhere" deletes every row of the account."""

    __tablename__ = "staff_session"

    #: SHA-256 of the random id in the session cookie; the id itself is never stored
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: sessions end this long after they started (PERMANENT_SESSION_LIFETIME), however they are used
    started_at: Mapped[datetime] = mapped_column(index=True)
