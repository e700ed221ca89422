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
    #: part of every session's identity; "log out everywhere" bumps it, ending all sessions at once
    session_epoch: Mapped[int] = mapped_column(default=0)
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
