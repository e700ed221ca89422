"""Staff accounts and the audit log: plain values in, no request or session in here."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import ROLES, AuditEvent, StaffUser

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verifying against this when the email is unknown keeps the timing of both failures alike.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountRefused(ValueError):
    """The account cannot be created as asked; the message says why."""


class AccountExists(AccountRefused):
    """There is already an account for this email address."""


def now() -> datetime:
    """Staff actions are timed exactly, in UTC (this is not respondent data)."""
    return datetime.now(UTC).replace(tzinfo=None)


def record(session: Session, user_id: int | None, action: str, **detail) -> None:
    session.add(AuditEvent(at=now(), user_id=user_id, action=action, detail=detail))


def create_user(session: Session, email: str, password: str, role: str) -> StaffUser:
    """An account made by an admin at the command line."""
    user = add_user(session, email, password, role, actor_id=None, by="command line")
    session.commit()
    return user


def add_user(session: Session, email: str, password: str, role: str, *, actor_id: int | None,
             by: str) -> StaffUser:
    """Check and add an account to the caller's transaction, audited with who (None: nobody signed
    in, such as the command line) and how it was made."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountRefused(f"unknown role '{role}'; choose one of {', '.join(ROLES)}")
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountRefused(f"'{email}' is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise AccountExists(f"there is already an account for {email}")
    user = StaffUser(email=email, password_hash=_hasher.hash(password), role=role, created_at=now())
    session.add(user)
    session.flush()
    record(session, actor_id, "account created", email=email, role=role, by=by)
    return user


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    """The active account these credentials open, or None; both outcomes are audited."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    # What was typed for an unknown account is not kept: it may be a password typed in the wrong box.
    record(session, user.id if user else None, "login" if ok else "login failed")
    session.commit()
    return user if ok else None


def end_all_sessions(session: Session, user: StaffUser) -> None:
    user.session_epoch += 1
    record(session, user.id, "logged out everywhere")
    session.commit()
