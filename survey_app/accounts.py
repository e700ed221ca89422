"""Staff accounts and the audit log: plain values in, no request or session in here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey_app.models import ROLES, AuditEvent, StaffSession, StaffUser

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


def add_user(
    session: Session, email: str, password: str, role: str, *, actor_id: int | None, by: str
) -> StaffUser:
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


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(session: Session, user: StaffUser, lifetime: timedelta) -> str:
    """A new live session for `user`: the random id to keep in the session cookie. Sessions older
    than `lifetime` are forgotten on the way."""
    session_id = secrets.token_urlsafe(32)
    session.execute(delete(StaffSession).where(StaffSession.started_at < now() - lifetime))
    session.add(StaffSession(id_hash=_session_hash(session_id), user_id=user.id, started_at=now()))
    session.commit()
    return session_id


def session_user(session: Session, session_id: str, lifetime: timedelta) -> StaffUser | None:
    """The active account of a live session younger than `lifetime`, else None."""
    live = session.get(StaffSession, _session_hash(session_id))
    if live is None or live.started_at < now() - lifetime:
        return None
    user = session.get(StaffUser, live.user_id)
    return user if user is not None and user.active else None


def end_session(session: Session, session_id: str) -> None:
    """Log out: the session ends on the server, so a copy of its cookie opens nothing any more."""
    live = session.get(StaffSession, _session_hash(session_id))
    if live is not None:
        record(session, live.user_id, "logged out")
        session.delete(live)
    session.commit()


def end_all_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    record(session, user_id, "logged out everywhere")
    session.commit()
