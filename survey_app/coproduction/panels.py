"""Panels, their members and the single-use links that invite them.

No email server is assumed: the admin makes a link and passes it on. Only the token's SHA-256 is
stored, so the database never holds a working link; a link works once, for 14 days.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.accounts import add_user, now, record
from survey_app.models import Panel, PanelInvite, PanelMember, ReviewRound, StaffUser

INVITE_LIFETIME = timedelta(days=14)
#: the same minimum the staff accounts have
MEMBER_ROLE = "panel_member"


class PanelRefused(ValueError):
    """The change cannot be made as asked; the message says why."""


class InviteUnusable(LookupError):
    """The link is unknown, used or expired. Which one is not said: whoever holds a copied link must
    not learn whether (or when) the person it was meant for joined."""


@dataclass(frozen=True)
class PanelRow:
    panel: Panel
    members: int
    open_rounds: int


def create_panel(session: Session, actor_id: int, name: str) -> Panel:
    name = name.strip()
    if session.scalar(select(Panel.id).where(Panel.name == name)) is not None:
        raise PanelRefused(f"there is already a panel called “{name}”")
    panel = Panel(name=name, created_at=now(), created_by=actor_id)
    session.add(panel)
    session.flush()
    record(session, actor_id, "panel created", panel=panel.id, name=name)
    session.commit()
    return panel


def panel_rows(session: Session) -> list[PanelRow]:
    members = dict(
        session.execute(select(PanelMember.panel_id, func.count()).group_by(PanelMember.panel_id)).all()
    )
    rounds = dict(
        session.execute(
            select(ReviewRound.panel_id, func.count())
            .where(ReviewRound.status == "open")
            .group_by(ReviewRound.panel_id)
        ).all()
    )
    return [
        PanelRow(panel, members.get(panel.id, 0), rounds.get(panel.id, 0))
        for panel in session.scalars(select(Panel).order_by(Panel.name))
    ]


def members(session: Session, panel_id: int) -> list[tuple[str, PanelMember]]:
    """(email, membership) of each member, in the order they joined."""
    return [
        (email, member)
        for email, member in session.execute(
            select(StaffUser.email, PanelMember)
            .join(PanelMember, PanelMember.user_id == StaffUser.id)
            .where(PanelMember.panel_id == panel_id)
            .order_by(PanelMember.joined_at, StaffUser.id)
        )
    ]


def invites(session: Session, panel_id: int) -> list[PanelInvite]:
    return list(
        session.scalars(
            select(PanelInvite)
            .where(PanelInvite.panel_id == panel_id)
            .order_by(PanelInvite.created_at.desc())
        )
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(session: Session, actor_id: int, panel: Panel, note: str) -> str:
    """A new single-use token for the panel; shown once, never stored."""
    token = secrets.token_urlsafe(24)
    created = now()
    session.add(
        PanelInvite(
            token_hash=_hash(token),
            panel_id=panel.id,
            note=note.strip(),
            created_by=actor_id,
            created_at=created,
            expires_at=created + INVITE_LIFETIME,
        )
    )
    record(session, actor_id, "panel invite created", panel=panel.id, note=note.strip())
    session.commit()
    return token


def usable_invite(session: Session, token: str) -> PanelInvite:
    invite = session.get(PanelInvite, _hash(token))
    if invite is None or invite.used_at is not None or invite.expires_at <= now():
        raise InviteUnusable()
    return invite


def join(session: Session, token: str, email: str, password: str, language: str) -> StaffUser:
    """Create a panel member's account from an invitation and use the invitation up, together;
    ``survey_app.accounts.AccountRefused`` (or ``AccountExists``) when the account cannot be made."""
    invite = usable_invite(session, token)
    user = add_user(session, email, password, MEMBER_ROLE, actor_id=None, by="panel invite")
    joined = now()
    session.add(PanelMember(panel_id=invite.panel_id, user_id=user.id, language=language, joined_at=joined))
    invite.used_by, invite.used_at = user.id, joined
    record(session, user.id, "panel joined", panel=invite.panel_id)
    session.commit()
    return user


def member_panel_ids(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(select(PanelMember.panel_id).where(PanelMember.user_id == user_id)))


def member_language(session: Session, user_id: int) -> str | None:
    """The language the member chose when they last joined a panel."""
    return session.scalar(
        select(PanelMember.language)
        .where(PanelMember.user_id == user_id)
        .order_by(PanelMember.joined_at.desc())
        .limit(1)
    )
