"""Co-production panels: members review the survey's themes in plain language, say whether they ring
true, propose better names, merges and missing themes, and spend priority votes; staff record what
was decided, and the public "You said, we did" page reports what was done.

Panel members are staff accounts with the role ``panel_member`` (volunteers, invited by a single-use
link). Their feedback is about themes, never about respondents.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, one_of

#: How far a theme reflects a member's community.
REFLECTS = ("yes", "partly", "no", "not_sure")
#: Kinds of codebook change staff can decide on after a round.
THEME_CHANGES = ("rename", "merge", "add")


class Panel(Base):
    __tablename__ = "panel"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "Young people's panel, Leicester city"
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))


class PanelMember(Base):
    __tablename__ = "panel_member"

    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    #: the member's interface language (a code from translations/languages.yaml)
    language: Mapped[str] = mapped_column(String(12), default="en")
    joined_at: Mapped[datetime]


class PanelInvite(Base):
    """A single-use invitation link the admin passes on; only the token's hash is kept."""

    __tablename__ = "panel_invite"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    #: a note for the admin ("for Amira"), never shown to anyone else
    note: Mapped[str] = mapped_column(String(120), default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    #: set when the link is used; a used link never works again
    used_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    used_at: Mapped[datetime | None]


class ReviewRound(Base):
    """A panel's review of one wave of one survey: one card per theme."""

    __tablename__ = "review_round"
    __table_args__ = (
        UniqueConstraint("panel_id", "questionnaire_id", "wave_key", name="one_round_per_wave"),
        CheckConstraint("votes_per_member BETWEEN 1 AND 20", name="votes_in_range"),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    #: the wave reviewed, by key as analysis names it ("2026-autumn", "no-wave", "demo")
    wave_key: Mapped[str] = mapped_column(String(60))
    #: priority votes each member may spend across the cards
    votes_per_member: Mapped[int] = mapped_column(default=5)
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: people who answered in their own words when the round opened, as published: the base of
    #: every card's count; none for rounds opened before it was recorded
    answered_display: Mapped[str | None] = mapped_column(String(20))
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime]


class RoundCard(Base):
    """One theme as the panel sees it, fixed when the round opens so every member reviews the same
    figures: how many raised it, the trend since the last wave, its sentiment, approved quotes."""

    __tablename__ = "round_card"

    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int]
    #: the theme's name when the round opened
    label: Mapped[str] = mapped_column(String(120))
    #: a plain-language line about the theme
    description: Mapped[str] = mapped_column(Text, default="")
    #: answers raising it, as published (disclosure control applied: "<10" for small counts)
    count_display: Mapped[str] = mapped_column(String(20))
    #: "up", "down", "same" or "new" against the previous wave; none when there is no previous wave
    trend: Mapped[str | None] = mapped_column(String(10))
    #: mean sentiment of the answers raising it (-1..1), none when not scored
    sentiment: Mapped[float | None]
    #: how many of those answers were scored, as published: {"answers": "25", "scored": "23",
    #: "languages": {"en": "20", "ur-Latn": "<10"}}; none for cards made before it was recorded
    sentiment_coverage: Mapped[dict | None] = mapped_column(JSON)
    #: up to three approved quotes (redacted text)
    quotes: Mapped[list] = mapped_column(JSON, default=list)


class CardFeedback(Base):
    """One member's view of one card."""

    __tablename__ = "card_feedback"
    __table_args__ = (
        one_of("reflects", REFLECTS, name="reflects_known"),
        CheckConstraint("votes >= 0", name="votes_not_negative"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    reflects: Mapped[str | None] = mapped_column(String(10))
    better_name: Mapped[str] = mapped_column(String(120), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    #: priority votes spent on this theme (the round's total per member is enforced by the service)
    votes: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class ThemeProposal(Base):
    """A member's proposal to merge two themes, or to add one the machine missed."""

    __tablename__ = "theme_proposal"
    __table_args__ = (CheckConstraint("kind IN ('merge', 'add')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    #: for a merge: the two themes
    theme_a: Mapped[str | None] = mapped_column(String(60))
    theme_b: Mapped[str | None] = mapped_column(String(60))
    #: for an add: the missing theme in the member's words; for a merge: why, optionally
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class ThemeChange(Base):
    """The codebook's history beyond its file: names and merges decided with panels, in order.

    The effective codebook is the file's, with these applied in id order."""

    __tablename__ = "theme_change"
    __table_args__ = (one_of("kind", THEME_CHANGES, name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    theme_id: Mapped[str] = mapped_column(String(60), index=True)
    #: rename: the new name; merge: the theme it was merged into; add: the new theme's name
    value: Mapped[str] = mapped_column(String(120))
    #: the round whose feedback led to it, if any
    round_id: Mapped[int | None] = mapped_column(ForeignKey("review_round.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime]


class WaveAction(Base):
    """ "We did": what was done in response to a wave, entered by staff, shown on the public page."""

    __tablename__ = "wave_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    wave_key: Mapped[str] = mapped_column(String(60))
    #: the theme it answers, if any
    theme_id: Mapped[str | None] = mapped_column(String(60))
    #: what was done, in plain words
    action: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    entered_at: Mapped[datetime]


class WaveActionText(Base):
    """A "we did" entry in another language, given by staff; the public page shows the reader's
    language and falls back to the entry's own (English) words."""

    __tablename__ = "wave_action_text"

    action_id: Mapped[int] = mapped_column(ForeignKey("wave_action.id", ondelete="CASCADE"), primary_key=True)
    #: a code from translations/languages.yaml, never the source language
    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: what was done, in that language
    action: Mapped[str] = mapped_column(Text)
